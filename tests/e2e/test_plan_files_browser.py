"""The action plan's files from the facilitator console, in Chromium (issue 14): « Échéances (agenda,
ICS) » downloads a calendar with the action's échéance (a month: its last day), « Actions (liste de
tâches, CSV) » the task list; buttons at least 44 px. Screenshots at 360×740 and 1920×1080 in
/tmp/shots-i14report/."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = Path("/tmp/shots-i14report")


def add_plan(server, code):
    """One axis, one action due « 2027-03 », written in the live server's database as the plan step would."""
    from facilitator.models import Group, PlanAction, PlanAxis, Workshop

    engine = create_engine(f"sqlite:///{server.instance / 'facilitator.db'}")
    try:
        with Session(engine) as session:
            workshop = session.scalars(select(Workshop).where(Workshop.code == code)).one()
            group = session.scalars(
                select(Group).where(Group.workshop_id == workshop.id, Group.number == 2)
            ).one()
            axis = PlanAxis(workshop_id=workshop.id, title="Mobilités", position=0)
            session.add(axis)
            session.flush()
            session.add(
                PlanAction(workshop_id=workshop.id, group_id=group.id, axis_id=axis.id, owner="ADT du Gard",
                           title="Des navettes gare-thermes", due="2027-03", first_step="Compter les arrivées")
            )  # fmt: skip
            session.commit()
    finally:
        engine.dispose()


def test_the_console_downloads_the_plans_calendar_and_task_list(live_server, open_context):
    from icalendar import Calendar

    created = live_server.create_workshop(groups=3, title="Assises du thermalisme")
    add_plan(live_server, created["code"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((360, 740), (1920, 1080)):
        page = open_context(viewport={"width": width, "height": height}, accept_downloads=True).new_page()
        page.goto(created["facilitator_url"])
        expect(page.locator("body")).to_have_attribute("data-connection", "connected")
        title = page.get_by_role("heading", name="Plan d’action")
        title.scroll_into_view_if_needed()
        buttons = page.locator("#report-download [data-file]")
        expect(buttons).to_have_count(3)
        for index in range(3):
            box = buttons.nth(index).bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44
        page.screenshot(path=str(SHOTS / f"console-plan-{width}x{height}.png"))
    with page.expect_download() as info:
        page.get_by_role("button", name="Échéances (agenda, ICS)").click()
    expect(page.locator("#report-status")).to_contain_text("Téléchargé")
    assert info.value.suggested_filename.startswith("plan-d-action-assises-du-thermalisme-")
    (event,) = Calendar.from_ical(Path(info.value.path()).read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Des navettes gare-thermes" and event["DTSTART"].dt == date(2027, 3, 31)
    with page.expect_download() as info:
        page.get_by_role("button", name="Actions (liste de tâches, CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["Title", "Owner", "Due date", "Description"]
    assert rows[1][:3] == ["Des navettes gare-thermes", "ADT du Gard", "2027-03-31"]

"""The compte rendu's « Plan d'action » (issue 14): the plan read by reports/load.py, folded by the
rule every output shares (`facilitator.plan.exports.fold`: dropped actions out, duplicates folded
into the action they were merged into, « Sans axe » last, only the cards the body may quote), then
each writer's part: `to_json` (report.json's `plan`), `blocks` (DOCX, PDF, HTML), `sheet` (XLSX),
`slides` (PPTX). A workshop without a plan gets no section at all (report.json's `plan` stays, empty).

No e-mail ever: reports/load.py does not read them (docs/privacy.md)."""

from facilitator.plan.exports import due_date, due_text, fold

__all__ = ["actions", "axes", "blocks", "sheet", "to_json"]


def _records(frame) -> list[dict]:
    return [
        {k: (None if v != v else v) for k, v in row.items()}  # NaN → None
        for row in frame.astype(object).to_dict("records")
    ]


def axes(summary) -> list[dict]:
    """The plan's axes, each with its actions (`fold`), plus what the documents say of each: `heading`
    (« Axe 2 : Mieux accueillir ») and, for each action, `provenance` and `table_names`. Computed once."""
    if "plan" in summary._charts:
        return summary._charts["plan"]
    frames = summary.frames
    if not len(frames.plan_actions):  # no plan: nothing to fold (10,000 cards are not looked at)
        summary._charts["plan"] = []
        return []
    t = summary.wording
    body = summary.body_cards
    quotable = {
        int(i): {"id": int(i), "text": text, "family": family, "group": int(group), "seq": int(seq)}
        for i, text, family, group, seq in zip(
            body["id"], body["text"], body["family"], body["group"], body["seq"], strict=True
        )
    }
    cards = frames.cards
    merged = cards[(cards["status"] == "merged") & cards["merged_into_id"].notna()]
    for card_id, into in zip(merged["id"], merged["merged_into_id"], strict=True):
        if int(into) in quotable:  # a merged card's words are those of the card it was merged into
            quotable[int(card_id)] = quotable[int(into)]
    actions_ = _records(frames.plan_actions)
    for action in actions_:
        action["group"] = None if action["group"] is None else int(action["group"])
        action["axis_id"] = None if action["axis_id"] is None else int(action["axis_id"])
        action["merged_into_id"] = None if action["merged_into_id"] is None else int(action["merged_into_id"])
    engagements = [
        (int(a), int(p), n if isinstance(n, str) else None)
        for a, p, n in zip(
            frames.plan_engagements["action_id"],
            frames.plan_engagements["participant_id"],
            frames.plan_engagements["name"],
            strict=True,
        )
    ]
    links = [
        (int(a), int(c))
        for a, c in zip(frames.plan_cards["action_id"], frames.plan_cards["card_id"], strict=True)
    ]
    folded = fold(
        _records(frames.plan_axes),
        actions_,
        links,
        engagements,
        quotable=quotable,
        anonymous=bool(summary.workshop.get("anonymous")),
    )
    number = 0
    for axis in folded:
        if axis["id"] is None:
            axis["heading"] = axis["name"] = t("plan_no_axis")
        else:
            number += 1
            axis["name"] = axis["title"]
            already = axis["title"].lower().startswith(("axe ", "axis "))  # « Axe 1 : … » typed as such
            axis["heading"] = axis["title"] if already else t("plan_axis", n=number, title=axis["title"])
        for action in axis["actions"]:
            action["table_names"] = [summary.group_name(n) for n in action["tables"]]
            n = len(action["tables"])
            action["provenance"] = (
                t("plan_plenary") if n == 0 else t("plan_one_table") if n == 1 else t("plan_tables", n=n)
            )
    summary._charts["plan"] = folded
    return folded


def actions(summary) -> list[dict]:
    return [action for axis in axes(summary) for action in axis["actions"]]


def to_json(summary) -> dict:
    """report.json's `plan` (docs/reports.md, "The action plan")."""
    out = []
    for axis in axes(summary):
        out.append(
            {
                "id": axis["id"],
                "title": axis["name"],
                "actions": [
                    {
                        "id": int(a["id"]),
                        "title": a["title"],
                        "owner": a["owner"],
                        "partners": a["partners"],
                        "due": a["due"],
                        "due_date": due_date(a["due"]).isoformat() if due_date(a["due"]) else None,
                        "first_step": a["first_step"],
                        "indicator": a["indicator"],
                        "group": a["group"],
                        "tables": [
                            {"number": n, "name": name}
                            for n, name in zip(a["tables"], a["table_names"], strict=True)
                        ],
                        "provenance": a["provenance"],
                        "merged": a["merged"],
                        "cards": [
                            {"id": c["id"], "text": c["text"], "family": c["family"], "group": c["group"]}
                            for c in a["cards"]
                        ],
                        "volunteers": a["volunteers"],
                        "volunteer_names": a["volunteer_names"],
                    }
                    for a in axis["actions"]
                ],
            }
        )
    every = actions(summary)
    return {
        "actions": len(every),
        "volunteers": sum(a["volunteers"] for a in every),
        "axes": out,
    }


# --- DOCX, PDF, HTML --------------------------------------------------------------------------------


def _cells(summary, action) -> list[list[str]]:
    """One row of the plan's table, each cell a list of lines (the first line of the first cell is the
    action's title, set in bold by the writers)."""
    t = summary.wording
    first = [action["title"]]
    if action["first_step"]:
        first.append(t("plan_first_step", text=action["first_step"]))
    who = [action["owner"] or t("plan_no_owner")]
    if action["partners"]:
        who.append(t("plan_partners", text=action["partners"]))
    if action["volunteers"]:
        count = t.plural(action["volunteers"], "volunteer")
        names = ", ".join(action["volunteer_names"])
        who.append(t("plan_volunteers_named", volunteers=count, names=names) if names else count)
    due = due_text(action["due"], t.language) or t("plan_no_due")
    origin = [action["provenance"].capitalize()]
    if len(action["table_names"]):
        origin.append(", ".join(action["table_names"]))
    origin += [t.quoted(card["text"]) for card in action["cards"]]
    return [first, who, [due], [action["indicator"]] if action["indicator"] else [""], origin]


def blocks(summary) -> list:
    """The outline's « Plan d'action » (reports/writers/docx_writer.outline): a heading, one line of
    counts, then per axis its heading and a ("plan_table", (header, rows)) block; [] without a plan."""
    folded = axes(summary)
    if not folded:
        return []
    t = summary.wording
    every = actions(summary)
    real = sum(1 for axis in folded if axis["id"] is not None)
    counts = {
        "actions": t.plural(len(every), "action"),
        "axes": t.plural(real, "axis"),
        "volunteers": t.plural(sum(a["volunteers"] for a in every), "volunteer"),
    }
    out = [("h1", t("plan")), ("p", t("plan_intro" if real else "plan_intro_no_axis", **counts))]
    header = list(t("plan_header"))
    for axis in folded:
        out.append(("h2", axis["heading"]))
        out.append(("plan_table", (header, [_cells(summary, a) for a in axis["actions"]])))
    return out


# --- XLSX ---------------------------------------------------------------------------------------------

SHEET_WIDTHS = [28, 40, 18, 28, 16, 14, 40, 30, 20, 24, 60, 12, 30]


def sheet(summary) -> tuple[list[str], list[list], list[int]] | None:
    """The XLSX sheet « Plan d'action »: (header, rows, widths), one row an action; None without a plan."""
    folded = axes(summary)
    if not folded:
        return None
    t = summary.wording
    rows = []
    for axis in folded:
        for a in axis["actions"]:
            day = due_date(a["due"])
            rows.append([
                axis["name"], a["title"], a["owner"], a["partners"], due_text(a["due"], t.language),
                day, a["first_step"], a["indicator"], a["provenance"], ", ".join(a["table_names"]),
                "\n".join(c["text"] for c in a["cards"]), a["volunteers"], ", ".join(a["volunteer_names"]),
            ])  # fmt: skip
    return list(t("x_plan_header")), rows, SHEET_WIDTHS

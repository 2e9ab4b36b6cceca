"""Flask CLI commands: `flask --app wsgi demo`, `flask --app wsgi kit <code>`."""

import click
from flask import current_app

from facilitator.demo import create_demo, describe, load_sample
from facilitator.extensions import db
from facilitator.network import public_base_url


def register_commands(app):
    """Add the project's commands to `flask --app wsgi …`."""

    @app.cli.command("demo")
    def demo_command():
        """Create a demo workshop with a full board and print its links (in French)."""
        links = create_demo(db.session, public_base_url(current_app.config))
        click.echo(describe(links, load_sample()["workshop"]["title"]), nl=False)

    @app.cli.command("kit")
    @click.argument("code")
    @click.option("-o", "--output", default=None, help="The PDF to write (default kit-<code>.pdf).")
    @click.option("--slides", default=None, help="Also write the introduction slides (PPTX) here.")
    @click.option("--rules-file", type=click.File(encoding="utf-8"), default=None, help="One rule per line.")
    @click.option(
        "--start", default="", help="Clock time of the first step (none: times relative to the start)."
    )
    @click.option("--posters", type=click.Choice(["a4", "a3", "both"]), default="a4", show_default=True)
    @click.option("--contact", default="", help="The facilitator's contact line on the référent sheets.")
    @click.option("--card-pages", type=int, default=1, show_default=True, help="Paper card pages per family.")
    @click.option(
        "--part", type=click.Choice(["all", "posters", "referents"]), default="all", show_default=True,
        help="posters changes no link; all and referents re-issue the référent links.",
    )  # fmt: skip
    @click.option("--table", type=int, default=None, help="With --part referents: only this table.")
    def kit_command(code, output, slides, rules_file, start, posters, contact, card_pages, part, table):
        """Build a workshop's preparation kit (all and referents issue fresh référent links)."""
        from facilitator.errors import DomainError
        from facilitator.kit import KitOptions, kit_filename, write_kit_files
        from facilitator.workshops import find_workshop

        try:
            workshop = find_workshop(db.session, code)
            options = KitOptions(
                rules=rules_file.read() if rules_file else None,
                start=start,
                posters=posters,
                contact=contact,
                card_pages=card_pages,
            )
            said = write_kit_files(
                db.session,
                workshop,
                public_base_url(current_app.config),
                output or kit_filename(workshop, "pdf", part, table),
                slides,
                options,
                part,
                table,
            )
        except DomainError as exc:
            raise click.ClickException(f"{exc.code} {exc.details or ''}".strip()) from exc
        click.echo("\n".join(said))

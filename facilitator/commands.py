"""Flask CLI commands: `flask --app wsgi demo`."""

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

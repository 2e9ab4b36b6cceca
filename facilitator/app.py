"""The app factory: initialise extensions, register blueprints and socket handlers. No I/O here."""

import logging

from flask import Flask, request
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from facilitator import events
from facilitator.config import Config
from facilitator.database import STORAGE_LOG, storage_problem
from facilitator.errors import answer_crashes, error_body
from facilitator.extensions import babel, csrf, db, socketio
from facilitator.i18n import plural_pair, remember_language, select_locale
from facilitator.network import HostCheck
from facilitator.ratelimits import rate_limits
from facilitator.realtime.packets import TextPacket

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def build_app(config: Config | None = None) -> Flask:
    if config is None:
        config = Config()
        config.resolve_secrets()
    app = Flask(__name__, instance_path=config.INSTANCE_PATH, instance_relative_config=False)
    app.config.update(config.as_flask_config())
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "fr")
    app.config["MAX_CONTENT_LENGTH"] = config.MAX_PAYLOAD_BYTES
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SECURE"] = bool(config.PUBLIC_URL and config.PUBLIC_URL.startswith("https://"))

    # The handlers must be registered on `socketio` before init_app binds them to this app's server.
    from facilitator import api, commands, organiser, pages, realtime
    from facilitator.plan import routes as plan_routes
    from facilitator.realtime import frames

    db.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    rate_limits.configure(
        config.REDIS_URL or "memory://",
        {
            "cards": config.RATE_LIMIT_CARDS,
            "events": config.RATE_LIMIT_EVENTS,
            "join_failures": config.RATE_LIMIT_JOIN_FAILURES,
            "new_participants": config.RATE_LIMIT_NEW_PARTICIPANTS,
            "table_cards": config.RATE_LIMIT_TABLE_CARDS,
        },
    )
    if config.TRUST_PROXY:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.TRUST_PROXY, x_proto=config.TRUST_PROXY)
    socketio.init_app(
        app,
        async_mode=config.ASYNC_MODE,
        cors_allowed_origins=config.ALLOWED_ORIGINS or None,
        message_queue=config.REDIS_URL,
        max_http_buffer_size=config.MAX_PAYLOAD_BYTES,
        ping_interval=config.PING_INTERVAL,
        ping_timeout=config.PING_TIMEOUT,
        logger=False,
        engineio_logger=False,
        serializer=TextPacket,
    )
    realtime.core.answer_star_events(socketio.server)  # an event named "*" is answered too
    frames.answer_malformed_frames(socketio.server, app)  # and the frames no handler sees
    # Outermost, so that Socket.IO's handshake is checked too (DNS rebinding; network.host_allowed).
    app.wsgi_app = HostCheck(app.wsgi_app, config.PUBLIC_URL, config.ALLOWED_HOSTS)
    app.wsgi_app = answer_crashes(app.wsgi_app)  # outermost: a crash never sends a traceback

    app.register_blueprint(pages.bp)
    app.register_blueprint(organiser.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    app.register_blueprint(plan_routes.bp)  # the action plan's files: plan.ics, plan.csv (issue 14)
    csrf.exempt(plan_routes.bp)
    events.set_publisher(realtime.publish)
    events.set_revoker(realtime.revocation.end_connections)
    commands.register_commands(app)

    app.context_processor(lambda: {"current_language": str(get_locale())})
    app.jinja_env.globals["plural_pair"] = plural_pair
    app.after_request(remember_language)
    app.after_request(_security_headers)
    app.register_error_handler(500, _storage_refused)
    return app


def _storage_refused(exc):
    """A page (the organiser's form…) that could not save because the disk is full or read-only says
    so (503, the error shape); any other failure stays Flask's plain 500 page. /api/ has its own."""
    storage = storage_problem(getattr(exc, "original_exception", None))
    if not storage:
        return exc
    db.session.rollback()
    logging.getLogger(__name__).error("%s %s refused: %s", request.method, request.path, STORAGE_LOG[storage])
    return error_body(storage), 503


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response

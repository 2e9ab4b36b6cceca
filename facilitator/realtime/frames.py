"""Socket.IO frames no handler ever sees, answered anyway when the protocol allows it.

python-socketio drops an event frame it cannot decode (`42 7[`, `42 7["join"]x`) or whose payload is
not `[name, …]` (`42 7{"x":1}`, `42 7[]`, `42 7[{"a":1}]`), and the reserved name `connect`: the
client waited for an ack that never came, and the log got a traceback. Here each such frame that
carries an ack id, in a namespace the connection joined, is answered with the one error shape
(`invalid_payload`, or `unknown_event` for `connect`) and logged in one line. A frame without an ack
id, of a packet type clients never send, or for a namespace the client did not join, cannot be
answered: docs/protocol.md lists them.
"""

import logging
import re

from socketio import packet

from facilitator.errors import error_body

log = logging.getLogger(__name__)

# An EVENT (2) or a BINARY_EVENT (5, "5<attachments>-"), an optional namespace ("/x,"), the ack id.
EVENT_HEADER = re.compile(r"^[25](?:\d+-)?(?:(?P<namespace>/[^,]*),)?(?P<id>\d+)")


def answer_malformed_frames(server, app):
    """Answer the event frames python-socketio would drop (called by `create_app` on each new server)."""
    handle_message = server._handle_eio_message
    handle_event = server._handle_event

    def answer(eio_sid, namespace, ack_id, code, **details):
        namespace = namespace or "/"
        sid = server.manager.sid_from_eio_sid(eio_sid, namespace)
        environ = server.environ.get(eio_sid)
        if (
            ack_id is None
            or sid is None
            or environ is None
            or not server.manager.is_connected(sid, namespace)
        ):
            return
        with app.request_context(environ):  # the language of the connection's handshake
            body = error_body(code, **details)
        server._send_packet(
            eio_sid, server.packet_class(packet.ACK, namespace=namespace, id=ack_id, data=[body])
        )

    def on_message(eio_sid, data):
        try:
            return handle_message(eio_sid, data)
        except ValueError as exc:  # not JSON, extra data, or a packet type clients never send
            log.warning("malformed Socket.IO frame from %s: %s", eio_sid, exc)
            header = EVENT_HEADER.match(data) if isinstance(data, str) else None
            if header:
                problem = "the frame is not a Socket.IO event of JSON data"
                answer(eio_sid, header["namespace"], int(header["id"]), "invalid_payload", problem=problem)

    def on_event(eio_sid, namespace, ack_id, data):
        if isinstance(data, list) and data and isinstance(data[0], str) and data[0] != "connect":
            return handle_event(eio_sid, namespace, ack_id, data)
        log.warning("Socket.IO event frame from %s without a name", eio_sid)
        if isinstance(data, list) and data and data[0] == "connect":
            answer(eio_sid, namespace, ack_id, "unknown_event", event="connect")
        else:
            problem = "an event is a list that starts with its name"
            answer(eio_sid, namespace, ack_id, "invalid_payload", problem=problem)

    server._handle_event = on_event  # looked up on each frame by `_handle_eio_message`
    server.eio.on("message", on_message)  # Engine.IO kept the bound method it was given

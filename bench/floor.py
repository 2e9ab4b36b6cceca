"""The floor: a bare python-socketio server with the same rooms and fan-out as Facilitator, and nothing else.

`python -m bench.floor --port P --mode eventlet|gevent`. It answers the subset of the protocol the
benchmark speaks: `join` (rooms `w`, `board` or `g<n>`; `participants:count` to the table and the boards,
as the real server does), `card:add` (ack with the card; `card:added` to the boards and the table) and `vote:cast` (ack;
`vote:counts` to the boards and the table).
No database, no validation, no application logic: whatever Facilitator costs above this is ours.
"""

import argparse
import sys

MODE = sys.argv[sys.argv.index("--mode") + 1] if "--mode" in sys.argv else "eventlet"
if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import socketio  # noqa: E402


def make_server(mode: str) -> socketio.Server:
    sio = socketio.Server(async_mode=mode, cors_allowed_origins="*")
    state = {"seq": 0, "counts": {}, "votes": {}}
    viewers: dict[str, tuple[str, int | None]] = {}

    @sio.on("join")
    def join(sid, data):
        role, group = data.get("role"), data.get("group")
        sio.enter_room(sid, "w")
        if role == "board":
            sio.enter_room(sid, "board")
            group = None
        else:
            sio.enter_room(sid, f"g{group}")
        viewers[sid] = (role, group)
        state["seq"] += 1
        if role == "participant":
            state["counts"][group] = state["counts"].get(group, 0) + 1
            message = {"type": "participants:count", "seq": state["seq"], "group": group}
            message["participants"] = state["counts"][group]
            sio.emit("participants:count", message, to=["board", f"g{group}"])
        return {"ok": True, "role": role, "group": group, "seq": state["seq"], "snapshot": {}}

    @sio.on("card:add")
    def card_add(sid, data):
        role, group = viewers.get(sid, (None, None))
        state["seq"] += 1
        card = {
            "id": state["seq"],
            "seq": state["seq"],
            "group": group,
            "family": data.get("family"),
            "text": data.get("text"),
        }
        sio.emit(
            "card:added", {"type": "card:added", "seq": state["seq"], "card": card}, to=["board", f"g{group}"]
        )
        return {"ok": True, "card": {**card, "client_id": data.get("client_id")}}

    @sio.on("vote:cast")
    def vote_cast(sid, data):
        role, group = viewers.get(sid, (None, None))
        state["seq"] += 1
        target = f"card:{data.get('card_id')}"
        state["votes"][target] = state["votes"].get(target, 0) + 1
        message = {
            "type": "vote:counts",
            "seq": state["seq"],
            "group": group,
            "stage": "table",
            "target": target,
        }
        message.update(card_id=data.get("card_id"), theme_id=None, votes=state["votes"][target])
        sio.emit("vote:counts", message, to=["board", f"g{group}"])
        return {"ok": True, "stage": "table", "target": target, "votes": state["votes"][target]}

    @sio.on("disconnect")
    def disconnect(sid, *_args):
        viewers.pop(sid, None)

    return sio


def serve(mode: str, port: int, max_connections: int):
    from facilitator.runtime import tune_garbage_collector

    app = socketio.WSGIApp(make_server(mode))
    print(f"floor ({mode}) on 127.0.0.1:{port}", flush=True)
    tune_garbage_collector()  # the process settings `python wsgi.py` uses, so only the app logic differs
    if mode == "eventlet":
        import eventlet.wsgi

        # As wsgi.py passes it through socketio.run: eventlet's default pool is 1,024 connections.
        eventlet.wsgi.server(
            eventlet.listen(("127.0.0.1", port)), app, log_output=False, max_size=max_connections
        )
    else:
        from gevent import pywsgi
        from geventwebsocket.handler import WebSocketHandler

        pywsgi.WSGIServer(("127.0.0.1", port), app, handler_class=WebSocketHandler, log=None).serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["eventlet", "gevent"], default="eventlet")
    parser.add_argument("--max-connections", type=int, default=10_000)
    args = parser.parse_args()
    serve(args.mode, args.port, args.max_connections)

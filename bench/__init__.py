"""`python -m bench`: load the real server (`python wsgi.py`) and a bare python-socketio floor with the
same fan-out, over real WebSockets from several load-generator processes; see docs/performance.md."""

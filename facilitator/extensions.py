"""Extensions, created unbound here and initialised in `create_app`."""

from flask_babel import Babel
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from facilitator.database import Database

db = Database()
socketio = SocketIO()
babel = Babel()
csrf = CSRFProtect()

"""The Socket.IO packets this server sends: text only.

python-socketio walks every list and dict of every packet it builds to find binary attachments; a
phone's join ack (its table's snapshot) is hundreds of values, walked for a few bytes' answer: 18 % of
a join's CPU time in `python -m bench.ops`. Nothing this app sends is binary (every payload is JSON
from the domain), so the walk is skipped; a packet with bytes at its top stays binary as before.
Packets received are decoded as before (their type says whether they carry attachments)."""

from socketio.packet import Packet


class TextPacket(Packet):
    @classmethod
    def data_is_binary(cls, data):
        return isinstance(data, (bytes, bytearray))

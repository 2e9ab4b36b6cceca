"""QR codes as inline SVG (no image files, no network): the join poster and the board show them."""

import re
from html import escape

import qrcode
import qrcode.image.svg


def qr_svg(url: str, label: str = "") -> str:
    """Return an SVG QR code for `url`, sized by its container (viewBox, no fixed size)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    head, rest = svg.split(">", 1)
    head = re.sub(r' (width|height)="[^"]*"', "", head)
    title = f"<title>{escape(label or url)}</title>"
    rest = rest.replace(' id="qr-path"', "")
    return f'{head} role="img" class="qr">{title}{rest}'

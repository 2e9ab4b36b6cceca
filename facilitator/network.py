"""The address phones use: PUBLIC_URL when set, else this machine's LAN address; and the `Host`
names the server answers to (a page of another site must not reach it by DNS rebinding)."""

import ipaddress
import socket
from urllib.parse import urlsplit


def _interface_addresses() -> list[str]:
    """Return the IPv4 addresses of the network interfaces (Linux), without sending anything."""
    try:
        import fcntl
        import struct
    except ImportError:
        return []
    addresses = []
    for _index, name in socket.if_nameindex():
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            packed = fcntl.ioctl(
                sock.fileno(), 0x8915, struct.pack("256s", name[:15].encode())
            )  # SIOCGIFADDR
            addresses.append(socket.inet_ntoa(packed[20:24]))
        except OSError:
            continue
        finally:
            sock.close()
    return addresses


def lan_addresses() -> list[str]:
    """Return the non-loopback IPv4 addresses of this machine, best guess first."""
    found = _interface_addresses()
    try:
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    unique = []
    for address in found:
        if not address.startswith("127.") and address not in unique:
            unique.append(address)
    return unique


def public_base_url(config) -> str:
    """Return the base URL that QR codes and links point to."""
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"].rstrip("/")
    addresses = lan_addresses()
    host = addresses[0] if addresses else "127.0.0.1"
    port = config.get("PORT", 5000)
    return f"http://{host}" + ("" if port == 80 else f":{port}")


def reachable_by_phones(base_url: str) -> bool:
    """False when the links point at this machine only (localhost): phones cannot follow them."""
    host = base_url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    return host not in ("localhost", "127.0.0.1", "::1") and not host.startswith("127.")


def reachability_warning(base_url: str, public_url: str | None) -> str | None:
    """Return the start-up banner's warning when phones cannot open `base_url`, else None: a
    PUBLIC_URL set to this computer is said as such, not as a missing network."""
    if reachable_by_phones(base_url):
        return None
    if public_url:
        host = urlsplit(base_url).hostname or base_url
        return (
            f"ATTENTION : PUBLIC_URL pointe vers cet ordinateur ({host}) : les téléphones ne pourront "
            "pas s'y connecter. Mettez dans PUBLIC_URL l'adresse de cet ordinateur sur le réseau du lieu "
            "(par exemple http://192.168.1.20:5000), ou retirez PUBLIC_URL pour qu'elle soit trouvée. "
            f"/ PUBLIC_URL points at this computer ({host}): phones cannot reach it."
        )
    return (
        "ATTENTION : aucune adresse réseau trouvée ; les téléphones ne pourront pas se connecter. "
        "Branchez le réseau ou définissez PUBLIC_URL. / No network address found: phones cannot connect."
    )


LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def _hostname(host: str) -> str:
    """`Host` header → lower-case name without port or IPv6 brackets ("" when unreadable)."""
    host = (host or "").strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host: str | None, public_url: str | None, allowed_hosts=()) -> bool:
    """Whether a request's `Host` is one this server answers to.

    DNS rebinding gives a site's name this machine's address, so that the site's pages talk to the
    server as "same origin": only names we chose are served. Always: this machine (localhost,
    127.x, ::1) and FACILITATOR_ALLOWED_HOSTS (`*`: any). With PUBLIC_URL: its host only. Without it
    (a laptop on the venue LAN, reached through its detected address): any IP address, which no
    rebinding can produce, whatever the network the laptop moves to. A request without `Host`
    (HTTP/1.0) is served.
    """
    if not host:
        return True
    name = _hostname(host)
    names = {_hostname(allowed) for allowed in allowed_hosts}
    if "*" in names or name in names or name in LOOPBACK_NAMES:
        return True
    if _is_address(name):
        if ipaddress.ip_address(name).is_loopback:
            return True
        if not public_url:
            return True
    return bool(public_url) and name == (urlsplit(public_url).hostname or "").lower()


class HostCheck:
    """WSGI middleware, outermost (before Socket.IO): refuse an unknown `Host` with 421 and say why."""

    def __init__(self, app, public_url: str | None, allowed_hosts=()):
        self.app = app
        self.public_url = public_url
        self.allowed_hosts = tuple(allowed_hosts)

    def __call__(self, environ, start_response):
        if host_allowed(environ.get("HTTP_HOST"), self.public_url, self.allowed_hosts):
            return self.app(environ, start_response)
        where = self.public_url or "http://<adresse IP / IP address>"
        body = (
            f"421 Misdirected Request\n\n"
            f"Ce serveur ne répond pas sous ce nom. Ouvrez {where} "
            f"(ou ajoutez ce nom à FACILITATOR_ALLOWED_HOSTS).\n"
            f"This server does not answer to this name. Open {where} "
            f"(or add the name to FACILITATOR_ALLOWED_HOSTS).\n"
        ).encode()
        start_response(
            "421 Misdirected Request",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]

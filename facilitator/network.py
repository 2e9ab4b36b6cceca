"""The address phones use: PUBLIC_URL when set, else this machine's LAN address."""

import socket


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

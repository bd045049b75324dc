"""Names and addresses on a machine whose only interface is the loopback: resolution,
getaddrinfo and friends, inet_aton/ntoa, byte order."""
from _spawnpoint.linux_errno import LINUX as _E, error as _os_error

from .constants import (
    AF_INET, AF_INET6, AI_PASSIVE, EAI_ADDRFAMILY, EAI_FAMILY, EAI_NONAME, EAI_SERVICE, EAI_SOCKTYPE,
    HOST_NOT_FOUND, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, NI_NUMERICHOST, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM,
    gaierror, herror,
)

_NO_OUTSIDE = "this page has no outside network: only 127.0.0.1 (localhost) works here"
_HOSTNAME = "spawnpoint"
_SERVICES = {"echo": 7, "daytime": 13, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "http": 80, "pop3": 110, "imap": 143, "https": 443}


def _is_loopback_ip(host):
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts) and parts[0] == "127"


def _is_ipv4(host):
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


def _resolve(host):
    """Name resolution on a machine whose only interface is the loopback."""
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("idna")
    if host is None:
        return "127.0.0.1"
    if not isinstance(host, str):
        raise TypeError(f"str, bytes or bytearray expected, not {type(host).__name__}")
    h = host.lower()
    if h in ("", "0.0.0.0", "<any>"):
        return "0.0.0.0"
    if h in ("localhost", "localhost.localdomain", "ip6-localhost", _HOSTNAME, "<broadcast>") or h.endswith(".localhost"):
        return "127.0.0.1"
    if _is_ipv4(h):
        return h
    if ":" in h:
        raise gaierror(EAI_ADDRFAMILY, f"Address family for hostname not supported (no IPv6 here; {_NO_OUTSIDE})")
    raise gaierror(EAI_NONAME, f"Name or service not known: {host!r} ({_NO_OUTSIDE})")


def _port(port, what):
    if isinstance(port, bool) or not hasattr(port, "__index__"):
        raise TypeError(f"'{type(port).__name__}' object cannot be interpreted as an integer")
    port = port.__index__()
    if not 0 <= port <= 65535:
        raise OverflowError(f"{what}(): port must be 0-65535.")
    return port


def _inet_address(address, what):
    if not isinstance(address, tuple):
        raise TypeError(f"AF_INET address must be tuple, not {type(address).__name__}")
    if len(address) != 2:
        raise TypeError(f"AF_INET address must be a pair (host, port)")
    host, port = address
    return _resolve(host), _port(port, what)


def gethostname():
    return _HOSTNAME


def getfqdn(name=""):
    name = name.strip()
    if not name or name in ("0.0.0.0", "::"):
        return _HOSTNAME
    return "localhost" if _resolve(name) == "127.0.0.1" else name


def gethostbyname(hostname):
    ip = _resolve(hostname)
    return "127.0.0.1" if ip == "0.0.0.0" and hostname != "0.0.0.0" else ip


def gethostbyname_ex(hostname):
    ip = gethostbyname(hostname)
    return (hostname if ip != "127.0.0.1" else "localhost", [], [ip])


def gethostbyaddr(ip_address):
    ip = _resolve(ip_address)
    if not _is_loopback_ip(ip):
        raise herror(HOST_NOT_FOUND, f"Unknown host ({_NO_OUTSIDE})")
    return ("localhost", [], [ip])


def getservbyname(servicename, protocolname=None):
    try:
        return _SERVICES[servicename]
    except KeyError:
        raise OSError("service/proto not found") from None


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if family not in (0, AF_INET):
        if family == AF_INET6:
            raise gaierror(EAI_ADDRFAMILY, "Address family for hostname not supported (no IPv6 here)")
        raise gaierror(EAI_FAMILY, "ai_family not supported")
    if port is None:
        p = 0
    elif isinstance(port, (str, bytes)):
        s = port.decode() if isinstance(port, bytes) else port
        if s.isdigit():
            p = int(s)
        elif s in _SERVICES:
            p = _SERVICES[s]
        else:
            raise gaierror(EAI_SERVICE, "Servname not supported for ai_socktype")
    elif isinstance(port, int):
        p = port
    else:
        raise OSError("Int or String expected")
    if host is None:
        ip = "0.0.0.0" if flags & AI_PASSIVE else "127.0.0.1"
    else:
        ip = _resolve(host)
        if ip == "0.0.0.0" and host != "0.0.0.0" and host != "":
            ip = "127.0.0.1"
    kinds = [(SOCK_STREAM, IPPROTO_TCP), (SOCK_DGRAM, IPPROTO_UDP), (SOCK_RAW, IPPROTO_IP)]
    out = []
    for kind, pr in kinds:
        if type and type != kind:
            continue
        if proto and proto != pr:
            continue
        out.append((AF_INET, kind, pr, "", (ip, p)))
    if not out:
        raise gaierror(EAI_SOCKTYPE, "ai_socktype not supported")
    return out


def getnameinfo(sockaddr, flags):
    host, port = sockaddr[0], sockaddr[1]
    ip = _resolve(host)
    name = ip if flags & NI_NUMERICHOST or not _is_loopback_ip(ip) else "localhost"
    return (name, str(port))


def inet_aton(ip_string):
    parts = ip_string.split(".")
    if not _is_ipv4(ip_string):
        raise OSError("illegal IP address string passed to inet_aton")
    return bytes(int(p) for p in parts)


def inet_ntoa(packed_ip):
    if len(packed_ip) != 4:
        raise OSError("packed IP wrong length for inet_ntoa")
    return ".".join(str(b) for b in packed_ip)


def inet_pton(address_family, ip_string):
    if address_family != AF_INET:
        raise _os_error(_E["EAFNOSUPPORT"], "Address family not supported by protocol")
    return inet_aton(ip_string)


def inet_ntop(address_family, packed_ip):
    if address_family != AF_INET:
        raise ValueError("unknown address family")
    return inet_ntoa(packed_ip)


def htons(x):
    return ((x & 0xFF) << 8) | ((x >> 8) & 0xFF)


ntohs = htons


def htonl(x):
    return int.from_bytes((x & 0xFFFFFFFF).to_bytes(4, "little"), "big")


ntohl = htonl

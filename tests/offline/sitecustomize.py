"""Loaded by every Python process the tests start (via PYTHONPATH), notebook kernels included:
refuses any network connection that is not to this machine, so a hidden download fails loudly."""
import socket

_LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")


class OfflineViolation(OSError):
    pass


def _check(address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    if isinstance(host, str) and not host.startswith(_LOOPBACK) and not host.startswith("/"):
        raise OfflineViolation(f"corpus_tools tests are offline: connection to {host!r} refused")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address)
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check(address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None:
        _check((host,))
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo

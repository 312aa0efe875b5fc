"""One window per user: a second ``gxaudit FILE…`` hands its files to the
running app over a QLocalSocket and exits, instead of starting a second copy.

The message is one line of JSON, ``{"paths": [...]}``, answered with ``ok``.
The server name is per user (and per settings folder, so isolated test runs
never meet); a socket left behind by a crashed app is removed before listening.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("gxaudit.ui")

CONNECT_MS = 500
REPLY_MS = 3000


def server_name() -> str:
    from .settings import config_dir
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some systems
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    digest = hashlib.sha256(f"{user}\0{config_dir()}".encode()).hexdigest()[:16]
    return f"gxaudit-{digest}"


def send_to_running(paths: list[str], name: str | None = None) -> bool:
    """True when a running gxaudit took ``paths`` (it then shows them)."""
    sock = QLocalSocket()
    sock.connectToServer(name or server_name())
    if not sock.waitForConnected(CONNECT_MS):
        return False
    sock.write(json.dumps({"paths": paths}, ensure_ascii=False).encode("utf-8") + b"\n")
    sock.flush()
    ok = sock.waitForBytesWritten(REPLY_MS) or sock.bytesToWrite() == 0
    while ok and b"\n" not in bytes(sock.peek(64).data()):
        if not sock.waitForReadyRead(REPLY_MS):
            ok = False
    answer = bytes(sock.readAll().data()).strip() if ok else b""
    sock.disconnectFromServer()
    return answer == b"ok"


class InstanceServer(QObject):
    """Listens for later invocations; ``filesReceived`` carries their paths."""
    filesReceived = Signal(list)

    def __init__(self, name: str | None = None, parent=None):
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        # A socket file left by an app that died: nobody answers on it, so take it over.
        QLocalServer.removeServer(self.name)
        ok = self.server.listen(self.name)
        if not ok:
            log.warning("single-instance server not available: %s", self.server.errorString())
        return ok

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            self._buffers[sock] = bytearray()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._drop(s))
            if sock.bytesAvailable():
                self._read(sock)

    def _drop(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        buf = self._buffers.get(sock)
        if buf is None:
            return
        buf += bytes(sock.readAll().data())
        if b"\n" not in buf:
            return
        line = bytes(buf).split(b"\n", 1)[0]
        try:
            paths = [str(p) for p in json.loads(line.decode("utf-8")).get("paths", [])]
        except (ValueError, AttributeError) as exc:
            log.warning("ignored a malformed hand-off message: %r", exc)
            sock.disconnectFromServer()
            return
        sock.write(b"ok\n")
        sock.flush()
        log.info("received %d file(s) from a second invocation", len(paths))
        self.filesReceived.emit(paths)

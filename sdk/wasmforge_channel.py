"""The SDK's channel to the host (loaded before platform_sdk): frames over stdin and stdout.

Nothing the plugin sends through it is trusted by the host; the host checks every frame.
"""

import errno as _errno
import os as _os

_MAGIC = b"\x1eWF:"


class Channel:
    """Frames over stdin/stdout: b"\\x1eWF:<kind>:<length>\\n" + payload."""

    def __init__(self, error_class):
        # The SDK's WasmForgeError, raised when the host sends something that is not a frame.
        self._error_class = error_class
        self._pending = b""
        self._fd = 1
        self._magic = _MAGIC
        # Given by the runner when the host also reads marked frames on fd 2 (WasmEdge, where a
        # plugin's os.close(1) really closes fd 1): the frames then go on there.
        self.fallback_mark: str | None = None

    def send(self, kind: str, payload: bytes | str = b"") -> None:
        if isinstance(payload, str):
            payload = payload.encode("utf-8", "surrogatepass")
        try:
            self._write_frame(kind, payload)
        except OSError as error:
            if error.errno != _errno.EBADF or self._fd != 1 or not self.fallback_mark:
                raise
            # Marked with this process's own mark, so that printed text (fd 2 too) cannot pass for a frame.
            self._fd, self._magic = 2, b"\x1eWF!" + self.fallback_mark.encode() + b":"
            self._write_frame(kind, payload)

    def _write_frame(self, kind, payload):
        data = memoryview(self._magic + kind.encode() + b":" + str(len(payload)).encode() + b"\n" + payload)
        while data:
            data = data[_os.write(self._fd, data):]

    def send_json(self, kind, value):
        import json  # on first use: json costs start-up inside WebAssembly
        self.send(kind, json.dumps(value, ensure_ascii=False))

    def receive(self):
        header = self._read_until_newline()
        if not header.startswith(_MAGIC):
            raise self._error_class("The host sent something that is not a frame")
        kind, _, length = header[len(_MAGIC):].decode().partition(":")
        return kind, self._read_exactly(int(length))

    def request(self, kind, value):
        import json
        self.send_json(kind, value)
        reply_kind, payload = self.receive()
        return reply_kind, json.loads(payload.decode("utf-8"))

    def _fill(self):
        chunk = _os.read(0, 1 << 16)
        if not chunk:
            raise EOFError("The host closed the channel")
        self._pending += chunk

    def _read_until_newline(self):
        while b"\n" not in self._pending:
            self._fill()
        line, _, self._pending = self._pending.partition(b"\n")
        return line

    def _read_exactly(self, length):
        while len(self._pending) < length:
            self._fill()
        data, self._pending = self._pending[:length], self._pending[length:]
        return data

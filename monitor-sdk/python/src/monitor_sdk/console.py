"""Console capture: each line written to stdout/stderr also becomes a run log; the terminal still sees it."""
import sys
import threading

_MAX_PARTIAL = 64 * 1024  # a line without newline is cut here so a progress bar cannot grow memory


class _Tee(object):
    def __init__(self, original, sink, stream_name):
        self._original = original
        self._sink = sink
        self._stream = stream_name
        self._partial = ""
        self._lock = threading.Lock()

    def write(self, s):
        n = self._original.write(s)
        try:
            self._capture(s)
        except Exception:
            pass  # capture is best-effort; printing must never fail because of it
        return n

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def _capture(self, s):
        if not isinstance(s, str):
            s = s.decode("utf-8", "replace") if isinstance(s, (bytes, bytearray)) else str(s)
        with self._lock:
            text = self._partial + s
            if "\n" not in text:
                self._partial = text[-_MAX_PARTIAL:]
                return
            lines = text.split("\n")
            self._partial = lines.pop()[-_MAX_PARTIAL:]
        for line in lines:
            # Progress bars redraw with \r; only the final state of the line is worth keeping.
            line = line.rsplit("\r", 1)[-1].rstrip()
            if line:
                self._sink(line, self._stream)

    def flush_partial(self):
        with self._lock:
            rest, self._partial = self._partial, ""
        rest = rest.rsplit("\r", 1)[-1].rstrip()
        if rest:
            self._sink(rest, self._stream)

    def flush(self):
        return self._original.flush()

    def __getattr__(self, name):
        return getattr(self._original, name)


class ConsoleCapture(object):
    def __init__(self, sink):
        self._sink = sink
        self._tees = {}

    def start(self):
        for name in ("stdout", "stderr"):
            original = getattr(sys, name)
            if original is None:
                continue
            tee = _Tee(original, self._sink, name)
            self._tees[name] = tee
            setattr(sys, name, tee)

    def stop(self):
        for name, tee in self._tees.items():
            tee.flush_partial()
            # Restore only if nobody replaced our tee meanwhile; otherwise leave their wrapper in place
            # (ours keeps forwarding to the original stream).
            if getattr(sys, name) is tee:
                setattr(sys, name, tee._original)
        self._tees = {}

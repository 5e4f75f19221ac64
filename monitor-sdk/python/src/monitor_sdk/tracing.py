"""Spans for the key steps of a training script: nestable `with run.span(...)` and `@run.span(...)`."""
import contextvars
import functools
import os
import time

# The innermost open span of the current thread / asyncio task, so nesting needs no explicit parent.
_current = contextvars.ContextVar("monitor_sdk_current_span", default=None)


def _new_id(nbytes):
    return os.urandom(nbytes).hex()


class Span(object):
    """One open span. Attributes may be added while it is open; it is recorded when it ends."""

    __slots__ = ("name", "trace_id", "span_id", "parent_span_id", "start", "end", "status",
                 "attributes", "_token", "_otel")

    def __init__(self, name, attributes, parent):
        self.name = name
        if parent is not None:
            self.trace_id = parent.trace_id
            self.parent_span_id = parent.span_id
        else:
            self.trace_id = _new_id(16)
            self.parent_span_id = None
        self.span_id = _new_id(8)
        self.attributes = dict(attributes)
        self.start = time.time() * 1000.0
        self.end = None
        self.status = "ok"
        self._token = None
        self._otel = None

    def set_attribute(self, key, value):
        self.attributes[key] = value

    def set_attributes(self, attrs):
        self.attributes.update(attrs)

    def record_exception(self, exc):
        self.status = "error"
        self.attributes["error.type"] = type(exc).__name__
        self.attributes["error.message"] = str(exc)[:2000]

    def to_dict(self):
        return {"trace_id": self.trace_id, "span_id": self.span_id, "parent_span_id": self.parent_span_id,
                "name": self.name, "start": self.start, "end": self.end, "status": self.status,
                "attributes": self.attributes}


def current_span():
    return _current.get()


class SpanContext(object):
    """What `run.span(name, **attrs)` returns: a context manager, or a decorator that opens a new span
    around each call. The same object may be entered again while open (nested): open spans form a stack."""

    def __init__(self, run, name, attributes):
        self._run = run
        self._name = name
        self._attrs = attributes
        self._open = []

    def __enter__(self):
        parent = _current.get()
        span = Span(self._name, self._attrs, parent)
        bridge = self._run._otel_bridge
        if bridge is not None:
            bridge.start(span)
        span._token = _current.set(span)
        self._open.append(span)
        return span

    def __exit__(self, exc_type, exc, tb):
        span = self._open.pop()
        span.end = time.time() * 1000.0
        if exc is not None:
            span.record_exception(exc)
        try:
            _current.reset(span._token)
        except ValueError:
            # Exited in a different context than entered (e.g. a generator moved across threads).
            _current.set(None)
        if span._otel is not None:
            self._run._otel_bridge.end(span, exc)
        self._run._record_span(span)
        return False

    def __call__(self, fn):
        run, name, attrs = self._run, self._name, self._attrs

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with SpanContext(run, name, attrs):
                return fn(*args, **kwargs)

        return wrapper

"""Mirror monitor_sdk spans into OpenTelemetry when opentelemetry-sdk is installed.

The OTel span is started first and its ids are reused for the OneService span, so a trace seen in
Jaeger (through the global tracer provider / OTLP exporter) and the one on the run page are the same."""


def _sdk_provider_configured(trace_api):
    provider = trace_api.get_tracer_provider()
    # The API's default is a proxy/no-op provider: exporting through it would only cost time.
    name = type(provider).__name__
    return name not in ("ProxyTracerProvider", "NoOpTracerProvider")


def make_bridge(force=False):
    """An OtelBridge, or None when OpenTelemetry is absent or (unless force) no SDK provider is set."""
    try:
        from opentelemetry import trace as trace_api
    except ImportError:
        if force:
            raise
        return None
    if not force and not _sdk_provider_configured(trace_api):
        return None
    return OtelBridge(trace_api)


class OtelBridge(object):
    def __init__(self, trace_api, tracer_name="monitor_sdk"):
        from opentelemetry import context as context_api
        self._trace = trace_api
        self._context = context_api
        from .. import __version__
        self._tracer = trace_api.get_tracer(tracer_name, __version__)

    def start(self, span):
        attrs = {k: v if isinstance(v, (str, bool, int, float)) else str(v) for k, v in span.attributes.items()}
        otel_span = self._tracer.start_span(span.name, attributes=attrs,
                                            start_time=int(span.start * 1e6))
        ctx = otel_span.get_span_context()
        if ctx is not None and getattr(ctx, "is_valid", False):
            span.trace_id = "%032x" % ctx.trace_id
            span.span_id = "%016x" % ctx.span_id
            parent = getattr(otel_span, "parent", None)
            span.parent_span_id = "%016x" % parent.span_id if parent is not None else None
        token = self._context.attach(self._trace.set_span_in_context(otel_span))
        span._otel = (otel_span, token)

    def end(self, span, exc):
        otel_span, token = span._otel
        try:
            self._context.detach(token)
        except Exception:
            pass
        for k, v in span.attributes.items():
            otel_span.set_attribute(k, v if isinstance(v, (str, bool, int, float)) else str(v))
        if exc is not None:
            try:
                otel_span.record_exception(exc)
                from opentelemetry.trace import Status, StatusCode
                otel_span.set_status(Status(StatusCode.ERROR, str(exc)))
            except Exception:
                pass
        otel_span.end(end_time=int(span.end * 1e6))

    def flush(self, timeout_millis=5000):
        provider = self._trace.get_tracer_provider()
        fn = getattr(provider, "force_flush", None)
        if callable(fn):
            try:
                fn(timeout_millis)
            except Exception:
                pass

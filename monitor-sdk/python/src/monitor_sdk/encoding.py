"""Batch encoding: queued items → the protocol's JSON body (docs/ingest-protocol.md) → gzip bytes.

Pure functions, no state. The queue holds one tuple per item, made valid by the producer (run.py):
    ("m", name, value, step, epoch, ts)      a metric point
    ("l", ts, level, message, stream, fields) a log line
    ("e", ts, type, payload)                 an event
    ("s", span)                              a finished tracing.Span
"""
import array
import base64
import gzip
import json
import sys

from ._util import encode_value, json_safe, to_step, warn_once

# Limits of the platform's batch schema; one item over them would make the whole batch a 400.
MAX_NAME = 200
MAX_STEP = 2 ** 53 - 1       # the platform keeps steps exactly up to here (docs/ingest-protocol.md)
MAX_EPOCH = 2 ** 31 - 1      # epochs are stored as 32-bit integers
MAX_MESSAGE = 60000
_MAX_SPAN_NAME = 300
_MAX_STREAM = 50
_BIG_ENDIAN = sys.byteorder == "big"


def tag_values(tags):
    """Tag values on the wire are scalars; anything else is sent as its JSON text."""
    out = {}
    for k, v in tags.items():
        if v is None or isinstance(v, (str, bool, int)):
            out[str(k)] = v
        elif isinstance(v, float):
            out[str(k)] = encode_value(v) if v - v == 0.0 else str(encode_value(v))
        else:
            out[str(k)] = json.dumps(json_safe(v), sort_keys=True)
    return out


def metric_name(name):
    """A protocol-valid metric name (1 to 200 characters), or None (warned once) when there is none."""
    name = name if type(name) is str else str(name)
    if not name:
        warn_once(("name", ""), "a metric without a name was dropped")
        return None
    return name[:MAX_NAME]


def counter(value, limit):
    """A step or epoch the platform accepts (an integer from 0 to limit), else None."""
    value = to_step(value)
    return value if value is not None and value <= limit else None


def packed(numbers):
    """A float column as the protocol's {"f64": base64 of little-endian doubles}: Python's float repr costs
    about 1 µs a number, packing next to nothing; NaN and ±Infinity need no special strings."""
    doubles = array.array("d", numbers)
    if _BIG_ENDIAN:
        doubles.byteswap()
    return {"f64": base64.b64encode(doubles.tobytes()).decode("ascii")}


def metric_columns(metrics):
    """Queued metric tuples, already valid, as `metric_columns`: four flat lists encode several times
    faster than one dict per point, and the server checks them in tight loops."""
    _, names, values, steps, epochs, stamps = zip(*metrics)
    columns = {"name": names, "value": packed(values), "step": steps, "ts": packed(stamps)}
    if epochs.count(None) != len(epochs):
        columns["epoch"] = epochs
    return columns


def _log(item):
    _, ts, level, message, stream, fields = item
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "…[truncated]"
    record = {"ts": ts, "level": level, "message": message}
    if stream:
        record["stream"] = str(stream)[:_MAX_STREAM]
    if fields:
        record["fields"] = json_safe(fields)
    return record


def _event(item):
    _, ts, event_type, payload = item
    if payload is None:
        payload = {}
    elif not isinstance(payload, dict):
        payload = {"value": payload}  # the protocol's payload is an object
    return {"ts": ts, "type": event_type[:MAX_NAME], "payload": json_safe(payload)}


def _span(item):
    d = item[1].to_dict()
    d["name"] = d["name"][:_MAX_SPAN_NAME]
    if d["end"] < d["start"]:
        d["end"] = d["start"]  # the wall clock stepped back (NTP) while the span was open
    d["attributes"] = json_safe(d["attributes"])
    return d


def batch_body(batch_id, header, items):
    """The batch as the protocol's JSON object: run header, metric columns, logs, events, spans."""
    body = {"batch_id": batch_id, "run": header}
    metrics = [it for it in items if it[0] == "m"]
    if metrics:
        body["metric_columns"] = metric_columns(metrics)
    if len(metrics) < len(items):
        logs, events, spans = [], [], []
        for it in items:
            kind = it[0]
            if kind == "l":
                logs.append(_log(it))
            elif kind == "e":
                events.append(_event(it))
            elif kind == "s":
                spans.append(_span(it))
        for key, records in (("logs", logs), ("events", events), ("spans", spans)):
            if records:
                body[key] = records
    return body


def gzip_json(body):
    """The request bytes. A value json.dumps cannot take (a NumPy scalar in a param) costs a second, safe
    pass rather than the batch."""
    try:
        raw = json.dumps(body, separators=(",", ":"), allow_nan=False)
    except (ValueError, TypeError):
        raw = json.dumps(json_safe(body), separators=(",", ":"), allow_nan=False)
    # Level 1: most of the body is packed doubles, which no level compresses much.
    return gzip.compress(raw.encode("utf-8"), compresslevel=1)

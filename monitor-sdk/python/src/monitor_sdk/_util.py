"""Small helpers shared by the SDK modules: diagnostics output and JSON-safe conversion."""
import logging
import sys
import threading

logger = logging.getLogger("monitor_sdk")

_warned_once = set()
_warned_lock = threading.Lock()


def _emit(level, msg):
    # Write to the interpreter's original stderr rather than sys.stderr: sys.stderr may be our own
    # console-capture tee, and the SDK's diagnostics must not turn into run logs of the run itself.
    if logger.handlers or logging.getLogger().handlers:
        logger.log(level, msg)
        return
    stream = sys.__stderr__
    if stream is not None:
        try:
            stream.write("[monitor_sdk] %s\n" % msg)
            stream.flush()
        except Exception:
            pass


def warn(msg):
    _emit(logging.WARNING, msg)


def info(msg):
    _emit(logging.INFO, msg)


def warn_once(key, msg):
    with _warned_lock:
        if key in _warned_once:
            return
        _warned_once.add(key)
    warn(msg)


def encode_value(v):
    """A metric value as the protocol wants it: a finite number, or one of the three strings."""
    if v - v == 0.0:  # true only for finite floats: inf - inf and nan - nan are both NaN
        return v
    if v != v:
        return "NaN"
    return "Infinity" if v > 0 else "-Infinity"


def to_float(value):
    """float(value) for Python/NumPy numbers and 0-d tensors; None when it is not a number."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        pass
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return float(item())
        except Exception:
            return None
    return None


def json_safe(obj, _depth=0):
    """A copy of obj that json.dumps(allow_nan=False) accepts: non-finite floats become the protocol's
    strings and unknown objects their str(), so one odd param never loses a whole batch."""
    if obj is None or isinstance(obj, (str, bool, int)):
        return obj
    if isinstance(obj, float):
        return encode_value(obj)
    if _depth > 20:
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): json_safe(v, _depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [json_safe(v, _depth + 1) for v in obj]
    if type(obj).__module__.split(".")[0] in ("numpy", "torch"):
        for attr in ("item", "tolist"):
            fn = getattr(obj, attr, None)
            if callable(fn):
                try:
                    return json_safe(fn(), _depth + 1)
                except Exception:
                    continue
    return str(obj)


def to_step(v):
    """Protocol steps/epochs are integers >= 0; anything else is dropped to None."""
    if v is None:
        return None
    try:
        i = int(v)
    except (TypeError, ValueError):
        return None
    return i if i >= 0 else None

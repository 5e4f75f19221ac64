"""HTTP side of the ingest protocol (docs/ingest-protocol.md): batch POSTs and streamed artifact uploads.

Only http.client from the standard library, with one persistent connection per client so that a
busy sender does not pay a TCP handshake per batch."""
import email.utils
import http.client
import json
import os
import socket
import ssl
import time
from urllib.parse import quote, urlsplit

from . import __version__

BATCH_PATH = "/api/v1/ingest/batch"
# The web console's page of one run (the training plugin's Runs tab, plugins/training/plugin.json).
RUN_PAGE_PATH = "/training/runs/%s"
_USER_AGENT = "monitor-sdk-python/%s" % __version__


class TransportError(Exception):
    pass


class RetryableError(TransportError):
    """Network failure, 429 or 5xx: the same request may succeed later."""

    def __init__(self, message, retry_after=None, status=None):
        TransportError.__init__(self, message)
        self.retry_after = retry_after
        self.status = status


class RejectedError(TransportError):
    """A 4xx other than 429: resending the same bytes can never succeed."""

    def __init__(self, status, body):
        TransportError.__init__(self, "HTTP %s: %s" % (status, _short(body)))
        self.status = status
        self.body = body


def _short(body, limit=500):
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", "replace")
    body = str(body)
    return body if len(body) <= limit else body[:limit] + "…"


def parse_retry_after(value):
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def run_page_url(base_url, run_id):
    """The run's page in the web console, under base_url's path prefix when it has one."""
    base = base_url if "://" in base_url else "http://" + base_url
    return base.rstrip("/") + RUN_PAGE_PATH % quote(str(run_id), safe="")


class HttpClient(object):
    def __init__(self, base_url, api_token=None, tenant=None, timeout=30.0):
        parts = urlsplit(base_url if "://" in base_url else "http://" + base_url)
        if parts.scheme not in ("http", "https"):
            raise ValueError("base_url must be http:// or https://, got %r" % base_url)
        self.base_url = base_url
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._token = api_token
        self._tenant = tenant
        self.timeout = timeout
        self._conn = None
        self._upload_conn = None

    def abort(self):
        """Unblock a request stuck on a silent server, from another thread: shutting the socket down makes
        the blocked send/recv fail at once, and the caller sees a RetryableError."""
        for conn in (self._conn, self._upload_conn):
            sock = getattr(conn, "sock", None) if conn is not None else None
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _headers(self, extra):
        h = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
        if self._token:
            h["Authorization"] = "Bearer " + self._token
        if self._tenant:
            h["X-OneService-Tenant"] = self._tenant
        h.update(extra)
        return h

    def _connect(self, timeout):
        if self._conn is None:
            if self._https:
                self._conn = http.client.HTTPSConnection(
                    self._host, self._port, timeout=timeout, context=ssl.create_default_context())
            else:
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
            return self._conn, False
        self._conn.timeout = timeout
        if self._conn.sock is not None:
            self._conn.sock.settimeout(timeout)
        return self._conn, True

    def close(self):
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def post_batch(self, gz_body, timeout=None):
        """POST one gzip-encoded batch; returns the 202 JSON answer or raises a TransportError."""
        headers = self._headers({"Content-Type": "application/json", "Content-Encoding": "gzip"})
        return self._request("POST", self._prefix + BATCH_PATH, gz_body, headers, timeout)

    def upload_artifact(self, run_id, file_path, name, artifact_type, timeout=None, chunk_size=1 << 20):
        """Stream a file as the raw body; the whole file is never held in memory."""
        size = os.path.getsize(file_path)
        url = "%s/api/v1/runs/%s/artifacts?path=%s&type=%s" % (
            self._prefix, quote(run_id, safe=""), quote(name, safe=""), quote(artifact_type, safe=""))
        headers = self._headers({"Content-Type": "application/octet-stream", "Content-Length": str(size)})
        t = self.timeout if timeout is None else timeout
        # A fresh connection: an upload may run for minutes and must not share state with batches.
        conn = None
        try:
            if self._https:
                conn = http.client.HTTPSConnection(self._host, self._port, timeout=t,
                                                   context=ssl.create_default_context())
            else:
                conn = http.client.HTTPConnection(self._host, self._port, timeout=t)
            self._upload_conn = conn
            conn.putrequest("POST", url, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders()
            with open(file_path, "rb") as f:
                while True:
                    chunk = f.read(chunk_size)
                    if not chunk:
                        break
                    conn.send(chunk)
            resp = conn.getresponse()
            data = resp.read()
            return _interpret(resp.status, resp.getheader("Retry-After"), data)
        except (OSError, http.client.HTTPException) as e:
            raise RetryableError("artifact upload failed: %s: %s" % (type(e).__name__, e))
        finally:
            self._upload_conn = None
            if conn is not None:
                conn.close()

    def _request(self, method, path, body, headers, timeout):
        t = self.timeout if timeout is None else timeout
        for attempt in (0, 1):
            conn, reused = self._connect(t)
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException) as e:
                self.close()
                # A kept-alive connection the server has since closed fails on first use; that says
                # nothing about the server's health, so try once more on a fresh connection.
                if reused and attempt == 0 and isinstance(
                        e, (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine)):
                    continue
                raise RetryableError("%s: %s" % (type(e).__name__, e))
            if resp.getheader("Connection", "").lower() == "close":
                self.close()
            return _interpret(resp.status, resp.getheader("Retry-After"), data)
        raise RetryableError("unreachable")  # pragma: no cover


def _interpret(status, retry_after, data):
    if 200 <= status < 300:
        if not data:
            return {}
        try:
            return json.loads(data.decode("utf-8"))
        except ValueError:
            return {}
    if status == 429 or status >= 500:
        raise RetryableError("HTTP %s: %s" % (status, _short(data)), parse_retry_after(retry_after), status)
    raise RejectedError(status, data)

"""The on-disk spool: batches that could not be sent yet, one gzip file per batch, named by sequence.

Each file holds the exact request body (gzip JSON with its batch_id), so a replay — by the run itself
or by `monitor-sdk sync` — sends the same bytes and the server stores it once."""
import json
import os
import re
import threading

_BATCH_RE = re.compile(r"^(\d{12})\.json\.gz$")
META_FILE = "meta.json"
ARTIFACTS_FILE = "artifacts.jsonl"


def default_spool_root():
    env = os.environ.get("ONESERVICE_SPOOL_DIR")
    if env:
        return env
    return os.path.join(os.path.expanduser("~"), ".oneservice", "spool")


def safe_dir_name(client_run_id):
    return re.sub(r"[^A-Za-z0-9._-]", "_", client_run_id)[:200] or "run"


def _fsync_write(path, data, mode="wb"):
    tmp = "%s.tmp-%d-%d" % (path, os.getpid(), threading.get_ident())
    with open(tmp, mode) as f:
        f.write(data)
        f.flush()
        try:
            os.fsync(f.fileno())
        except OSError:
            pass
    os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one, never half


class Spool(object):
    def __init__(self, directory):
        self.dir = directory
        self._lock = threading.Lock()
        self._count = None

    def _ensure(self):
        os.makedirs(self.dir, exist_ok=True)

    def sequences(self):
        try:
            names = os.listdir(self.dir)
        except FileNotFoundError:
            return []
        out = []
        for n in names:
            m = _BATCH_RE.match(n)
            if m:
                out.append(int(m.group(1)))
        out.sort()
        return out

    def count(self):
        with self._lock:
            if self._count is None:
                self._count = len(self.sequences())
            return self._count

    def next_sequence(self):
        seqs = self.sequences()
        return (seqs[-1] + 1) if seqs else 1

    def path_for(self, seq):
        return os.path.join(self.dir, "%012d.json.gz" % seq)

    def write(self, seq, gz_body):
        with self._lock:
            self._ensure()
            path = self.path_for(seq)
            existed = os.path.exists(path)
            _fsync_write(path, gz_body)
            if self._count is not None and not existed:
                self._count += 1

    def oldest(self):
        """(seq, bytes) of the oldest spooled batch, or None."""
        seqs = self.sequences()
        if not seqs:
            with self._lock:
                self._count = 0
            return None
        with open(self.path_for(seqs[0]), "rb") as f:
            return seqs[0], f.read()

    def remove(self, seq):
        with self._lock:
            try:
                os.remove(self.path_for(seq))
                if self._count is not None:
                    self._count = max(0, self._count - 1)
            except FileNotFoundError:
                pass

    def set_aside(self, seq, reason):
        """Keep a batch the server refused out of the replay path but on disk for a human to inspect."""
        with self._lock:
            src = self.path_for(seq)
            try:
                os.replace(src, src + ".rejected")
                with open(src + ".rejected.txt", "w") as f:
                    f.write(str(reason))
                if self._count is not None:
                    self._count = max(0, self._count - 1)
            except FileNotFoundError:
                pass

    def write_meta(self, meta):
        with self._lock:
            self._ensure()
            _fsync_write(os.path.join(self.dir, META_FILE), json.dumps(meta, indent=1), "w")

    def read_meta(self):
        try:
            with open(os.path.join(self.dir, META_FILE)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def add_pending_artifact(self, entry):
        with self._lock:
            self._ensure()
            with open(os.path.join(self.dir, ARTIFACTS_FILE), "a") as f:
                f.write(json.dumps(entry) + "\n")
                f.flush()
                try:
                    os.fsync(f.fileno())
                except OSError:
                    pass

    def pending_artifacts(self):
        try:
            with open(os.path.join(self.dir, ARTIFACTS_FILE)) as f:
                return [json.loads(line) for line in f if line.strip()]
        except (OSError, ValueError):
            return []

    def rewrite_pending_artifacts(self, entries):
        with self._lock:
            path = os.path.join(self.dir, ARTIFACTS_FILE)
            if not entries:
                try:
                    os.remove(path)
                except FileNotFoundError:
                    pass
                return
            _fsync_write(path, "".join(json.dumps(e) + "\n" for e in entries), "w")

    def is_empty(self):
        return not self.sequences() and not self.pending_artifacts()

    def cleanup_if_empty(self):
        """Remove the run's spool folder once nothing in it is waiting (rejected files keep it)."""
        if not self.is_empty():
            return False
        try:
            names = os.listdir(self.dir)
        except FileNotFoundError:
            return True
        if any(n != META_FILE for n in names):
            return False
        try:
            os.remove(os.path.join(self.dir, META_FILE))
        except FileNotFoundError:
            pass
        try:
            os.rmdir(self.dir)
        except OSError:
            return False
        return True

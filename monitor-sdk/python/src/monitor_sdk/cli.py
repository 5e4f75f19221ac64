"""`monitor-sdk sync DIR`: upload what a run left in its spool, oldest batch first.

DIR is one run's spool folder or the spool root holding many (default ~/.oneservice/spool)."""
import argparse
import gzip
import json
import os
import sys
import time
import uuid

from .sender import AUTH, REJECTED, RETRY, retry_delay, send_batch
from .spool import Spool, default_spool_root
from .transport import HttpClient, RejectedError, RetryableError, run_page_url


def _is_run_dir(path):
    return os.path.isdir(path) and any(
        n.endswith(".json.gz") or n in ("meta.json", "artifacts.jsonl") for n in os.listdir(path))


def _run_dirs(root):
    if _is_run_dir(root):
        return [root]
    try:
        subs = sorted(os.path.join(root, n) for n in os.listdir(root))
    except FileNotFoundError:
        return []
    return [d for d in subs if _is_run_dir(d)]


def _send_with_retries(client, body, retries, out):
    """send_batch, retried `retries` times while the answer is retryable; returns the last Outcome."""
    attempt = 0
    while True:
        outcome = send_batch(client, body)
        if outcome.kind != RETRY or attempt >= retries:
            return outcome
        attempt += 1
        delay = retry_delay(attempt, outcome.retry_after)
        out.write("  retrying in %.1fs (%s)\n" % (delay, outcome))
        time.sleep(delay)


def sync_run_dir(directory, base_url=None, api_token=None, tenant=None, retries=5, out=sys.stdout):
    """Returns (batches_sent, batches_set_aside, artifacts_sent, complete)."""
    spool = Spool(directory)
    meta = spool.read_meta()
    url = base_url or os.environ.get("ONESERVICE_URL") or meta.get("base_url")
    if not url:
        raise SystemExit("no base URL: pass --base-url or set ONESERVICE_URL")
    token = api_token or os.environ.get("ONESERVICE_TOKEN")
    client = HttpClient(url, token, tenant or os.environ.get("ONESERVICE_TENANT") or meta.get("tenant"))
    sent = aside = arts = 0
    run_id = None
    seqs = spool.sequences()
    out.write("%s: %d batch(es), %d artifact(s) to send to %s\n" % (
        directory, len(seqs), len(spool.pending_artifacts()), url))
    try:
        for seq in seqs:
            with open(spool.path_for(seq), "rb") as f:
                body = f.read()
            outcome = _send_with_retries(client, body, retries, out)
            if outcome.kind == AUTH:
                out.write("  the platform refused the token (%s); nothing more is sent\n" % outcome)
                return sent, aside, arts, False
            if outcome.kind == REJECTED:
                out.write("  batch %d refused, set aside as .rejected: %s\n" % (seq, outcome))
                spool.set_aside(seq, outcome)
                aside += 1
                continue
            if outcome.kind == RETRY:
                out.write("  stopped at batch %d, platform unavailable: %s\n" % (seq, outcome))
                return sent, aside, arts, False
            if run_id is None and outcome.run_id:
                run_id = outcome.run_id
                out.write("  run at %s\n" % run_page_url(url, run_id))
            spool.remove(seq)  # only after the 202: a crash here resends it and the server dedups
            sent += 1
        pending = spool.pending_artifacts()
        if pending:
            if run_id is None:
                run_id = _resolve_run_id(client, meta, retries, out)
                if run_id is None:
                    return sent, aside, arts, False
            remaining = []
            for entry in pending:
                path = entry.get("path")
                if not path or not os.path.isfile(path):
                    out.write("  artifact %s no longer exists, skipped\n" % path)
                    continue
                try:
                    client.upload_artifact(run_id, path, entry.get("name") or os.path.basename(path),
                                           entry.get("type") or "other")
                    arts += 1
                except RejectedError as e:
                    out.write("  artifact %s refused: %s\n" % (path, e))
                except RetryableError as e:
                    out.write("  artifact %s not sent: %s\n" % (path, e))
                    remaining.append(entry)
            spool.rewrite_pending_artifacts(remaining)
            if remaining:
                return sent, aside, arts, False
    finally:
        client.close()
    spool.cleanup_if_empty()
    return sent, aside, arts, True


def _resolve_run_id(client, meta, retries, out):
    """The artifacts endpoint needs the server's run id; a header-only batch (create-or-resume by the
    client run id) returns it. It carries no status and the oldest revision, so it changes nothing on a
    run that exists."""
    header = dict(meta.get("run") or {})
    header.setdefault("client_run_id", meta.get("client_run_id"))
    header.pop("status", None)
    header.pop("ended_at", None)
    header["revision"] = 0
    body = json.dumps({"batch_id": str(uuid.uuid4()), "run": header}).encode("utf-8")
    outcome = _send_with_retries(client, gzip.compress(body), retries, out)
    if not outcome.accepted or not outcome.run_id:
        out.write("  the run's id could not be learnt (%s); artifacts are kept for a later sync\n" % outcome)
        return None
    return outcome.run_id


def main(argv=None):
    parser = argparse.ArgumentParser(prog="monitor-sdk", description="OneService training SDK tools")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("sync", help="upload batches and artifacts left in a spool folder")
    p.add_argument("dir", nargs="?", default=None, help="a run's spool folder or the spool root (default %s)"
                   % default_spool_root())
    p.add_argument("--base-url", default=None, help="platform URL (default $ONESERVICE_URL or the one recorded)")
    p.add_argument("--api-token", default=None, help="API token with the ingest scope (default $ONESERVICE_TOKEN)")
    p.add_argument("--tenant", default=None, help="tenant slug sent as X-OneService-Tenant")
    p.add_argument("--retries", type=int, default=5, help="retries per batch on network errors, 429 and 5xx")
    args = parser.parse_args(argv)
    if args.command != "sync":
        parser.print_help()
        return 2
    root = args.dir or default_spool_root()
    dirs = _run_dirs(root)
    if not dirs:
        print("nothing to sync in %s" % root)
        return 0
    ok = True
    for d in dirs:
        sent, aside, arts, complete = sync_run_dir(d, args.base_url, args.api_token, args.tenant, args.retries)
        print("%s: %d batch(es) sent, %d set aside, %d artifact(s) uploaded%s" % (
            d, sent, aside, arts, "" if complete else " — incomplete, run sync again later"))
        ok = ok and complete and aside == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""A real (small) training run reported to OneService: logistic regression by mini-batch gradient descent
on a synthetic, slightly non-linear binary dataset, in pure Python.

    ONESERVICE_URL=http://127.0.0.1:8080 ONESERVICE_TOKEN=... ONESERVICE_TENANT=demo python train_demo.py

Reports train/val loss, accuracy, precision, recall, f1 and AUC per epoch, the learning-rate schedule,
the gradient norm and samples/s per step, spans around each epoch's phases, and the final model as an
artifact."""
import argparse
import json
import math
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

from monitor_sdk import OneServiceRun  # noqa: E402


def make_dataset(n, dim, seed):
    rng = random.Random(seed)
    true_w = [rng.gauss(0, 1) for _ in range(dim)]
    data = []
    for _ in range(n):
        x = [rng.gauss(0, 1) for _ in range(dim)]
        # a little curvature and label noise, so the model cannot reach 100% and the curves are honest
        z = sum(w * xi for w, xi in zip(true_w, x)) + 0.5 * x[0] * x[1] + rng.gauss(0, 0.8)
        data.append((x, 1 if z > 0 else 0))
    return data


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def predict(w, b, x):
    return sigmoid(sum(wi * xi for wi, xi in zip(w, x)) + b)


def auc(scores, labels):
    """Area under the ROC curve as the probability that a positive outranks a negative (ties count half)."""
    pairs = sorted(zip(scores, labels))
    pos = sum(labels)
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + 1 + j) / 2.0
        rank_sum += avg_rank * sum(l for _, l in pairs[i:j])
        i = j
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)


def evaluate(w, b, data):
    eps = 1e-12
    loss, tp, fp, fn, tn = 0.0, 0, 0, 0, 0
    scores, labels = [], []
    for x, y in data:
        p = predict(w, b, x)
        loss -= y * math.log(p + eps) + (1 - y) * math.log(1 - p + eps)
        pred = 1 if p >= 0.5 else 0
        tp += pred and y
        fp += pred and not y
        fn += (not pred) and y
        tn += (not pred) and (not y)
        scores.append(p)
        labels.append(y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"loss": loss / len(data), "accuracy": (tp + tn) / len(data), "precision": precision,
            "recall": recall, "f1": f1, "auc": auc(scores, labels)}


def lr_at(step, total, base, warmup):
    """Linear warm-up then cosine decay: the schedule most fine-tuning recipes use."""
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * progress))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=os.environ.get("ONESERVICE_URL", "http://127.0.0.1:8080"))
    ap.add_argument("--token", default=os.environ.get("ONESERVICE_TOKEN"))
    ap.add_argument("--tenant", default=os.environ.get("ONESERVICE_TENANT"))
    ap.add_argument("--project", default=os.environ.get("ONESERVICE_PROJECT", "demo-classifier"))
    ap.add_argument("--run-name", default="logreg-demo")
    ap.add_argument("--run-id", default=None, help="client run id, to resume a run")
    ap.add_argument("--epochs", type=int, default=int(os.environ.get("DEMO_EPOCHS", "8")))
    ap.add_argument("--samples", type=int, default=4000)
    ap.add_argument("--dim", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.2)
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--step-delay", type=float, default=0.0, help="sleep per step, to watch curves live")
    args = ap.parse_args()

    params = {k: v for k, v in vars(args).items() if k not in ("url", "token", "tenant", "run_id")}
    run = OneServiceRun(base_url=args.url, api_token=args.token, tenant=args.tenant, project=args.project,
                        run_name=args.run_name, run_id=args.run_id, framework="pure-python",
                        tags={"model": "logistic-regression", "dataset": "synthetic-v1"}, params=params,
                        system_metrics_interval=2.0)
    print("run %s started (client run id %s)" % (args.run_name, run.client_run_id))

    with run.span("load_data", samples=args.samples):
        data = make_dataset(args.samples, args.dim, args.seed)
        split = int(0.8 * len(data))
        train, val = data[:split], data[split:]
    run.log_event("dataset_loaded", {"train": len(train), "val": len(val), "dim": args.dim})
    print("loaded %d train / %d val samples" % (len(train), len(val)))

    rng = random.Random(args.seed)
    w = [0.0] * args.dim
    b = 0.0
    steps_per_epoch = math.ceil(len(train) / args.batch_size)
    total_steps = steps_per_epoch * args.epochs
    warmup = max(1, total_steps // 20)
    step = 0
    for epoch in range(args.epochs):
        rng.shuffle(train)
        with run.span("epoch", epoch=epoch):
            with run.span("train", epoch=epoch):
                for start in range(0, len(train), args.batch_size):
                    t0 = time.perf_counter()
                    batch = train[start:start + args.batch_size]
                    gw = [0.0] * args.dim
                    gb = 0.0
                    loss = 0.0
                    for x, y in batch:
                        p = predict(w, b, x)
                        err = p - y
                        loss -= y * math.log(p + 1e-12) + (1 - y) * math.log(1 - p + 1e-12)
                        for i in range(args.dim):
                            gw[i] += err * x[i]
                        gb += err
                    n = len(batch)
                    gw = [g / n + args.l2 * wi for g, wi in zip(gw, w)]
                    gb /= n
                    grad_norm = math.sqrt(sum(g * g for g in gw) + gb * gb)
                    lr = lr_at(step, total_steps, args.lr, warmup)
                    w = [wi - lr * g for wi, g in zip(w, gw)]
                    b -= lr * gb
                    if args.step_delay:
                        time.sleep(args.step_delay)
                    dt = time.perf_counter() - t0
                    run.log_metrics({"train/loss_step": loss / n, "lr": lr, "grad_norm": grad_norm,
                                     "samples_per_sec": n / dt if dt > 0 else 0.0}, step=step, epoch=epoch)
                    step += 1
            with run.span("validate", epoch=epoch):
                tr = evaluate(w, b, train)
                va = evaluate(w, b, val)
        metrics = {"train/" + k: v for k, v in tr.items()}
        metrics.update({"val/" + k: v for k, v in va.items()})
        # the headline curves under their plain names too: "loss" and "accuracy" are what the UI shows first
        metrics["loss"] = tr["loss"]
        metrics["accuracy"] = va["accuracy"]
        run.log_metrics(metrics, step=step, epoch=epoch)
        print("epoch %d  train_loss %.4f  val_loss %.4f  val_acc %.3f  val_f1 %.3f  val_auc %.3f"
              % (epoch, tr["loss"], va["loss"], va["accuracy"], va["f1"], va["auc"]))

    out_dir = tempfile.mkdtemp(prefix="oneservice-demo-")
    model_path = os.path.join(out_dir, "logreg_model.json")
    with open(model_path, "w") as f:
        json.dump({"weights": w, "bias": b, "dim": args.dim}, f)
    run.log_event("checkpoint_saved", {"path": model_path, "step": step})
    run.upload_artifact(model_path, type="model")
    ok = run.finish(status="success", timeout=30)
    print("run finished%s; run %s" % ("" if ok else " (some data left in the spool)", run.url or run.id))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

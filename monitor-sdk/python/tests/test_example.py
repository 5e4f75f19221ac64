import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO = os.path.join(os.path.dirname(HERE), "examples", "train_demo.py")


def test_train_demo_reports_a_complete_run(platform, tmp_path):
    env = dict(os.environ, ONESERVICE_URL=platform.url, ONESERVICE_TOKEN="tok-test", ONESERVICE_TENANT="demo",
               ONESERVICE_SPOOL_DIR=str(tmp_path))
    res = subprocess.run([sys.executable, DEMO, "--epochs", "2", "--samples", "1000"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    out = res.stdout.decode()
    assert res.returncode == 0, out
    run = platform.run()
    assert run["header"]["status"] == "finished"
    names = {m["name"] for _, m in platform.metrics}
    for name in ("loss", "accuracy", "val/loss", "val/precision", "val/recall", "val/f1", "val/auc", "lr",
                 "grad_norm", "samples_per_sec"):
        assert name in names, name
    val_loss = [v for _, v in platform.metric_values("val/loss")]
    assert len(val_loss) == 2 and val_loss[-1] < 0.69  # it learned something: better than chance
    assert {s["name"] for _, s in platform.spans} >= {"load_data", "epoch", "train", "validate"}
    assert any(l["message"].startswith("epoch 1") for _, l in platform.logs)  # console capture
    assert platform.artifacts and platform.artifacts[0]["type"] == "model"

import os
import sys
import time
import types

import pytest

from monitor_sdk import hf_tags
from monitor_sdk.sysmetrics import SystemSampler, parse_nvidia_smi


def test_parse_nvidia_smi_output():
    text = "87, 10240, 81920\n0, 3, 81920\n[N/A], 100, 2000\n"
    assert parse_nvidia_smi(text) == [
        (87.0, 10240 * 1048576.0, 81920 * 1048576.0),
        (0.0, 3 * 1048576.0, 81920 * 1048576.0),
        (None, 100 * 1048576.0, 2000 * 1048576.0),
    ]


@pytest.mark.skipif(not os.path.exists("/proc/stat"), reason="needs Linux /proc")
def test_system_sampler_reports_cpu_and_memory():
    s = SystemSampler()
    sum(i * i for i in range(200000))  # some CPU time between the two CPU samples
    m = s.sample()
    assert 0.0 <= m["system/cpu_percent"] <= 100.0
    assert 0 < m["system/memory_used_bytes"] <= m["system/memory_total_bytes"]
    assert m["system/process_rss_bytes"] > 0


def test_system_sampler_uses_nvidia_smi_when_present(tmp_path, monkeypatch):
    fake = tmp_path / "nvidia-smi"
    fake.write_text("#!/bin/sh\necho '55, 2048, 16384'\necho '12, 1024, 16384'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setitem(sys.modules, "pynvml", None)  # make sure the nvidia-smi path is the one taken
    m = SystemSampler().sample()
    assert m["system/gpu0/utilization"] == 55.0
    assert m["system/gpu1/memory_used_bytes"] == 1024 * 1048576.0
    assert m["system/gpu0/memory_total_bytes"] == 16384 * 1048576.0
    assert m["system/gpu0/memory_percent"] == 12.5


class _Config(object):
    def __init__(self):
        self._name_or_path = "bert-base-uncased"
        self._commit_hash = "86b5e0934494bd15c9632b12f734a8a67f723594"
        self.model_type = "bert"
        self.architectures = ["BertForMaskedLM"]
        self.transformers_version = "4.40.0"

    def to_dict(self):
        return {"model_type": "bert", "hidden_size": 768, "_commit_hash": self._commit_hash}


class _Model(object):
    config = _Config()

    def num_parameters(self):
        return 110000000


class _Tokenizer(object):
    name_or_path = "bert-base-uncased"
    vocab_size = 3
    init_kwargs = {"_commit_hash": "abc123"}

    def get_vocab(self):
        return {"[PAD]": 0, "hello": 1, "world": 2}


class _Dataset(object):
    info = types.SimpleNamespace(dataset_name="imdb", config_name="plain_text", version="1.0.0",
                                 download_checksums={"url": {"checksum": "x"}})
    split = "train"
    _fingerprint = "f0e1d2c3"
    num_rows = 25000


class _Broken(object):
    @property
    def config(self):
        raise RuntimeError("lazy config failed")


def test_hf_tags_read_names_revisions_and_hashes():
    tags = hf_tags(model=_Model(), tokenizer=_Tokenizer(), dataset=_Dataset())
    assert tags["hf.model.name"] == "bert-base-uncased"
    assert tags["hf.model.revision"] == "86b5e0934494bd15c9632b12f734a8a67f723594"
    assert tags["hf.model.type"] == "bert" and tags["hf.model.architectures"] == "BertForMaskedLM"
    assert len(tags["hf.model.config_sha256"]) == 64
    assert tags["hf.model.num_parameters"] == "110000000"
    assert tags["hf.tokenizer.name"] == "bert-base-uncased" and tags["hf.tokenizer.revision"] == "abc123"
    assert len(tags["hf.tokenizer.vocab_sha256"]) == 64
    assert tags["hf.dataset.name"] == "imdb" and tags["hf.dataset.version"] == "1.0.0"
    assert tags["hf.dataset.fingerprint"] == "f0e1d2c3" and tags["hf.dataset.split"] == "train"
    assert tags["hf.dataset.num_rows"] == "25000"
    assert all(isinstance(v, str) for v in tags.values())
    # the config hash ignores the revision field, so the same config from two revisions hashes the same
    other = _Model()
    other.config = _Config()
    other.config._commit_hash = "different"
    assert hf_tags(model=other)["hf.model.config_sha256"] == tags["hf.model.config_sha256"]


def test_hf_tags_survive_objects_that_raise():
    tags = hf_tags(model=_Broken(), tokenizer=object(), dataset=[1, 2, 3])
    assert tags["hf.model.class"] == "_Broken"
    assert tags["hf.dataset.num_rows"] == "3"


def test_transformers_callback_reports_logs_params_tags_and_checkpoints(platform, make_run):
    from monitor_sdk.integrations.transformers import OneServiceCallback
    run = make_run()
    cb = OneServiceCallback(run, datasets={"train": _Dataset()})
    args = types.SimpleNamespace(output_dir="/out", to_dict=lambda: {"learning_rate": 5e-5, "seed": 42,
                                                                      "report_to": ["none"], "obj": object()})
    state = types.SimpleNamespace(global_step=0, epoch=0.0, max_steps=100, num_train_epochs=2)
    cb.on_train_begin(args, state, None, model=_Model(), tokenizer=_Tokenizer())
    state.global_step, state.epoch = 10, 0.25
    cb.on_log(args, state, None, logs={"loss": 0.9, "learning_rate": 4.9e-5, "epoch": 0.25, "total_flos": 1e12})
    state.global_step, state.epoch = 50, 1.25
    cb.on_log(args, state, None, logs={"eval_loss": 0.7, "eval_runtime": 3.1})
    cb.on_save(args, state, None)
    cb.on_train_end(args, state, None)
    run.finish(timeout=5)
    h = platform.run()["header"]
    assert h["params"]["learning_rate"] == 5e-5 and h["params"]["report_to"] == ["none"]
    assert isinstance(h["params"]["obj"], str)
    assert h["tags"]["hf.model.name"] == "bert-base-uncased"
    assert h["tags"]["hf.dataset.train.fingerprint"] == "f0e1d2c3"
    loss = [m for _, m in platform.metrics if m["name"] == "loss"][0]
    assert (loss["step"], loss["epoch"], loss["value"]) == (10, 0, 0.9)
    assert [(m["step"], m["epoch"]) for _, m in platform.metrics if m["name"] == "eval_loss"] == [(50, 1)]
    assert not [m for _, m in platform.metrics if m["name"] == "total_flos"]
    events = [e for _, e in platform.events]
    ck = [e for e in events if e["type"] == "checkpoint_saved"][0]
    assert ck["payload"]["path"] == "/out/checkpoint-50"
    assert [e["type"] for e in events] == ["train_begin", "checkpoint_saved", "train_end"]


def test_tensorboard_writer_wrapper_and_logdir_upload(platform, make_run, tmp_path):
    from monitor_sdk.integrations.tensorboard import SummaryWriter, find_event_files

    logdir = tmp_path / "tb"
    (logdir / "train").mkdir(parents=True)

    class FakeWriter(object):
        def __init__(self):
            self.calls = []

        def add_scalar(self, *a, **k):
            self.calls.append(("add_scalar",) + a)

        def add_scalars(self, *a):
            self.calls.append(("add_scalars",) + a)

        def add_histogram(self, *a):
            self.calls.append(("add_histogram",) + a)

        def get_logdir(self):
            return str(logdir)

        def close(self):
            (logdir / "train" / "events.out.tfevents.1.host").write_bytes(b"\x00tb")

    run = make_run()
    fake = FakeWriter()
    with SummaryWriter(run, writer=fake) as w:
        w.add_scalar("train/loss", 0.5, 1)
        w.add_scalars("lr", {"a": 0.1, "b": 0.2}, 1)
        w.add_histogram("weights", [1, 2], 1)  # passed through untouched
    assert [c[0] for c in fake.calls] == ["add_scalar", "add_scalars", "add_histogram"]
    assert find_event_files(str(logdir))
    run.flush(timeout=5)
    deadline = time.monotonic() + 10
    while not platform.artifacts and time.monotonic() < deadline:
        time.sleep(0.05)
    run.finish(timeout=5)
    assert platform.metric_values("train/loss") == [(1, 0.5)]
    assert sorted(m["name"] for _, m in platform.metrics if m["name"].startswith("lr/")) == ["lr/a", "lr/b"]
    assert platform.artifacts[0]["path"] == "tensorboard/train/events.out.tfevents.1.host"
    assert platform.artifacts[0]["type"] == "tensorboard"


def test_integration_modules_import_without_their_libraries():
    import importlib
    for mod in ("transformers", "torch", "tensorboard", "otel"):
        importlib.import_module("monitor_sdk.integrations." + mod)


def test_grad_norm_needs_torch_and_matches_clip_grad_norm():
    torch = pytest.importorskip("torch")
    from monitor_sdk.integrations.torch import grad_norm
    model = torch.nn.Linear(4, 3)
    model(torch.randn(8, 4)).pow(2).sum().backward()
    expected = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))
    assert abs(grad_norm(model) - float(expected)) < 1e-4


def test_otel_bridge_shares_ids_with_the_exported_spans(platform, make_run):
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from monitor_sdk.integrations.otel import OtelBridge
    from opentelemetry import trace

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    run = make_run(otel=False)
    bridge = OtelBridge(trace)
    bridge._tracer = provider.get_tracer("test")
    run._otel_bridge = bridge
    with run.span("outer", k="v"):
        with run.span("inner"):
            pass
    run.finish(timeout=5)
    exported = {s.name: s for s in exporter.get_finished_spans()}
    ours = {s["name"]: s for _, s in platform.spans}
    assert ours["outer"]["span_id"] == "%016x" % exported["outer"].context.span_id
    assert ours["inner"]["trace_id"] == "%032x" % exported["inner"].context.trace_id
    assert ours["inner"]["parent_span_id"] == ours["outer"]["span_id"]
    assert exported["inner"].parent.span_id == exported["outer"].context.span_id

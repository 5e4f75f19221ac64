"""Hugging Face Transformers: a TrainerCallback that reports a Trainer's logs, params and checkpoints.

    from monitor_sdk.integrations.transformers import OneServiceCallback
    trainer = Trainer(..., callbacks=[OneServiceCallback(run)])
"""
import numbers

try:
    from transformers import TrainerCallback as _Base
except Exception:  # transformers absent or broken: the class still works as a plain callback object
    _Base = object

from ..hf import hf_tags

# Keys of Trainer logs that are bookkeeping rather than metrics of the model.
_NOT_METRICS = {"epoch", "step", "total_flos"}


def _scalar_params(d):
    out = {}
    for k, v in d.items():
        if v is None or isinstance(v, (str, bool, numbers.Number)):
            out[k] = v
        elif isinstance(v, (list, tuple)) and all(isinstance(x, (str, bool, numbers.Number)) for x in v):
            out[k] = list(v)
        else:
            out[k] = str(v)
    return out


class OneServiceCallback(_Base):
    def __init__(self, run, datasets=None, log_prefix="", finish_on_train_end=False):
        """datasets: optional {"train": ds, "eval": ds} recorded as tags (the Trainer does not pass them to
        callbacks). finish_on_train_end: end the run when training ends (off: the script may still evaluate)."""
        self.run = run
        self.datasets = datasets or {}
        self.log_prefix = log_prefix
        self.finish_on_train_end = finish_on_train_end

    def on_train_begin(self, args, state, control, model=None, tokenizer=None, **kwargs):
        params = {}
        to_dict = getattr(args, "to_dict", None)
        if callable(to_dict):
            try:
                params = _scalar_params(to_dict())
            except Exception:
                params = {}
        if params:
            self.run.set_params(params)
        tok = tokenizer if tokenizer is not None else kwargs.get("processing_class")
        tags = hf_tags(model=model, tokenizer=tok, datasets=self.datasets)
        self.run.set_tags(tags)
        self.run.log_event("train_begin", {"max_steps": getattr(state, "max_steps", None),
                                           "num_train_epochs": getattr(state, "num_train_epochs", None)})

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs:
            return
        step = getattr(state, "global_step", None)
        epoch = getattr(state, "epoch", None)
        epoch_i = int(epoch) if isinstance(epoch, numbers.Number) else None
        metrics = {}
        for k, v in logs.items():
            if k in _NOT_METRICS or isinstance(v, bool) or not isinstance(v, numbers.Number):
                continue
            metrics[self.log_prefix + k] = float(v)
        if isinstance(epoch, numbers.Number):
            # the fractional epoch is the x axis people expect for HF curves; keep it as its own series
            metrics[self.log_prefix + "epoch"] = float(epoch)
        if metrics:
            self.run.log_metrics(metrics, step=step, epoch=epoch_i)

    def on_save(self, args, state, control, **kwargs):
        step = getattr(state, "global_step", None)
        out = getattr(args, "output_dir", None)
        path = "%s/checkpoint-%s" % (out, step) if out else None
        self.run.log_event("checkpoint_saved", {"path": path, "step": step, "epoch": getattr(state, "epoch", None)})

    def on_train_end(self, args, state, control, **kwargs):
        self.run.log_event("train_end", {"global_step": getattr(state, "global_step", None),
                                         "epoch": getattr(state, "epoch", None)})
        if self.finish_on_train_end:
            self.run.finish("finished")

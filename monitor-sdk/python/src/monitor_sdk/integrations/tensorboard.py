"""TensorBoard: upload event files of a logdir as run artifacts, and a SummaryWriter that also reports
add_scalar values to the run so the curves appear live on the platform, not only in TensorBoard."""
import os


def find_event_files(logdir):
    out = []
    for root, _dirs, files in os.walk(logdir):
        for f in files:
            if "tfevents" in f:
                out.append(os.path.join(root, f))
    out.sort()
    return out


def upload_logdir(run, logdir, prefix="tensorboard", wait=False, timeout=None):
    """Queue each event file under logdir; artifact paths keep the sub-folders (train/, eval/) that
    TensorBoard uses to tell runs apart."""
    jobs = []
    for path in find_event_files(logdir):
        rel = os.path.relpath(path, logdir).replace(os.sep, "/")
        name = "%s/%s" % (prefix, rel) if prefix else rel
        jobs.append(run.upload_artifact(path, type="tensorboard", name=name))
    if wait:
        for job in jobs:
            job.wait(timeout)
    return jobs


def _default_writer_class():
    try:
        from torch.utils.tensorboard import SummaryWriter as W
        return W
    except Exception:
        pass
    try:
        from tensorboardX import SummaryWriter as W
        return W
    except Exception:
        pass
    raise ImportError("SummaryWriter needs torch (torch.utils.tensorboard) or tensorboardX; "
                      "pass writer= to wrap another writer")


class SummaryWriter(object):
    """Wraps a TensorBoard SummaryWriter; every other method is passed through unchanged."""

    def __init__(self, run, *args, writer=None, upload_on_close=True, **kwargs):
        self._run = run
        self._writer = writer if writer is not None else _default_writer_class()(*args, **kwargs)
        self._upload_on_close = upload_on_close

    @property
    def log_dir(self):
        get = getattr(self._writer, "get_logdir", None)
        if callable(get):
            return get()
        return getattr(self._writer, "log_dir", None) or getattr(self._writer, "logdir", None)

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, **kwargs):
        self._run.log_metric(tag, scalar_value, step=global_step)
        return self._writer.add_scalar(tag, scalar_value, global_step, walltime, **kwargs)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        self._run.log_metrics({"%s/%s" % (main_tag, k): v for k, v in tag_scalar_dict.items()}, step=global_step)
        return self._writer.add_scalars(main_tag, tag_scalar_dict, global_step, walltime)

    def close(self):
        self._writer.close()
        logdir = self.log_dir
        if self._upload_on_close and logdir and os.path.isdir(logdir):
            upload_logdir(self._run, logdir)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __getattr__(self, name):
        return getattr(self._writer, name)

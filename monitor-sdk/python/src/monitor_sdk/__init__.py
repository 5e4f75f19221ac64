"""monitor_sdk — report a training run to OneService without slowing the training loop.

    from monitor_sdk import OneServiceRun
    run = OneServiceRun(base_url=..., api_token=..., tenant=..., project=..., run_name=...)
    run.log_metric("loss", 0.53, step=1)
    run.finish(status="success")
"""
__version__ = "0.1.0"

from .run import OneServiceRun  # noqa: E402
from .hf import hf_tags  # noqa: E402

__all__ = ["OneServiceRun", "hf_tags", "__version__"]

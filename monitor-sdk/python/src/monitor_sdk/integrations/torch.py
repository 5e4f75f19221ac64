"""PyTorch helpers: the global gradient norm, the figure that shows exploding or vanishing gradients."""


def grad_norm(model_or_parameters, norm_type=2.0):
    """Norm of all gradients taken together (as clip_grad_norm_ computes it), without clipping.

    Accepts a module or an iterable of parameters; parameters without a gradient are skipped; returns a float
    (0.0 when no parameter has a gradient)."""
    import torch

    params = model_or_parameters.parameters() if hasattr(model_or_parameters, "parameters") else model_or_parameters
    grads = [p.grad.detach() for p in params if getattr(p, "grad", None) is not None]
    if not grads:
        return 0.0
    norm_type = float(norm_type)
    if norm_type == float("inf"):
        return float(max(g.abs().max().item() for g in grads))
    # One norm per tensor on its own device, then the norm of those: no giant concatenation.
    per_tensor = torch.stack([torch.linalg.vector_norm(g, norm_type).to(grads[0].device) for g in grads])
    return float(torch.linalg.vector_norm(per_tensor, norm_type).item())


def log_grad_norm(run, model, step=None, epoch=None, name="grad_norm", norm_type=2.0):
    value = grad_norm(model, norm_type)
    run.log_metric(name, value, step=step, epoch=epoch)
    return value

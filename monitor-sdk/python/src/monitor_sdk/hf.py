"""Hugging Face provenance as run tags (spec §16): which model, tokenizer and dataset, at which
revision, with which hashes — read defensively, since every attribute is optional across versions."""
import hashlib
import json
import sys


def _get(obj, *names):
    for name in names:
        try:
            v = getattr(obj, name)
        except Exception:
            continue
        if v is not None and v != "":
            return v
    return None


def _sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _config_hash(config):
    """A hash of the model config's content, stable across processes (keys sorted)."""
    data = None
    to_dict = getattr(config, "to_dict", None)
    if callable(to_dict):
        try:
            data = to_dict()
        except Exception:
            data = None
    if data is None and isinstance(config, dict):
        data = config
    if not isinstance(data, dict):
        return None
    # Fields that differ between two loads of the same weights would make the hash useless.
    data = {k: v for k, v in data.items() if k not in ("_commit_hash", "transformers_version", "_name_or_path")}
    try:
        return _sha256_hex(json.dumps(data, sort_keys=True, default=str))
    except Exception:
        return None


def _module_version(name):
    mod = sys.modules.get(name)
    v = getattr(mod, "__version__", None) if mod is not None else None
    return str(v) if v else None


def model_tags(model, prefix="hf.model."):
    tags = {}
    config = _get(model, "config")
    if config is None and isinstance(model, dict):
        config = model
    tags[prefix + "class"] = type(model).__name__
    name = _get(model, "name_or_path") or _get(config, "_name_or_path", "name_or_path")
    if name is None and isinstance(config, dict):
        name = config.get("_name_or_path")
    if name is not None:
        tags[prefix + "name"] = str(name)
    rev = _get(config, "_commit_hash") or _get(model, "_commit_hash")
    if rev is not None:
        tags[prefix + "revision"] = str(rev)
    mtype = _get(config, "model_type")
    if mtype is not None:
        tags[prefix + "type"] = str(mtype)
    arch = _get(config, "architectures")
    if arch:
        tags[prefix + "architectures"] = ",".join(str(a) for a in arch) if isinstance(arch, (list, tuple)) else str(arch)
    tv = _get(config, "transformers_version")
    if tv is not None:
        tags[prefix + "transformers_version"] = str(tv)
    h = _config_hash(config) if config is not None else None
    if h:
        tags[prefix + "config_sha256"] = h
    num_params = getattr(model, "num_parameters", None)
    if callable(num_params):
        try:
            tags[prefix + "num_parameters"] = str(int(num_params()))
        except Exception:
            pass
    return tags


def tokenizer_tags(tokenizer, prefix="hf.tokenizer."):
    tags = {prefix + "class": type(tokenizer).__name__}
    name = _get(tokenizer, "name_or_path")
    if name is None:
        init_kwargs = _get(tokenizer, "init_kwargs")
        if isinstance(init_kwargs, dict):
            name = init_kwargs.get("name_or_path")
    if name is not None:
        tags[prefix + "name"] = str(name)
    rev = _get(tokenizer, "_commit_hash")
    if rev is None:
        init_kwargs = _get(tokenizer, "init_kwargs")
        if isinstance(init_kwargs, dict):
            rev = init_kwargs.get("_commit_hash")
    if rev is not None:
        tags[prefix + "revision"] = str(rev)
    vocab = _get(tokenizer, "vocab_size")
    if vocab is not None:
        tags[prefix + "vocab_size"] = str(vocab)
    # The vocabulary itself is what makes two tokenizers equal; hash it when it is cheap to get.
    get_vocab = getattr(tokenizer, "get_vocab", None)
    if callable(get_vocab):
        try:
            vocab_items = sorted(get_vocab().items())
            tags[prefix + "vocab_sha256"] = _sha256_hex(json.dumps(vocab_items, ensure_ascii=False))
        except Exception:
            pass
    return tags


def dataset_tags(dataset, prefix="hf.dataset."):
    tags = {prefix + "class": type(dataset).__name__}
    info = _get(dataset, "info")
    name = _get(info, "dataset_name", "builder_name") if info is not None else None
    name = name or _get(dataset, "name", "builder_name")
    if name is not None:
        tags[prefix + "name"] = str(name)
    config_name = _get(info, "config_name") if info is not None else None
    if config_name is not None:
        tags[prefix + "config"] = str(config_name)
    version = _get(info, "version") if info is not None else None
    if version is not None:
        tags[prefix + "version"] = str(version)
    split = _get(dataset, "split")
    if split is not None:
        tags[prefix + "split"] = str(split)
    fp = _get(dataset, "_fingerprint", "fingerprint")
    if fp is not None:
        tags[prefix + "fingerprint"] = str(fp)
    rows = _get(dataset, "num_rows")
    if rows is None:
        try:
            rows = len(dataset)
        except Exception:
            rows = None
    if rows is not None:
        tags[prefix + "num_rows"] = str(rows)
    checksums = _get(info, "download_checksums") if info is not None else None
    if isinstance(checksums, dict) and checksums:
        try:
            tags[prefix + "download_checksums_sha256"] = _sha256_hex(json.dumps(checksums, sort_keys=True, default=str))
        except Exception:
            pass
    return tags


def hf_tags(model=None, tokenizer=None, dataset=None, datasets=None):
    """Tags describing the given Hugging Face objects; any of them may be None.

    `datasets` may map a role ("train", "eval") to a dataset; each gets its own `hf.dataset.<role>.` prefix."""
    tags = {}
    if model is not None:
        tags.update(model_tags(model))
    if tokenizer is not None:
        tags.update(tokenizer_tags(tokenizer))
    if dataset is not None:
        tags.update(dataset_tags(dataset))
    for role, ds in (datasets or {}).items():
        if ds is not None:
            tags.update(dataset_tags(ds, prefix="hf.dataset.%s." % role))
    for mod in ("transformers", "datasets", "tokenizers", "torch"):
        v = _module_version(mod)
        if v:
            tags["lib.%s" % mod] = v
    return tags

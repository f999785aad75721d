"""Saving models with skops in a canonical, byte-reproducible form, plus a JSON card.

``skops.io.dumps`` names array members after Python object ids and stamps the zip
members with the current time, so two dumps of equal models differ. :func:`canonical`
renames every member to the hash of its content, renumbers the ``__id__`` references
in ``schema.json`` in order of appearance and fixes the timestamps: equal models give
equal bytes, and the result still loads with skops. Vectorizers' ``stop_words_`` (kept
for introspection only) are dropped before dumping.

Examples
--------
>>> from sklearn.linear_model import LogisticRegression
>>> m1 = LogisticRegression(random_state=0).fit([[0.0], [1.0]], [0, 1])
>>> m2 = LogisticRegression(random_state=0).fit([[0.0], [1.0]], [0, 1])
>>> canonical(dumps(m1)) == canonical(dumps(m2))
True
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from framelens.errors import ConfigError

__all__ = [
    "dumps",
    "canonical",
    "strip_stop_words",
    "save",
    "load",
    "save_model",
    "load_model",
    "sha256_bytes",
]

_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.")


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def strip_stop_words(estimator):
    """Set every ``TfidfVectorizer.stop_words_`` inside ``estimator`` to None (in place;
    scikit-learn documents it as safe to drop before saving) and drop the vectorizers'
    ``_stop_words_id`` (the Python object id of ``stop_words``, a cache key that differs
    in every process and would make equal models differ in bytes). Returns ``estimator``."""
    todo = [estimator]
    while todo:
        obj = todo.pop()
        if hasattr(obj, "stop_words_"):
            obj.stop_words_ = None
        if "_stop_words_id" in getattr(obj, "__dict__", {}):
            del obj._stop_words_id
        for attr in ("steps", "transformers_", "transformers"):
            for part in getattr(obj, attr, None) or []:
                todo.append(part[1])
    return estimator


def dumps(estimator) -> bytes:
    """skops bytes of ``estimator`` (not yet canonical)."""
    import skops.io as sio

    return sio.dumps(strip_stop_words(estimator))


def _walk(obj, ren: dict, ids: dict):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "__id__" and isinstance(v, int):
                obj[k] = ids.setdefault(v, len(ids))
            elif isinstance(v, str) and v in ren:
                obj[k] = ren[v]
            else:
                _walk(v, ren, ids)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if isinstance(v, str) and v in ren:
                obj[i] = ren[v]
            else:
                _walk(v, ren, ids)


def canonical(data: bytes) -> bytes:
    """Canonical form of a skops dump: content-named members, renumbered ids, fixed times."""
    zi = zipfile.ZipFile(io.BytesIO(data))
    members = {n: zi.read(n) for n in zi.namelist()}
    tree = json.loads(members.pop("schema.json").decode("utf-8"))
    ren = {}
    for n, c in members.items():
        ext = n.rsplit(".", 1)[-1] if "." in n else ""
        ren[n] = sha256_bytes(c)[:40] + (f".{ext}" if ext else "")
    _walk(tree, ren, {})
    schema = json.dumps(tree, separators=(",", ":"), sort_keys=True).encode("utf-8")
    items = {ren[n]: c for n, c in members.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zo:
        for name, content in sorted([("schema.json", schema), *items.items()]):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zo.writestr(info, content)
    return out.getvalue()


def save(estimator, path: str | Path, *, card: dict) -> tuple[Path, Path]:
    """Write ``path`` (canonical skops) and the card next to it (``.card.json``).

    The card gets ``model_sha256`` (of the bytes written). Returns both paths.
    """
    path = Path(path)
    if path.suffix != ".skops":
        raise ConfigError(f"a model file ends in .skops, not {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    data = canonical(dumps(estimator))
    path.write_bytes(data)
    card = {**card, "model_file": path.name, "model_sha256": sha256_bytes(data)}
    card_path = path.with_suffix(".card.json")
    card_path.write_text(json.dumps(card, indent=2, sort_keys=True, default=_json) + "\n")
    return path, card_path


def _json(v):
    return v.tolist() if hasattr(v, "tolist") else str(v)


def load(path: str | Path):
    """``(estimator, card)`` from :func:`save`'s files. Only scikit-learn, numpy and scipy
    types are trusted; anything else in the file is refused (skops' safety check)."""
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: no such model file")
    data = path.read_bytes()
    untrusted = sio.get_untrusted_types(data=data)
    bad = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if bad:
        raise ConfigError(f"{path}: the model holds types framelens does not trust: {bad}")
    est = sio.loads(data, trusted=untrusted)
    card_path = path.with_suffix(".card.json")
    card = json.loads(card_path.read_text()) if card_path.exists() else {}
    if card.get("model_sha256") not in (None, sha256_bytes(data)):
        raise ConfigError(f"{path}: the file does not match its card's model_sha256")
    return est, card


def save_model(model, path: str | Path, *, card: dict) -> tuple[Path, Path]:
    """Save a :class:`~framelens.measures.supervised.training.Model`: its pipeline as
    canonical skops; its task, labels, thresholds, calibration maps and learned lexicon
    (plain numbers and words) in the card."""
    meta = {"task": model.task, "labels": [_plain(v) for v in model.labels],
            "thresholds": list(model.thresholds), "numeric": list(model.numeric),
            "label_C": list(getattr(model, "label_C", [])),
            "calibration": dict(getattr(model, "calibration", {}) or {}),
            "lexicon": dict(getattr(model, "lexicon", {}) or {})}  # fmt: skip
    return save(model.pipeline, path, card={**card, **meta})


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def load_model(path: str | Path):
    """``(Model, card)`` from :func:`save_model`'s files."""
    from .training import Model

    pipe, c = load(path)
    if "task" not in c:
        raise ConfigError(f"{path}: its card (.card.json) is missing or has no 'task'")
    model = Model(c["task"], pipe, c["labels"], c.get("thresholds", []), c.get("numeric", []),
                  c.get("label_C", []), c.get("calibration", {}), c.get("lexicon", {}))  # fmt: skip
    return model, c

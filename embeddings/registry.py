"""Build encoders from short string specs and from saved configs.

:func:`load_encoder` is how a user picks an encoder (``"use-multilingual"``,
``"st:all-MiniLM-L6-v2"``, a model directory); :func:`encoder_from_config` is how a saved engine
rebuilds exactly the encoder it was built with, from :meth:`Encoder.config`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, get_args

from .base import Encoder
from .chunking import ChunkingEncoder
from .hashing import HashingEncoder
from .st import SentenceTransformerEncoder
from .use import UniversalSentenceEncoder

__all__ = ["Backend", "encoder_from_config", "load_encoder"]

Backend = Literal["use", "st", "hashing", "chunks"]

DEFAULT_SPEC = "use-multilingual"
_USE_SPECS = frozenset({"use-multilingual", "use-multilingual-v3"})
_ST_PREFIX = "st:"
_HASHING_PREFIX = "hashing"
_VALID_FORMS = (
    "'use-multilingual' (alias 'use-multilingual-v3'), 'st:<model-name-or-path>', "
    "'hashing' or 'hashing:<dim>', or the path of a local sentence-transformers model directory"
)

# Keys each backend's config may hold besides "backend"; "name" and "dim" are checked after
# the encoder is built so that a moved or swapped model is caught instead of silently used.
_CONFIG_KEYS: dict[str, frozenset[str]] = {
    "use": frozenset({"threads", "workers"}),
    "st": frozenset({"model", "device", "local_files_only", "normalize"}),
    "hashing": frozenset({"dim", "max_n"}),
    "chunks": frozenset({"encoder", "max_chars", "max_chunks"}),
}
_CHECK_KEYS = frozenset({"name", "dim"})


def load_encoder(spec: str = DEFAULT_SPEC) -> Encoder:
    """Create an encoder from a short spec.

    Parameters
    ----------
    spec : str, optional
        ``"use-multilingual"`` (the default, offline multilingual USE v3),
        ``"st:<model-name-or-path>"`` for a sentence-transformers model available locally, or a
        path to a local sentence-transformers model directory.

    Returns
    -------
    Encoder
        A :class:`~embeddings.use.UniversalSentenceEncoder` (weights load lazily) or a
        :class:`~embeddings.st.SentenceTransformerEncoder` (loaded now, offline).

    Raises
    ------
    TypeError
        If ``spec`` is not a str.
    ValueError
        If ``spec`` matches none of the valid forms.
    ModelNotAvailableError
        If a sentence-transformers model is not available locally.
    ImportError
        If an ``st:`` spec is given but sentence-transformers is not installed.

    Examples
    --------
    >>> load_encoder().name
    'use-multilingual-v3'
    >>> load_encoder("st:all-MiniLM-L6-v2").dim
    384
    """
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a str; received {type(spec).__name__} {spec!r}")
    if spec in _USE_SPECS:
        return UniversalSentenceEncoder()
    if spec == _HASHING_PREFIX or spec.startswith(_HASHING_PREFIX + ":"):
        width = spec[len(_HASHING_PREFIX) + 1 :]
        if width and not width.isdigit():
            raise ValueError(f"spec {spec!r}: expected 'hashing:<dim>' with an integer dim")
        return HashingEncoder(dim=int(width)) if width else HashingEncoder()
    if spec.startswith(_ST_PREFIX):
        target = spec[len(_ST_PREFIX) :]
        if not target.strip():
            raise ValueError(f"spec {spec!r} names no model; expected 'st:<model-name-or-path>'")
        return SentenceTransformerEncoder(target)
    if os.path.isdir(os.path.expanduser(spec)):
        return SentenceTransformerEncoder(spec)
    raise ValueError(f"spec must be {_VALID_FORMS}; received {spec!r}")


def encoder_from_config(config: Mapping[str, Any]) -> Encoder:
    """Rebuild an encoder from the dict returned by its :meth:`~Encoder.config`.

    Parameters
    ----------
    config : mapping
        Must hold ``"backend"`` (``"use"`` or ``"st"``) and that backend's constructor
        arguments. May also hold ``"name"`` and ``"dim"``, which are checked against the
        rebuilt encoder.

    Returns
    -------
    Encoder
        An encoder equivalent to the one that produced ``config``.

    Raises
    ------
    TypeError
        If ``config`` is not a mapping or a value has the wrong type.
    ValueError
        If the backend is unknown, a key is not allowed for the backend, a required key is
        missing, or the rebuilt encoder's name or dim differs from the recorded one.
    ModelNotAvailableError
        If the recorded sentence-transformers model is no longer available locally.

    Examples
    --------
    >>> enc = load_encoder()
    >>> encoder_from_config(enc.config()).name == enc.name
    True
    """
    if not isinstance(config, Mapping):
        raise TypeError(f"config must be a mapping; received {type(config).__name__}")
    backend = config.get("backend")
    valid_backends = get_args(Backend)
    if not isinstance(backend, str) or backend not in valid_backends:
        raise ValueError(
            f"config['backend'] must be one of {', '.join(map(repr, valid_backends))}; "
            f"received {backend!r}"
        )
    allowed = _CONFIG_KEYS[backend]
    kept = _CHECK_KEYS - allowed
    kwargs = {k: v for k, v in config.items() if k != "backend" and k not in kept}
    unknown = sorted(set(kwargs) - allowed)
    if unknown:
        raise ValueError(
            f"config has key(s) {unknown} not allowed for backend {backend!r}; allowed: "
            f"{sorted(allowed | _CHECK_KEYS | {'backend'})}"
        )
    encoder: Encoder
    if backend == "use":
        encoder = UniversalSentenceEncoder(**kwargs)
    elif backend == "hashing":
        encoder = HashingEncoder(**kwargs)
    elif backend == "chunks":
        inner = encoder_from_config(kwargs.pop("encoder"))
        encoder = ChunkingEncoder(inner, **kwargs)
    else:
        if "model" not in kwargs:
            raise ValueError("config for backend 'st' must have a 'model' key")
        model = kwargs.pop("model")
        encoder = SentenceTransformerEncoder(model, **kwargs)
    for key in ("name", "dim"):
        if key in config and config[key] != getattr(encoder, key):
            raise ValueError(
                f"config[{key!r}] is {config[key]!r} but the rebuilt encoder has "
                f"{key} {getattr(encoder, key)!r}; the model has changed since it was saved"
            )
    return encoder

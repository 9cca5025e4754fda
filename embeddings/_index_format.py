"""On-disk format of :class:`~embeddings.index.VectorIndex` (``format_version`` 1).

A saved index is a directory holding:

* ``config.json``: ``kind="vector_index"``, ``format_version``, the constructor settings under
  ``"index"``, ``size``, ``trained_size`` (vectors an auto-nlist IVF index was trained on) and
  ``has_faiss``;
* ``ids.npy`` (int64, ``(size,)``) and ``vectors.npy`` (float16, ``(size, dim)``; float32 in
  files written before the mirror was half precision): the mirror;
* ``index.faiss`` when ``has_faiss``: the FAISS structure, written with ``faiss.write_index`` so
  that an HNSW graph or IVF clustering is restored exactly rather than rebuilt differently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from . import _io
from ._store import VectorStore
from ._validation import as_id_array
from .errors import IncompatibleFormatError

__all__ = ["IndexState", "read_index", "write_index"]

_KIND = "vector_index"
_FORMAT_VERSION = 1
_FAISS_FILE = "index.faiss"


@dataclass
class IndexState:
    """Everything a VectorIndex persists."""

    settings: dict[str, Any]
    store: VectorStore
    faiss_index: Any  # a FAISS index, or its bytes from faiss.serialize_index
    trained_size: int


def write_index(directory: str | os.PathLike[str], state: IndexState) -> None:
    """Write ``state`` to ``directory`` atomically."""
    config = {
        "kind": _KIND,
        "format_version": _FORMAT_VERSION,
        "index": state.settings,
        "size": len(state.store),
        "trained_size": state.trained_size,
        "has_faiss": state.faiss_index is not None,
    }
    with _io.atomic_directory(directory) as tmp:
        _io.write_config(tmp, config)
        _io.save_array(tmp, "ids", state.store.ids)
        _io.save_array(tmp, "vectors", state.store.vectors)
        if isinstance(state.faiss_index, np.ndarray):  # already serialised (VectorIndex.save)
            with open(tmp / _FAISS_FILE, "wb") as fh:
                fh.write(state.faiss_index.tobytes())
        elif state.faiss_index is not None:
            faiss.write_index(state.faiss_index, str(tmp / _FAISS_FILE))


def read_index(directory: str | os.PathLike[str]) -> IndexState:
    """Read and cross-check a directory written by :func:`write_index`.

    Raises
    ------
    FileNotFoundError
        If the directory or one of its files is missing.
    IncompatibleFormatError
        If the directory is not a saved index of a supported version, or its files disagree.
    """
    config = _io.read_config(directory, _KIND, (_FORMAT_VERSION,))
    where = str(directory)
    try:
        settings = dict(config["index"])
        dim, size = int(settings["dim"]), int(config["size"])
        has_faiss, trained_size = bool(config["has_faiss"]), int(config["trained_size"])
    except (KeyError, TypeError, ValueError) as exc:
        raise IncompatibleFormatError(f"config.json in {where!r} is invalid: {exc!r}") from exc
    ids, vectors = _io.load_array(directory, "ids"), _io.load_array(directory, "vectors")
    if (
        ids.dtype != np.int64
        or ids.shape != (size,)
        or vectors.dtype not in (np.float16, np.float32)
        or vectors.shape != (size, dim)
    ):
        raise IncompatibleFormatError(
            f"saved index in {where!r} is inconsistent: config says {size} vectors of dim {dim}, "
            f"found ids {ids.dtype}{ids.shape} and vectors {vectors.dtype}{vectors.shape}"
        )
    try:
        store = VectorStore.from_arrays(as_id_array(ids), vectors)
    except ValueError as exc:
        raise IncompatibleFormatError(f"saved ids in {where!r} are invalid: {exc}") from exc
    faiss_index = None
    # vectors saved in float32 (before the mirror was half precision) come with a structure
    # built on them: it is rebuilt from the rounded mirror, so that both score the same values
    if has_faiss and vectors.dtype == np.float16:
        path = Path(directory).expanduser() / _FAISS_FILE
        if not path.is_file():
            raise FileNotFoundError(f"saved FAISS index {str(path)!r} is missing")
        faiss_index = faiss.read_index(str(path))
        # a graph also holds the nodes that changed or removed vectors left behind
        nodes = size + int(settings.get("superseded", 0))
        if faiss_index.ntotal != nodes or faiss_index.d != dim:
            raise IncompatibleFormatError(
                f"{_FAISS_FILE} in {where!r} holds {faiss_index.ntotal} vectors of dim "
                f"{faiss_index.d}; expected {nodes} of dim {dim}"
            )
    return IndexState(settings, store, faiss_index, trained_size)

"""Engine directories: what :meth:`MatchingEngine.save` writes and :meth:`load` reads.

Layout (``format_version`` 1)::

    config.json          format version, engine settings, encoder, rankers, score scales
    store.sqlite         records, sources, sensitive attributes, events, audit log
    index_jobs/          FAISS index of job vectors        (VectorIndex.save)
    index_candidates/    FAISS index of candidate vectors
    embedding_cache/     vectors by content hash           (EmbeddingCache.save)
    ranker_jobs/         LightGBM model per direction      (LambdaRankRanker.save)
    ranker_candidates/

Every part is written under a temporary name and renamed into place, ``config.json`` last.
The store is the source of truth: on load the indexes are checked against it record by record
and anything written after the last save is embedded again (from the cache when the text is
unchanged), so a restart answers exactly as before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from embeddings import CachedEncoder, EmbeddingCache, Encoder, VectorIndex, encoder_from_config
from matching.config import EngineConfig
from matching.errors import StorageError
from matching.sides import Side, candidate_text, job_text
from ranking import LambdaRankRanker

if TYPE_CHECKING:
    from matching.engine import MatchingEngine

__all__ = ["FORMAT_VERSION", "load_engine", "rebuild_from_store", "save_engine"]

FORMAT_VERSION = 1
DIRECTIONS = ("jobs", "candidates")


def write_json_atomic(path: Path, payload: dict[str, Any]) -> None:
    """Write JSON to a temporary name, fsync, and rename it over ``path``."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save_engine(engine: MatchingEngine, target: Path) -> Path:
    """Write ``engine`` to the directory ``target`` (see the module notes)."""
    target.mkdir(parents=True, exist_ok=True)
    own = engine._path is not None and target.resolve() == engine._path.resolve()
    if not own:
        engine._store.backup_to(target / "store.sqlite")
    engine._job_index.save(target / "index_jobs")
    engine._candidate_index.save(target / "index_candidates")
    engine._cache.save(target / "embedding_cache")
    for direction in DIRECTIONS:
        ranker = engine._rankers.get(direction)
        if ranker is not None:
            ranker.save(target / f"ranker_{direction}")
    write_json_atomic(
        target / "config.json",
        {
            "format_version": FORMAT_VERSION,
            "engine": engine.config.to_dict(),
            "encoder": engine._encoder.config(),
            "rankers": sorted(engine._rankers),
            "score_scales": {d: list(v) for d, v in sorted(engine._scales.items())},
            "n_jobs": len(engine._jobs),
            "n_candidates": len(engine._candidates),
        },
    )
    return target


def load_engine(
    cls: type[MatchingEngine], path: Path, *, encoder: Encoder | None = None
) -> MatchingEngine:
    """Open an engine directory written by :func:`save_engine`."""
    config_path = path / "config.json"
    if not config_path.exists():
        raise StorageError(f"{path} is not an engine directory (no config.json)")
    meta = json.loads(config_path.read_text(encoding="utf-8"))
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise StorageError(
            f"{path}: format_version {version!r}; this gradmatch reads {FORMAT_VERSION}"
        )
    if not (path / "store.sqlite").exists():
        raise StorageError(f"{path}: store.sqlite is missing; the engine cannot be opened")
    config = EngineConfig.from_dict(meta["engine"])
    if encoder is None:
        encoder = encoder_from_config(meta["encoder"])
    elif encoder.config() != meta["encoder"]:
        raise ValueError(
            f"encoder: got {encoder.config()!r}, but the engine was built with "
            f"{meta['encoder']!r}; vectors of different encoders cannot be mixed"
        )
    engine = cls(config=config, encoder=encoder, path=path)
    if (path / "embedding_cache").exists():
        engine._cache = EmbeddingCache.load(path / "embedding_cache")
        engine._encoder = CachedEncoder(encoder, engine._cache)
    for name, attr in (("index_jobs", "_job_index"), ("index_candidates", "_candidate_index")):
        if (path / name).exists():
            setattr(engine, attr, VectorIndex.load(path / name))
    for direction in meta.get("rankers", []):
        engine._rankers[direction] = LambdaRankRanker.load(path / f"ranker_{direction}")
    engine._scales = {
        d: (float(lo), float(hi)) for d, (lo, hi) in meta.get("score_scales", {}).items()
    }
    rebuild_from_store(engine)
    return engine


def rebuild_from_store(engine: MatchingEngine) -> None:
    """Fill the in-memory sides from the store and make each index agree with it.

    An id missing from the index, an id the store no longer has, and a vector that is not
    the embedding of the stored text (a record changed after the last save) are all put
    right; unchanged texts come from the embedding cache without encoding.
    """
    sides: list[tuple[Side[Any], VectorIndex, list[tuple[int, Any]], Any]] = [
        (engine._jobs, engine._job_index, list(engine._store.iter_jobs()), job_text),
        (
            engine._candidates,
            engine._candidate_index,
            list(engine._store.iter_candidates()),
            candidate_text,
        ),
    ]
    for side, index, rows, text_of in sides:
        for key, record in rows:
            side.put(key, record)
        stored = np.asarray([k for k, _ in rows], dtype=np.int64)
        extra = np.setdiff1d(index.ids, stored)
        if len(extra):
            index.remove(extra, missing_ok=True)
        if not len(stored):
            continue
        expected = engine._encoder.encode([text_of(r) for _, r in rows])
        present = np.isin(stored, index.ids)
        stale = ~present
        if present.any():
            current = index.get_vectors(stored[present])
            # the index keeps unit vectors; compare like with like
            want = expected[present]
            want = want / np.maximum(np.linalg.norm(want, axis=1, keepdims=True), 1e-12)
            same = np.all(np.isclose(current, want, atol=1e-5), axis=1)
            stale[np.flatnonzero(present)[~same]] = True
        if stale.any():
            index.add(stored[stale], expected[stale])

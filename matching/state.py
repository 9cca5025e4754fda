"""Engine directories: the explicit state an engine is saved as and loaded from.

Layout (``format_version`` 1)::

    config.json          format version, engine settings, encoder, rankers, score scales
    store.sqlite         records, sources, sensitive attributes, events, audit log
    index_jobs/          vectors of the jobs            (VectorIndex.save)
    index_candidates/    vectors of the candidates
    embedding_cache/     vectors by content hash        (EmbeddingCache.save)
    ranker_jobs/         trained model per direction    (LambdaRankRanker.save)
    ranker_candidates/

Every part is written under a temporary name and renamed into place, ``config.json`` last.
The store is the source of truth: on load the indexes are checked against it record by record
and anything written after the last save is embedded again (from the cache when the text is
unchanged), so a restart answers exactly as before.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from embeddings import (
    EmbeddingCache,
    EmbeddingsError,
    Encoder,
    VectorIndex,
    create_index,
    encoder_from_config,
)
from matching.config import EngineConfig
from matching.errors import StorageError, ValidationError
from matching.scoring import ModelSet
from matching.store import RecordStore
from ranking import RankingError

__all__ = ["FORMAT_VERSION", "STORE_FILE", "EngineState", "load_state", "save_state"]

FORMAT_VERSION = 1
#: The store's file inside an engine directory.
STORE_FILE = "store.sqlite"


@dataclass
class EngineState:
    """Everything of an engine that is saved besides its store.

    ``encoder`` is the base encoder (not the cached wrapper); ``cache`` its embedding cache.
    """

    config: EngineConfig
    encoder: Encoder
    cache: EmbeddingCache
    job_index: VectorIndex
    candidate_index: VectorIndex
    models: ModelSet

    @classmethod
    def new(cls, config: EngineConfig, encoder: Encoder) -> EngineState:
        """The state of an empty engine: empty indexes and cache, transparent scorers."""
        return cls(
            config=config,
            encoder=encoder,
            cache=EmbeddingCache(dim=encoder.dim),
            job_index=create_index(config.index_kind, encoder.dim),
            candidate_index=create_index(config.index_kind, encoder.dim),
            models=ModelSet(),
        )


def write_json_atomic(path: Path, payload: dict[str, Any]) -> None:
    """Write JSON to a temporary name, fsync, and rename it over ``path``."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save_state(
    target: Path, state: EngineState, store: RecordStore, *, store_in_place: bool
) -> Path:
    """Write ``state`` (and, unless ``store_in_place``, a copy of ``store``) to ``target``.

    Raises
    ------
    StorageError
        A part cannot be written.
    """
    try:
        target.mkdir(parents=True, exist_ok=True)
        if not store_in_place:
            store.backup_to(target / STORE_FILE)
        state.job_index.save(target / "index_jobs")
        state.candidate_index.save(target / "index_candidates")
        state.cache.save(target / "embedding_cache")
        recorded = state.models.save(target)
        write_json_atomic(
            target / "config.json",
            {
                "format_version": FORMAT_VERSION,
                "engine": state.config.to_dict(),
                "encoder": state.encoder.config(),
                **recorded,
                "n_jobs": store.count_jobs(),
                "n_candidates": store.count_candidates(),
            },
        )
    except (OSError, EmbeddingsError, RankingError) as exc:
        raise StorageError(f"cannot save the engine to {target}: {exc}") from exc
    return target


#: The part directories of an engine, each replaced as a whole by its own save.
_PARTS = ("index_jobs", "index_candidates", "embedding_cache", "ranker_jobs", "ranker_candidates")


def recover_parts(path: Path) -> list[str]:
    """Finish or undo part saves that a crash interrupted; return the parts put back.

    A part directory is replaced by two renames (the old one aside, the new one in). A crash
    between them leaves no part under its name, and the previous version beside it as
    ``.<part>.old-*`` (the artefact itself, or with the artefact in ``model/``): that version
    is the one ``config.json`` (written after every part) describes, so it is put back.
    Half-written ``.<part>.tmp-*`` directories and leftover old versions are removed once
    they are a minute old (a save running in another process right now keeps its own).
    """
    restored = []
    settled = time.time() - 60
    for name in _PARTS:
        target = path / name
        olds = sorted(path.glob(f".{name}.old-*"), key=lambda p: p.stat().st_mtime)
        if not target.exists() and olds:
            newest = olds[-1]
            inner = newest / "model" if (newest / "model" / "config.json").exists() else newest
            if (inner / "config.json").exists():
                os.replace(inner, target)
                restored.append(name)
                if inner != newest:
                    shutil.rmtree(newest, ignore_errors=True)  # the emptied wrapper
        for leftover in [*path.glob(f".{name}.old-*"), *path.glob(f".{name}.tmp-*")]:
            if leftover.stat().st_mtime < settled:
                shutil.rmtree(leftover, ignore_errors=True)
    stale = path / "config.json.tmp"
    if stale.exists() and stale.stat().st_mtime < settled:
        stale.unlink()
    return restored


def load_state(path: Path, *, encoder: Encoder | None = None) -> EngineState:
    """Read the state of an engine directory written by :func:`save_state`.

    Raises
    ------
    StorageError
        ``path`` holds no engine, its store is missing, its format is newer, or a part is
        missing or damaged.
    ValidationError
        ``encoder`` is not the encoder the engine was built with.
    """
    config_path = path / "config.json"
    if not config_path.exists():
        raise StorageError(f"{path} is not an engine directory (no config.json)")
    recover_parts(path)
    try:
        meta = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StorageError(f"{config_path} cannot be read: {exc}") from exc
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise StorageError(
            f"{path}: format_version {version!r}; this gradmatch reads {FORMAT_VERSION}"
        )
    if not (path / STORE_FILE).exists():
        raise StorageError(f"{path}: {STORE_FILE} is missing; the engine cannot be opened")
    try:
        config = EngineConfig.from_dict(meta["engine"])
    except (KeyError, TypeError, ValidationError) as exc:
        raise StorageError(f"{config_path}: the engine settings cannot be read: {exc}") from exc
    if encoder is None:
        try:
            encoder = encoder_from_config(meta["encoder"])
        except (ValueError, TypeError, OSError) as exc:
            raise StorageError(f"{path}: the engine's encoder cannot be rebuilt: {exc}") from exc
    elif encoder.config() != meta["encoder"]:
        raise ValidationError(
            "encoder",
            f"got {encoder.config()!r}, but the engine was built with {meta['encoder']!r}; "
            "vectors of different encoders cannot be mixed",
        )
    state = EngineState.new(config, encoder)
    try:
        if (path / "embedding_cache").exists():
            state.cache = EmbeddingCache.load(path / "embedding_cache")
        if (path / "index_jobs").exists():
            state.job_index = VectorIndex.load(path / "index_jobs")
        if (path / "index_candidates").exists():
            state.candidate_index = VectorIndex.load(path / "index_candidates")
        state.models = ModelSet.load(path, meta)
    except (OSError, EmbeddingsError, RankingError, KeyError, ValueError) as exc:
        raise StorageError(f"{path}: a part of the engine cannot be read: {exc}") from exc
    return state

"""Test-wide set-up: one BLAS/OpenMP thread, offline model hubs, caches in .gradmatch/."""

from __future__ import annotations

import os
from pathlib import Path

# Before numpy, faiss or torch load: other load on a 2-core machine makes more threads slower.
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Caches (jieba's dictionary among them) go to the project's own data folder, not a temp dir.
os.environ.setdefault(
    "GRADMATCH_HOME", str(Path(__file__).resolve().parent.parent / ".gradmatch" / "home")
)

try:  # torch is only present with the sentence-transformers extra
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - depends on the install
    pass

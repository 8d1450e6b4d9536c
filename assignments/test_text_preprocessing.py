"""Public self-checks for text_preprocessing.py: run `python -m pytest` in this folder."""

import collections

import pytest
from text_preprocessing import Vocab, count_corpus, tokenize

LINES = ["the time machine", "by h g wells"]


def test_tokenize_words_and_chars():
    assert tokenize(LINES) == [["the", "time", "machine"], ["by", "h", "g", "wells"]]
    assert tokenize(["a b"], token="char") == [["a", " ", "b"]]


def test_tokenize_refuses_an_unknown_token_type():
    with pytest.raises(ValueError):
        tokenize(LINES, token="sentence")


def test_count_corpus_counts_tokens():
    counts = count_corpus([["a", "b", "a"], ["b", "a", "c"]])
    assert isinstance(counts, collections.Counter)
    assert counts == {"a": 3, "b": 2, "c": 1}


def test_vocab_maps_tokens_to_indices_and_back():
    vocab = Vocab([["a", "b", "a"], ["c", "a", "b"]])
    assert len(vocab) == 4  # <unk>, a, b, c
    assert vocab.to_tokens(0) == "<unk>" and vocab["zzz"] == 0
    indices = vocab[["a", "b", "c"]]
    assert sorted(indices) == [1, 2, 3], "each token its own index after <unk>"
    assert vocab.to_tokens(indices) == ["a", "b", "c"]
    assert vocab[("c", "zzz")] == [vocab["c"], 0]


def test_vocab_min_freq_and_special_tokens():
    # a occurs 3 times, b twice, c once: min_freq=2 keeps a and b (freq >= min_freq).
    vocab = Vocab([["a", "b", "a"], ["c", "a", "b"]], min_freq=2, use_special_tokens=True)
    assert vocab.to_tokens([0, 1, 2, 3]) == ["<pad>", "<bos>", "<eos>", "<unk>"]
    assert len(vocab) == 6
    assert vocab["c"] == 3, "a token rarer than min_freq is unknown"
    assert sorted(vocab[["a", "b"]]) == [4, 5]

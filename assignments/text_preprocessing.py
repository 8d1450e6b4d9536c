"""Text preprocessing: tokens and a vocabulary.

D2L, chapter "Recurrent Neural Networks", section "Text Preprocessing"
(section 8.2 in the 1.0 edition; the study group's Task02 notebook, whose
versions of these functions you write here). Before a language model can read
a text, the text is split into tokens (words or characters), the tokens are
counted, and a vocabulary maps each token to an integer index and back.
"""

from __future__ import annotations

import collections  # noqa: F401  (count_corpus returns a collections.Counter)
from collections.abc import Sequence


def tokenize(sentences: list[str], token: str = "word") -> list[list[str]]:
    """Split each sentence into word tokens or character tokens.

    A model works on sequences of tokens, not on raw strings: "word" splits
    a sentence at its spaces, "char" into its single characters.

    Args:
        sentences: a list of str, e.g. lines of a text already lower-cased,
            with words separated by single spaces.
        token: 'word' or 'char'.

    Returns:
        A list of the same length as sentences; item i is the list of the
        tokens of sentences[i]: sentence.split(' ') for 'word' (split() is
        accepted too: the two agree on single spaces), list(sentence) for
        'char' (spaces are characters too). sentences is not modified.

    Raises:
        ValueError: for any other token type. An unknown type is an error:
            raise (ValueError is the usual exception for a wrong argument;
            any exception is accepted), do not print a message and return None.
    """
    raise NotImplementedError("implement tokenize")


def count_corpus(sentences: list[list[str]]) -> collections.Counter:
    """Count how often each token occurs in a tokenized corpus.

    The vocabulary keeps frequent tokens and drops rare ones, so it needs the
    frequency of every token.

    Args:
        sentences: a list of token lists, as tokenize returns it.

    Returns:
        A collections.Counter mapping each token (not each sentence) to its
        number of occurrences over all sentences. sentences is not modified.
    """
    raise NotImplementedError("implement count_corpus")


class Vocab:
    """A vocabulary: a bijection between tokens and the indices 0 .. len - 1.

    Index 0 is the unknown token '<unk>' (self.unk = 0), which every token
    outside the vocabulary maps to. With use_special_tokens=True the first
    four indices are '<pad>' (0), '<bos>' (1), '<eos>' (2) and '<unk>' (3),
    as self.pad, self.bos, self.eos and self.unk. The corpus's tokens follow,
    each once, in any order (the course keeps the counter's order; sorting
    by frequency, as later editions of the book do, is accepted too).

    Args:
        tokens: a tokenized corpus, a list of token lists (count it with
            count_corpus).
        min_freq: keep a token only if it occurs at least min_freq times
            (freq >= min_freq); rarer tokens map to '<unk>'.
        use_special_tokens: reserve the four special tokens above.

    Attributes:
        idx_to_token: the list of tokens, by index.
        token_to_idx: the dict from token to index.
        unk: the index of '<unk>'.
    """

    def __init__(self, tokens: list[list[str]], min_freq: int = 0,
                 use_special_tokens: bool = False) -> None:
        """Count the tokens and build idx_to_token and token_to_idx."""
        raise NotImplementedError("implement Vocab.__init__")

    def __len__(self) -> int:
        """The number of tokens in the vocabulary, special tokens included."""
        raise NotImplementedError("implement Vocab.__len__")

    def __getitem__(self, tokens: str | Sequence[str]) -> int | list[int]:
        """The index of a token, or the list of indices of a list or tuple of tokens.

        A token outside the vocabulary gives self.unk (use dict.get with a
        default: a KeyError is not an answer).
        """
        raise NotImplementedError("implement Vocab.__getitem__")

    def to_tokens(self, indices: int | Sequence[int]) -> str | list[str]:
        """The token of an index, or the list of tokens of a list or tuple of
        indices: the inverse of __getitem__ (vocab.to_tokens(vocab[t]) == t for
        every token t of the vocabulary)."""
        raise NotImplementedError("implement Vocab.to_tokens")

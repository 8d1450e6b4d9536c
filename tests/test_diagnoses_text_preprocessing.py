"""text_preprocessing: the accepted variants of the course and the book keep full marks.

The classic mistakes are declared in exercises/text_preprocessing/unit.py (MISTAKES) and
graded by the generic tests; here, the versions that differ from the reference and are
right must lose nothing.
"""

from __future__ import annotations

from tests import helpers
from tests.helpers import assert_full_marks, failures

MODULE = "text_preprocessing"


def graded(tmp_path, source: str, only: str, lang: str = "en"):
    return helpers.graded(tmp_path, MODULE, source, only, lang=lang)


def test_the_books_vocab_sorted_by_frequency_gets_full_marks(tmp_path):
    # The d2l version: tokens sorted by frequency, then by token; no `not in` check.
    assert_full_marks(graded(tmp_path, """
    class Vocab(object):
        def __init__(self, tokens, min_freq=0, use_special_tokens=False):
            tokens = [tk for line in tokens for tk in line]
            counter = collections.Counter(tokens)
            self.token_freqs = sorted(counter.items(), key=lambda x: x[0])
            self.token_freqs.sort(key=lambda x: x[1], reverse=True)
            if use_special_tokens:
                self.pad, self.bos, self.eos, self.unk = (0, 1, 2, 3)
                tokens = ['<pad>', '<bos>', '<eos>', '<unk>']
            else:
                self.unk = 0
                tokens = ['<unk>']
            tokens += [token for token, freq in self.token_freqs if freq >= min_freq]
            self.idx_to_token = []
            self.token_to_idx = dict()
            for token in tokens:
                self.idx_to_token.append(token)
                self.token_to_idx[token] = len(self.idx_to_token) - 1

        def __len__(self):
            return len(self.idx_to_token)

        def __getitem__(self, tokens):
            if not isinstance(tokens, (list, tuple)):
                return self.token_to_idx.get(tokens, self.unk)
            else:
                return [self.__getitem__(token) for token in tokens]

        def to_tokens(self, indices):
            if not isinstance(indices, (list, tuple)):
                return self.idx_to_token[indices]
            else:
                return [self.idx_to_token[index] for index in indices]
    """, "Vocab"))


def test_tokenize_with_split_and_a_lookup_that_raises_gets_full_marks(tmp_path):
    # split() agrees with split(' ') on single spaces; an unknown type raises KeyError.
    assert_full_marks(graded(tmp_path, """
    def tokenize(sentences, token='word'):
        split = {'word': str.split, 'char': list}[token]
        return [split(sentence) for sentence in sentences]
    """, "tokenize"))


def test_vocab_is_graded_with_the_courses_count_corpus(tmp_path):
    # A wrong count_corpus costs count_corpus alone: Vocab keeps its marks.
    report = graded(tmp_path, """
    def count_corpus(sentences):
        return collections.Counter(sentences[0])
    """, "text_preprocessing")
    failed = failures(report)
    assert failed and all(test.startswith("test_count_corpus") for test in failed), failed


def test_a_diagnosis_in_chinese(tmp_path):
    report = graded(tmp_path, """
    def tokenize(sentences, token='word'):
        if token == 'word':
            return [sentence.split(' ') for sentence in sentences]
        elif token == 'char':
            return [list(sentence) for sentence in sentences]
        else:
            print('ERROR: unkown token type ' + token)
    """, "tokenize", lang="zh")
    assert "未知的词元类型是一个错误" in failures(report)["test_tokenize_unknown_type"]

"""Hidden suite for text_preprocessing.py: tokenize, count_corpus and the Vocab class.

Correct versions of Vocab order the corpus's tokens differently (the course keeps the
counter's order, later editions of the book sort by frequency), so the suite judges
properties, never one ordering: a bijection between tokens and indices, '<unk>' (and
'<pad>', '<bos>', '<eos>') at the course's indices, min_freq honoured, and to_tokens
inverting __getitem__. A Vocab is built in the worker (procedure "vocab_queries") with the
course's count_corpus, and only its answers to the grader's queries come back.
"""

from __future__ import annotations

import random
from typing import Any

from autograder.checks import (
    RETURN_VALUE,
    Outcome,
    Student,
    code,
    describe,
    error_diagnosis,
)
from autograder.messages import Diagnosis, Phrase
from autograder.plugin import grades
from autograder.protocol import Drained
from autograder.registry import reference

ref = reference("text_preprocessing")

CPU = ("cpu",)  # no tensors: the values are the same on every device
MODULE_FILE = "text_preprocessing.py"

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def word_pool(seed: int, size: int) -> list[str]:
    """`size` distinct lower-case words of 1 to 6 letters, none of them special."""
    rng = random.Random(seed)
    words: list[str] = []
    while len(words) < size:
        word = "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 6)))
        if word not in words:
            words.append(word)
    return words


def make_lines(seed: int, count: int, pool: list[str]) -> list[str]:
    """`count` lines of 2 to 7 words of `pool`, separated by single spaces."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(pool) for _ in range(rng.randint(2, 7))) for _ in range(count)]


def short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + " ..."


# -- tokenize ----------------------------------------------------------------------------


def token_lists(out: Outcome, lines: list[str]) -> list[list[str]]:
    """What tokenize returned, as lists of tokens; a diagnosis where it is no such list."""
    value = out.value
    if out.result["args"][0] != lines:
        raise Diagnosis("modified_input", function="tokenize", argument="sentences")
    if isinstance(value, Drained) or not isinstance(value, (list, tuple)):
        raise Diagnosis("wrong_type", what=RETURN_VALUE, function="tokenize",
                        expected=Phrase("tp.expected_token_lists"), actual=describe(value))
    if value and all(isinstance(item, str) for item in value):
        raise Diagnosis("tokenize.flat", count=len(lines), actual=len(value))
    if len(value) != len(lines):
        raise Diagnosis("tokenize.length", actual=len(value), expected=len(lines))
    for index, item in enumerate(value):
        if not isinstance(item, (list, tuple)) or not all(isinstance(t, str) for t in item):
            raise Diagnosis("tokenize.not_token_list", index=index, actual=describe(item))
    return [list(item) for item in value]


def first_difference(actual: list[list[str]], expected: list[list[str]]) -> int:
    return next(i for i, (a, e) in enumerate(zip(actual, expected)) if a != e)


@grades("tokenize", points=0.5, public=True, devices=CPU)
def test_tokenize_words(student, device):
    """tokenize(sentences, 'word') splits each sentence at its spaces"""
    lines = make_lines(seed=11, count=6, pool=word_pool(seed=12, size=15))
    out = student.call("tokenize", lines, "word", device=device)
    actual = token_lists(out, lines)
    expected = ref.tokenize(lines, "word")
    if actual == expected:
        return
    if actual == [list(line) for line in lines]:
        raise Diagnosis("tokenize.chars_for_words")
    index = first_difference(actual, expected)
    raise Diagnosis("tokenize.wrong_tokens", mode="'word'", sentence=short(lines[index]),
                    actual=short(actual[index]), expected=short(expected[index]))


@grades("tokenize", points=0.5, devices=CPU)
def test_tokenize_chars(student, device):
    """tokenize(sentences, 'char') splits each sentence into its characters, spaces included"""
    lines = make_lines(seed=13, count=4, pool=word_pool(seed=14, size=10))
    out = student.call("tokenize", lines, token="char", device=device)
    actual = token_lists(out, lines)
    expected = ref.tokenize(lines, token="char")
    if actual == expected:
        return
    if actual == [line.split(" ") for line in lines]:
        raise Diagnosis("tokenize.words_for_chars")
    if actual == [list(line.replace(" ", "")) for line in lines]:
        raise Diagnosis("tokenize.chars_no_spaces")
    index = first_difference(actual, expected)
    raise Diagnosis("tokenize.wrong_tokens", mode="'char'", sentence=short(lines[index]),
                    actual=short(actual[index]), expected=short(expected[index]))


@grades("tokenize", points=0.5, devices=CPU)
def test_tokenize_unknown_type(student, device):
    """tokenize raises an error for a token type other than 'word' and 'char'"""
    lines = make_lines(seed=15, count=3, pool=word_pool(seed=16, size=8))
    try:
        out = student.call("tokenize", lines, token="subword", device=device)
    except Diagnosis as raised:
        if raised.key == "raised":  # an exception of the student's own: the contract
            return
        raise
    if out.value is None:
        raise Diagnosis("tokenize.printed", token="'subword'")
    raise Diagnosis("tokenize.unknown_accepted", token="'subword'", actual=describe(out.value))


# -- count_corpus ------------------------------------------------------------------------


def check_counts(student: Student, device: str, seed: int) -> Outcome:
    pool = word_pool(seed=seed, size=12)
    sentences = ref.tokenize(make_lines(seed=seed + 1, count=8, pool=pool))
    before = [list(sentence) for sentence in sentences]
    out = student.run("count_corpus_entries", "count_corpus", device=device, sentences=sentences)
    if out.result["args"][0] != before:
        raise Diagnosis("modified_input", function="count_corpus", argument="sentences")
    entries = out.result["entries"]
    if entries is None:
        raise Diagnosis("wrong_type", what=RETURN_VALUE, function="count_corpus",
                        expected=Phrase("tp.expected_counter"), actual=describe(out.value))
    if any(isinstance(key, (tuple, list)) for key, _ in entries):
        raise Diagnosis("count_corpus.sentences")
    actual = dict(entries)
    expected = dict(ref.count_corpus(sentences))
    if actual == expected:
        return out
    once = {token: sum(token in sentence for sentence in sentences) for token in expected}
    if actual == once:
        raise Diagnosis("count_corpus.once_per_sentence")
    for token, number in expected.items():
        if token not in actual:
            raise Diagnosis("count_corpus.missing", token=repr(token), expected=number)
        if actual[token] != number:
            raise Diagnosis("count_corpus.wrong_count", token=repr(token),
                            actual=short(actual[token]), expected=number)
    extra = next(key for key in actual if key not in expected)
    raise Diagnosis("count_corpus.extra", token=short(extra))


@grades("count_corpus", points=0.75, public=True, devices=CPU)
def test_count_corpus_counts_tokens(student, device):
    """count_corpus counts every token over all sentences"""
    check_counts(student, device, seed=21)


@grades("count_corpus", points=0.25, devices=CPU)
def test_count_corpus_returns_counter(student, device):
    """count_corpus returns a collections.Counter of the right counts"""
    out = check_counts(student, device, seed=23)
    if not out.result["is_counter"]:
        raise Diagnosis("count_corpus.not_counter", actual=describe(out.value))


# -- Vocab -------------------------------------------------------------------------------

UNKNOWN = ["zzzzzzz", "qqqqqqq"]  # longer than any word of the pools: never in a corpus
SPECIAL = ["<pad>", "<bos>", "<eos>", "<unk>"]
SPECIAL_NAMES = ["pad", "bos", "eos", "unk"]  # their attributes: self.pad = 0, ...
LIST, TUPLE = Phrase("tp.kind.list"), Phrase("tp.kind.tuple")


class Answers:
    """A Vocab built in the worker, and its answers to the queries, in order.

    It is built with the book's count_corpus (a mistake in the student's costs
    count_corpus alone): every test of Vocab declares it, collaborators=("count_corpus",),
    and so runs after every test of count_corpus.
    """

    def __init__(self, student: Student, device: str, tokens: list[list[str]],
                 queries: list[tuple[str, Any]], **kwargs: Any):
        self.out = student.run("vocab_queries", "Vocab", device=device,
                               book=["count_corpus"], tokens=tokens, kwargs=kwargs,
                               queries=queries)
        self.queries = queries
        self.answers = self.out.result["answers"]
        if self.out.result["args"][0] != tokens:
            raise Diagnosis("modified_input", function="Vocab", argument="tokens")

    def raw(self, query: tuple[str, Any]) -> dict[str, Any]:
        return self.answers[self.queries.index(query)]

    def get(self, query: tuple[str, Any]) -> Any:
        """The answer to `query`; the error it raised becomes its diagnosis."""
        answer = self.raw(query)
        if "error" in answer:
            raise error_diagnosis("Vocab", {**answer["error"], "module_file": MODULE_FILE})
        return answer["value"]

    def length(self) -> int:
        value = self.get(("len", None))
        if type(value) is not int:
            raise Diagnosis("wrong_type", what=code("len(vocab)"), function="Vocab",
                            expected=Phrase("tp.expected_int"), actual=describe(value))
        return value

    def attribute(self, name: str, expected: int) -> None:
        """vocab.<name> (pad, bos, eos, unk) must be the index `expected`."""
        answer = self.raw(("attribute", name))
        if "error" in answer and answer["error"].get("type") == "AttributeError":
            raise Diagnosis("vocab.attribute", name=name, expected=expected,
                            actual=Phrase("tp.no_attribute"))
        value = self.get(("attribute", name))
        if type(value) is not int or value != expected:
            raise Diagnosis("vocab.attribute", name=name, expected=expected,
                            actual=describe(value))

    def index(self, token: str) -> int:
        """vocab[token], which must be an int."""
        answer = self.raw(("getitem", token))
        if "error" in answer and answer["error"].get("type") == "KeyError":
            raise Diagnosis("vocab.unknown_keyerror", token=repr(token))
        value = self.get(("getitem", token))
        if type(value) is not int:
            raise Diagnosis("wrong_type", what=code(f"vocab[{token!r}]"), function="Vocab",
                            expected=Phrase("tp.expected_int"), actual=describe(value))
        return value


def corpus(seed: int, size: int = 14) -> list[list[str]]:
    return ref.tokenize(make_lines(seed=seed, count=10, pool=word_pool(seed=seed + 1, size=size)))


def distinct(tokens: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(token for line in tokens for token in line))


def check_size(answers: Answers, kept: int, reserved: int) -> int:
    size = answers.length()
    if size != kept + reserved:
        raise Diagnosis("vocab.size", actual=size, expected=kept + reserved, kept=kept,
                        reserved=reserved)
    return size


def check_bijection(answers: Answers, tokens: list[str], size: int, first: int) -> dict[str, int]:
    """Each token its own index among first .. size - 1; returns token -> index."""
    indices: dict[str, int] = {}
    seen: dict[int, str] = {}
    for token in tokens:
        index = answers.index(token)
        if not first <= index < size:
            raise Diagnosis("vocab.index_range", token=repr(token), actual=index, first=first,
                            last=size - 1)
        if index in seen:
            raise Diagnosis("vocab.same_index", first=repr(seen[index]), second=repr(token),
                            index=index)
        seen[index] = token
        indices[token] = index
    return indices


@grades("Vocab", points=0.75, public=True, devices=CPU, collaborators=("count_corpus",))
def test_vocab_bijection(student, device):
    """Vocab gives each token of the corpus its own index, after '<unk>'"""
    tokens = corpus(seed=31)
    words = distinct(tokens)
    answers = Answers(student, device, tokens,
                      [("len", None)] + [("getitem", word) for word in words])
    size = check_size(answers, len(words), 1)
    check_bijection(answers, words, size, first=0)


@grades("Vocab", points=0.5, devices=CPU, collaborators=("count_corpus",))
def test_vocab_unknown_token(student, device):
    """Vocab puts '<unk>' at index 0 and maps every unknown token to it"""
    tokens = corpus(seed=33)
    queries = [("to_tokens", 0), ("attribute", "unk")] + [("getitem", word) for word in UNKNOWN]
    answers = Answers(student, device, tokens, queries)
    first = answers.get(("to_tokens", 0))
    if first == "":
        raise Diagnosis("vocab.brackets_lost")
    if first != "<unk>":
        raise Diagnosis("vocab.unk_index", actual=short(first))
    for word in UNKNOWN:
        index = answers.index(word)
        if index != 0:
            raise Diagnosis("vocab.unknown_index", token=repr(word), actual=index, expected=0)
    answers.attribute("unk", 0)


@grades("Vocab", points=0.5, devices=CPU, collaborators=("count_corpus",))
def test_vocab_special_tokens(student, device):
    """Vocab(use_special_tokens=True) puts '<pad>', '<bos>', '<eos>', '<unk>' at 0 to 3"""
    tokens = corpus(seed=35)
    words = distinct(tokens)
    queries = [("len", None)] + [("to_tokens", i) for i in range(4)] + \
        [("attribute", name) for name in SPECIAL_NAMES] + \
        [("getitem", word) for word in UNKNOWN + words]
    answers = Answers(student, device, tokens, queries, use_special_tokens=True)
    reserved = [answers.get(("to_tokens", i)) for i in range(4)]
    if reserved == [""] * 4:
        raise Diagnosis("vocab.brackets_lost")
    if reserved != SPECIAL:
        raise Diagnosis("vocab.special_indices", actual=short(reserved))
    for word in UNKNOWN:
        index = answers.index(word)
        if index != 3:
            raise Diagnosis("vocab.unknown_index", token=repr(word), actual=index, expected=3)
    for index, name in enumerate(SPECIAL_NAMES):
        answers.attribute(name, index)
    size = check_size(answers, len(words), 4)
    check_bijection(answers, words, size, first=4)


def frequency_corpus(seed: int) -> tuple[list[list[str]], dict[str, int]]:
    """Sentences in which 3 words each occur once, 3 twice, 3 three times, 3 four times."""
    rng = random.Random(seed)
    pool = word_pool(seed=seed + 1, size=12)
    frequency = {word: 1 + i // 3 for i, word in enumerate(pool)}
    flat = [word for word, times in frequency.items() for _ in range(times)]
    rng.shuffle(flat)
    lines = [flat[i:i + 5] for i in range(0, len(flat), 5)]
    return lines, frequency


@grades("Vocab", points=0.75, devices=CPU, collaborators=("count_corpus",))
def test_vocab_min_freq(student, device):
    """Vocab keeps exactly the tokens that occur at least min_freq times"""
    tokens, frequency = frequency_corpus(seed=37)
    words = list(frequency)
    for min_freq in (2, 3):
        answers = Answers(student, device, tokens,
                          [("len", None)] + [("getitem", word) for word in UNKNOWN[:1] + words],
                          min_freq=min_freq)
        unk = answers.index(UNKNOWN[0])
        kept = {word for word in words if answers.index(word) != unk}
        expected = {word for word in words if frequency[word] >= min_freq}
        if kept != expected:
            if kept == set(words):
                raise Diagnosis("vocab.min_freq_ignored", min_freq=min_freq)
            if kept == {word for word in words if frequency[word] > min_freq}:
                raise Diagnosis("vocab.min_freq_strict", min_freq=min_freq)
            word = next(w for w in words if (w in kept) != (w in expected))
            key = "vocab.min_freq_dropped" if word in expected else "vocab.min_freq_kept"
            raise Diagnosis(key, token=repr(word), freq=frequency[word], min_freq=min_freq)
        check_size(answers, len(expected), 1)


@grades("Vocab", points=0.5, devices=CPU, collaborators=("count_corpus",))
def test_vocab_getitem_sequences(student, device):
    """vocab[list] and vocab[tuple] give the list of the tokens' indices"""
    tokens = corpus(seed=39)
    words = distinct(tokens)[:5] + UNKNOWN[:1]
    queries = [("getitem", word) for word in words] + \
        [("getitem", list(words)), ("getitem", tuple(words))]
    answers = Answers(student, device, tokens, queries)
    expected = [answers.index(word) for word in words]
    for kind, sequence in ((LIST, list(words)), (TUPLE, tuple(words))):
        answer = answers.raw(("getitem", sequence))
        if "error" in answer and "unhashable" in answer["error"].get("message", ""):
            raise Diagnosis("vocab.getitem_list", kind=kind)
        value = answers.get(("getitem", sequence))
        if not isinstance(value, (list, tuple)):
            raise Diagnosis("vocab.getitem_sequence", kind=kind, actual=describe(value))
        if list(value) != expected:
            raise Diagnosis("vocab.getitem_values", kind=kind, actual=short(list(value)),
                            expected=short(expected))


@grades("Vocab", points=0.5, devices=CPU, collaborators=("count_corpus",))
def test_vocab_to_tokens(student, device):
    """vocab.to_tokens inverts vocab[...], for an index and for a list or tuple of them"""
    tokens = corpus(seed=41)
    words = distinct(tokens)
    probe = Answers(student, device, tokens, [("getitem", word) for word in words])
    indices = [probe.index(word) for word in words]
    queries = [("to_tokens", index) for index in indices] + \
        [("to_tokens", list(indices)), ("to_tokens", tuple(indices))]
    answers = Answers(student, device, tokens, queries)
    for word, index in zip(words, indices):
        back = answers.get(("to_tokens", index))
        if back != word:
            raise Diagnosis("vocab.to_tokens_not_inverse", token=repr(word), index=index,
                            actual=short(back))
    for kind, sequence in ((LIST, list(indices)), (TUPLE, tuple(indices))):
        answer = answers.raw(("to_tokens", sequence))
        if "error" in answer and answer["error"].get("type") == "TypeError":
            raise Diagnosis("vocab.to_tokens_list", kind=kind)
        value = answers.get(("to_tokens", sequence))
        if not isinstance(value, (list, tuple)) or list(value) != words:
            raise Diagnosis("vocab.to_tokens_sequence", kind=kind, actual=short(value),
                            expected=short(words))

"""What the worker runs around text_preprocessing's count_corpus and Vocab.

This code runs next to the student's, so it holds no reference solution, no expected
value and none of the book's code: it calls the student's code with what the grader sent
(the book's count_corpus included, for Vocab) and reports what it saw, as plain data. A
Counter and a Vocab object cannot cross to the grader (only plain data and tensors do),
so what they hold is read here.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from autograder import harness
from autograder.harness import describe_error

# How many entries of a counter are reported (an honest one holds the corpus's tokens).
MAX_ENTRIES = 10_000


def count(module: ModuleType, function: str, sentences: list) -> dict[str, Any]:
    """function(sentences) (count_corpus); reports its entries as (key, count) pairs."""
    value = getattr(module, function)(sentences)
    entries = None
    if isinstance(value, Mapping):
        entries = [(key, number) for key, number in list(value.items())[:MAX_ENTRIES]]
    return {"value": value, "entries": entries,
            "is_counter": isinstance(value, collections.Counter), "args": [sentences]}


def vocab(module: ModuleType, function: str, tokens: list, kwargs: dict,
          queries: list, book: str = "") -> dict[str, Any]:
    """Build function(tokens, **kwargs) (a Vocab), then ask it each query in turn.

    A query is ("len", None), ("getitem", key), ("to_tokens", indices) or ("attribute",
    name) (an attribute such as unk, read with getattr); each answer is
    {"value": ...} or {"error": the exception it raised}. While the Vocab is built, the
    module's count_corpus is the book's, which the grader sends in `book` (so that a
    mistake in the student's count_corpus costs count_corpus alone).
    """
    with harness.lent(module, {"count_corpus": harness.book_functions(book)["count_corpus"]}):
        made = getattr(module, function)(tokens, **kwargs)
    answers = []
    for kind, argument in queries:
        try:
            if kind == "len":
                answer = len(made)
            elif kind == "getitem":
                answer = made[argument]
            elif kind == "attribute":
                answer = getattr(made, argument)
            else:
                answer = made.to_tokens(argument)
            answers.append({"value": answer})
        except Exception as error:
            answers.append({"error": describe_error(error)})
    return {"value": None, "answers": answers, "args": [tokens]}


PROCEDURES = {"count_corpus_entries": count, "vocab_queries": vocab}
RESULT_KEYS = {"count_corpus_entries": {"value", "entries", "is_counter", "args"},
               "vocab_queries": {"value", "answers", "args"}}

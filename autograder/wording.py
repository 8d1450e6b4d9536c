"""Chinese without English: the rule every Chinese message of the grader and of an
exercise unit keeps (tests/test_messages.py, `autograder exercise check`).

A zh message may hold English only as code. A token, a run of characters between
whitespace and CJK characters or punctuation, is code when
  - it lies between backticks;
  - without the punctuation that ends a sentence, it holds a digit, one of
    _ . [ = * / + < > | ' ^ or a call `name(`;
  - stripped of the punctuation around it, it is a single letter (a variable), a function,
    class or argument name of the stubs or a name the solutions bind (read with ast), a
    Python built-in type, a CamelCase class name
    (NotImplementedError, LinearNet), or one of TECHNICAL_WORDS;
  - it is a command-line option (--only, --fail-under).
Every other token with an ASCII letter is an English word.
"""

from __future__ import annotations

import ast
import builtins
import re
import string
from typing import Any

TECHNICAL_WORDS = frozenset({
    "None", "True", "False", "torch", "nan", "inf", "exp", "log", "argmax",
    "logits", "grad", "dtype", "float", "int", "bool", "str", "long",
    "Python", "PyTorch", "NumPy", "GPU", "CPU", "CUDA", "cpu", "cuda", "meta", "matplotlib",
    "RNN", "clamp", "if", "else",  # the last two in `a if condition else b`
})
_SEPARATORS = re.compile(r"[\s\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
_CODE_MARK = re.compile(r"[0-9_.\[=*/+<>|'^]|[A-Za-z0-9_]\(")
_OPTION = re.compile(r"--[a-z][a-z-]*")
_CAMEL_CASE = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+")


def stub_names() -> set[str]:
    """The names of the exercise modules, their functions, classes and arguments, and the
    names their reference bodies bind (param in `for param in params`, self.linear)."""
    # Python's built-in types: "a list of int".
    names = {name for name, value in vars(builtins).items()
             if isinstance(value, type) and not issubclass(value, BaseException)}
    from autograder import registry

    for exercise in registry.exercises():
        names.add(exercise.name)
        for node in _nodes(exercise.stub, exercise.reference_file):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return names


def _nodes(*paths: Any) -> list[ast.AST]:
    nodes: list[ast.AST] = []
    for path in paths:
        try:
            nodes += ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        except (OSError, SyntaxError, ValueError):
            continue
    return nodes


STUB_NAMES = stub_names()


def english_words(text: str, known: set[str] | None = None) -> list[str]:
    """The English words of `text`: every token that is not code (see above); `known`:
    the exercises' names (by default STUB_NAMES, those of the exercises at import)."""
    known = STUB_NAMES if known is None else known
    found = []
    for token in _SEPARATORS.split(re.sub(r"`[^`]*`", " ", text)):
        token = token.rstrip(".,;:!?")  # the end of a sentence is not an attribute
        if _OPTION.fullmatch(token):
            continue
        if not re.search(r"[A-Za-z]", token) or _CODE_MARK.search(token):
            continue
        word = token.strip(",;:!?\"()[]{}-")
        if len(word) == 1 or word in known \
                or _CAMEL_CASE.fullmatch(word) or word in TECHNICAL_WORDS:
            continue
        found.append(word)
    return found


def sample_parameters(text: str) -> dict[str, Any]:
    """A value for every format field of `text`, chosen by its format spec: a number where
    the spec asks for one, else a code identifier (a nested phrase is checked as its own key)."""
    samples: dict[str, Any] = {}
    for _, name, spec, _ in string.Formatter().parse(text):
        if not name:
            continue
        if spec and spec[-1] in "eEfFgG%":
            samples[name] = 0.5
        elif spec and spec[-1] in "bcdoxXn":
            samples[name] = 3
        else:
            samples[name] = f"{name}_sample"
    return samples


def english_in(catalogue: dict[str, dict[str, str]],
               known: set[str] | None = None) -> dict[str, list[str]]:
    """The English words of each key's zh message, rendered with sample parameters."""
    found = {}
    for key, entry in catalogue.items():
        text = entry["zh"].format(**sample_parameters(entry["zh"]))
        words = english_words(text, known)
        if words:
            found[key] = words
    return found



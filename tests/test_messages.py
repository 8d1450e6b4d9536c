"""The message catalogue is complete in both languages and names every graded test."""

from __future__ import annotations

import ast
import re
import string
from typing import Any

import pytest
import torch

from autograder.checks import RETURN_VALUE, describe
from autograder.messages import CATALOGUE, LANGUAGES, Phrase, default_language, render
from autograder.protocol import Drained, Opaque
from autograder.wording import (
    english_in,
    english_words,
)
from tests.helpers import EXERCISES, MODULES, ROOT, SUITES


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_exists_in_every_language_with_the_same_fields(key):
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert fields(entry["en"]) == fields(entry["zh"])


def graded_tests() -> list[tuple[str, str, str]]:
    found = []
    for module in MODULES:
        tree = ast.parse((EXERCISES / module / f"test_{module}.py").read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                doc = (ast.get_docstring(node) or "").splitlines()
                found.append((module, node.name, doc[0] if doc else ""))
    return found


def test_every_graded_test_has_a_name_in_both_languages_matching_its_docstring():
    tests = graded_tests()
    assert len(tests) > 40
    for module, name, doc in tests:
        entry = CATALOGUE.get(f"test.{module}.{name}")
        assert entry is not None, f"no catalogue name for {module}.{name}"
        assert entry["en"] == doc, f"{module}.{name}: catalogue and docstring differ"


def test_every_key_the_suites_raise_is_in_the_catalogue():
    raised = set()
    for path in [*SUITES, ROOT / "autograder" / "checks.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Diagnosis" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                raised.add(node.args[0].value)
    assert raised and raised <= set(CATALOGUE), raised - set(CATALOGUE)


@pytest.mark.parametrize("environment, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"), ({"LANG": "C"}, "en"),
])
def test_the_default_language_follows_the_locale(monkeypatch, environment, expected):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert default_language() == expected


# -- Chinese without English (the rule is autograder.wording's) ---------------------------

def test_every_message_reads_in_chinese_without_english():
    # The catalogue as it is when the test runs: every key, whoever added it.
    assert len(CATALOGUE) > 100
    assert english_in(CATALOGUE) == {}


def test_english_slipped_into_chinese_is_caught():
    slipped = {**CATALOGUE,
               "slipped.sentence": {"en": "The shape is wrong.",
                                    "zh": "{what}的形状不对: the shape is wrong."},
               "slipped.clause": {"en": "Call backward() then zero the gradients.",
                                  "zh": "请调用 backward() then zero the gradients。"}}
    assert english_in(slipped) == {"slipped.sentence": ["the", "shape", "is", "wrong"],
                                   "slipped.clause": ["then", "zero", "the", "gradients"]}
    # What learners saw before values and checks had catalogue phrases of their own.
    # ("value" would read as code: an argument of attention's stubs is named value.)
    seen = render("wrong_type", "zh", what="The returned tensor", expected="float",
                  function="accuracy", actual="a int (0)")
    assert english_words(seen) == ["The", "returned", "tensor"]  # "a" reads as a variable
    assert english_words("The gradient of tanh (X.grad)的数值错误") == ["The", "gradient", "of"]
    # Code stays code: calls, attributes, formulas, identifiers of the stubs, backticks.
    assert english_words("请用 torch.where(x >= 0, -x, x) 计算 -|x|，`param -= lr * grad` "
                         "和 y_hat.argmax(dim=1)；LinearNet 的 forward 抛出 NotImplementedError"
                         "，data_iter 产出 None，X 在 GPU 上") == []


ARRAY = Opaque("numpy.ndarray", "array([[ 40, 198,  17]])")
SUBCLASS = Opaque("submission.Agreeable", "Agreeable([1.])", tensor_subclass=True)
OBJECT = Opaque("collections.OrderedDict", "OrderedDict()")


def value_samples() -> list[Any]:
    """A value of every kind a student can return or yield, alone and in containers."""
    tensor = torch.zeros(2, 3)
    singles = [None, True, 0, 0.5, "abc", tensor, torch.zeros(()), SUBCLASS, ARRAY, OBJECT,
               torch.float32, torch.device("cpu"), {"a": 1}, (), [], Drained([]), (1, 2),
               [1, 2], Drained([1, 2])]
    same_kind = [[value, value] for value in singles]
    containers = [(ARRAY,), [tensor], Drained([tensor]), (ARRAY, ARRAY),
                  Drained([(tensor, tensor)] * 3), (tensor, 3, ARRAY, None), [tensor, 0.5],
                  Drained([tensor, None]), Drained([(ARRAY, ARRAY)] * 2)]
    return singles + same_kind + containers + [tuple(v) for v in same_kind]


def phrase_keys(phrase: Phrase) -> set[str]:
    keys = {phrase.key}
    for value in phrase.params.values():
        if isinstance(value, Phrase):
            keys |= phrase_keys(value)
    return keys


def test_every_description_of_a_value_reads_in_chinese_without_english():
    used: set[str] = set()
    for value in value_samples():
        description = describe(value)
        used |= phrase_keys(description)
        chinese = render("wrong_type", "zh", what=RETURN_VALUE, function="accuracy",
                         expected=Phrase("expected.float"), actual=description)
        assert english_words(chinese) == [], (value, chinese)
    kinds = {key for key in CATALOGUE if key.startswith(("value.", "values."))}
    assert kinds <= used, f"never described: {sorted(kinds - used)}"


@pytest.mark.parametrize("value, english, chinese", [
    ((ARRAY, ARRAY), "a tuple of 2 NumPy arrays", "由 2 个 NumPy 数组组成的元组"),
    ([1, 2, 3], "a list of 3 ints", "由 3 个整数组成的列表"),
    (0, "an int (0)", "整数 0"),
    (torch.zeros(()), "a tensor of shape ()", "形状为 () 的张量"),
    (ARRAY, "a NumPy array", "NumPy 数组"),
    ((torch.zeros(2), 3, ARRAY, None),
     "a tuple of 4 items (a tensor of shape (2,), an int (3), a NumPy array, ...)",
     "含 4 个元素的元组（形状为 (2,) 的张量、整数 3、NumPy 数组……）"),
    (Drained([(ARRAY, ARRAY)] * 2), "a generator that yielded 2 tuples", "产出了 2 个元组的生成器"),
], ids=["numpy-pair", "ints", "int", "0-dim", "array", "mixed", "generator"])
def test_values_are_described_in_the_learners_terms(value, english, chinese):
    description = describe(value)
    assert description.render("en") == english
    assert description.render("zh") == chinese
    for lang in LANGUAGES:  # never the grader's own representation of a value
        assert not re.search(r"Opaque|Drained|type_name|array\(", description.render(lang))


# -- every piece of a message is a catalogue phrase -----------------------------------------

CHECKED_SOURCES = [*SUITES, ROOT / "autograder" / "checks.py"]
MESSAGE_CALLS = {"Diagnosis", "Phrase", "code"}


def literal_texts(node: ast.AST) -> list[str]:
    """The string literals an argument passes as they are (not those used as dict keys)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    if isinstance(node, ast.IfExp):
        return literal_texts(node.body) + literal_texts(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [text for value in node.values for text in literal_texts(value)]
    return []


def message_calls(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in MESSAGE_CALLS:
            yield node


def english_passed_to_messages(source: str) -> list[str]:
    """The string literals with English words that `source` passes to a message or phrase."""
    found = []
    for call in message_calls(source):
        arguments = call.args[1:] if call.func.id != "code" else call.args
        for argument in [*arguments, *(k.value for k in call.keywords)]:
            found += [text for text in literal_texts(argument) if english_words(text)]
    return found


def bare_what(source: str) -> list[int]:
    """The lines where `what=`, what a check looked at, is a string rather than a phrase."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
            for argument in node.keywords
            if argument.arg == "what" and literal_texts(argument.value)]


def test_the_suites_pass_no_english_to_a_message_and_name_what_they_check_by_phrases():
    for path in CHECKED_SOURCES:
        source = path.read_text()
        assert english_passed_to_messages(source) == [], path.name
        assert bare_what(source) == [], path.name
    # What these checks catch:
    slipped = """
raise Diagnosis("squared_loss.reduced", reduction="mean")
expect_tensor(out, actual, expected, what=f"The gradient of {name} (X.grad)")
raise Diagnosis("wrong_type", what=code("X"), expected=Phrase("expected.float"), found="none")
"""
    assert english_passed_to_messages(slipped) == ["mean", "none"]
    assert bare_what(slipped) == [3]


def test_every_key_the_suites_name_is_in_the_catalogue():
    named = {call.args[0].value for path in CHECKED_SOURCES
             for call in message_calls(path.read_text())
             if call.func.id != "code" and call.args and isinstance(call.args[0], ast.Constant)}
    assert named and named <= set(CATALOGUE), named - set(CATALOGUE)


def test_chinese_keeps_the_catalogues_spacing_where_a_value_meets_the_text():
    # A space between Chinese and Latin text, none between two Chinese characters.
    shape = render("wrong_shape", "zh", what=Phrase("what.code", code="linreg(X, w, b)"),
                   actual=(10,), expected=(10, 1))
    assert shape == "linreg(X, w, b) 的形状是 (10,)，应为 (10, 1)。"
    assert render("accuracy.tensor", "zh", actual=describe(torch.zeros(()))).startswith(
        "accuracy 返回了形状为 () 的张量；")
    assert describe((ARRAY, ARRAY)).render("zh") == "由 2 个 NumPy 数组组成的元组"

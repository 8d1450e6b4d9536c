"""The message catalogue is complete in both languages and names every graded test."""

from __future__ import annotations

import ast
import string

import pytest

from autograder.messages import CATALOGUE, LANGUAGES, default_language
from autograder.suites import FOLDER, MODULES


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
        tree = ast.parse((FOLDER / f"test_{module}.py").read_text())
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
    for path in list(FOLDER.glob("test_*.py")) + [FOLDER.parent / "checks.py"]:
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

"""Every registered exercise, whatever its module: one generic test each for what every
unit must hold (the reference full, the stub zero, each declared mistake diagnosed as
declared, its messages in both languages), with totals computed from the registry."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from autograder import registry
from autograder.api import grade
from autograder.messages import CATALOGUE, LANGUAGES
from tests.helpers import ASSIGNMENTS, MODULES, SOLUTIONS

EXERCISES = registry.exercises()


def test_the_registry_finds_every_unit_of_the_checkout_and_nothing_is_wrong():
    assert [exercise.name for exercise in EXERCISES] == MODULES
    assert registry.problems() == []
    for exercise in EXERCISES:
        assert exercise.stub == ASSIGNMENTS / f"{exercise.name}.py"
        assert exercise.reference_file == SOLUTIONS / f"{exercise.name}.py"
        assert exercise.functions, exercise.name
    # Every module belongs to one assignment of the course.
    listed = [m for modules in registry.assignments().values() for m in modules]
    assert sorted(listed) == sorted(MODULES)


def test_every_reference_gets_full_marks_on_every_device_present():
    report = grade(SOLUTIONS)
    assert {t.module for t in report.tests} == set(MODULES)
    failed = [(t.module, t.check, t.device, t.message) for t in report.tests
              if t.status == "failed"]
    assert failed == [] and report.score == report.max_score > 0
    # The maximum is the suites' own, computed: the sum of every graded test's points.
    worth = {(t.module, t.check, t.device): t.max_score for t in report.tests}
    assert report.max_score == pytest.approx(sum(worth.values()))


def test_every_stub_gets_zero_and_says_not_implemented_for_every_test():
    report = grade(ASSIGNMENTS)
    assert {t.module for t in report.tests} == set(MODULES)
    assert report.score == 0 < report.max_score
    graded = [t for t in report.tests if t.status != "skipped"]
    assert graded and {t.diagnosis for t in graded} == {"not_implemented"}


def mistake_rounds() -> list[dict[str, registry.Mistake]]:
    """The declared mistakes, one per module in each round: a round is one submission,
    graded once, whose every module holds one mistake (the others, the reference)."""
    by_module = [[(exercise.name, m) for m in exercise.mistakes] for exercise in EXERCISES]
    rounds = []
    for row in itertools.zip_longest(*by_module):
        rounds.append({name: mistake for name, mistake in filter(None, row)})
    return rounds


def test_every_unit_declares_classic_mistakes():
    for exercise in EXERCISES:
        assert exercise.mistakes, f"{exercise.name} declares no classic mistake"
        names = [m.name for m in exercise.mistakes]
        assert len(names) == len(set(names)), exercise.name
        functions = set(exercise.functions)
        for mistake in exercise.mistakes:
            assert mistake.function in functions, mistake.name
            assert mistake.key in CATALOGUE, mistake.name


@pytest.mark.parametrize("round_number", range(len(mistake_rounds())))
def test_every_declared_mistake_gets_its_diagnosis_and_loses_points(round_number, tmp_path):
    mistakes = mistake_rounds()[round_number]
    folder = tmp_path / "submission"  # the modules of this round only, each one mistake
    folder.mkdir()
    for module, mistake in mistakes.items():
        reference = (SOLUTIONS / f"{module}.py").read_text()
        (folder / f"{module}.py").write_text(mistake.applied(reference))
    report = grade(folder, device="cpu")
    for module, mistake in mistakes.items():
        tests = [t for t in report.tests if t.module == module]
        got = {t.diagnosis for t in tests if t.status == "failed"}
        assert mistake.key in got, (mistake.name, got)
        # One bug costs its own function: every other function keeps its points.
        others = [t for t in tests if t.function != mistake.function and t.status == "failed"]
        assert others == [], (mistake.name, [(t.function, t.diagnosis) for t in others])


def test_every_message_a_unit_needs_exists_in_both_languages():
    for exercise in EXERCISES:
        needed = [f"test.{exercise.name}.{test.name}" for _, test in exercise.tests]
        needed += sorted(registry.raised_keys(exercise.suite))
        needed += [m.key for m in exercise.mistakes]
        for key in needed:
            assert set(LANGUAGES) <= set(CATALOGUE.get(key, {})), key


def test_a_declared_mistake_replaces_only_its_own_definition(tmp_path: Path):
    reference = "import torch\n\n\ndef f(x):\n    return x\n\n\ndef g(x):\n    return 2 * x\n"
    mistake = registry.Mistake("g-triples", "g", "wrong_values", """
        def g(x):
            return 3 * x
    """)
    changed = mistake.applied(reference)
    assert "return x\n" in changed and "return 3 * x" in changed and "2 * x" not in changed
    with pytest.raises(ValueError):
        registry.Mistake("h", "h", "wrong_values", "def h(x):\n    pass\n").applied(reference)


def test_the_registry_knows_the_engines_procedures_without_importing_torch():
    from autograder.checks import RESULT_KEYS

    assert set(registry.ENGINE_PROCEDURES) == set(RESULT_KEYS)


def _collaborators(test: ast.FunctionDef) -> tuple[str, ...]:
    for decorator in test.decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "grades":
            for keyword in decorator.keywords:
                if keyword.arg == "collaborators":
                    return tuple(ast.literal_eval(keyword.value))
    return ()


@pytest.mark.parametrize("module", MODULES)
def test_every_declared_collaborator_is_a_graded_function_of_its_reference(module):
    """What a test declares it runs with the book's version of is one of the module's
    graded functions, defined in its reference, and the declarations can be ordered."""
    from autograder.plugin import book_phases

    exercise = registry.exercise(module)
    tests = [(function, _collaborators(test)) for function, test in exercise.tests]
    book_phases(tests)
    for function, collaborators in tests:
        assert function not in collaborators
        for name in collaborators:
            assert name in exercise.functions, (function, name)
            assert f"def {name}(" in registry.book_code(module, (name,)) \
                or f"class {name}" in registry.book_code(module, (name,))

"""Mutation analysis of the hidden suites: the operators, the ids, the grading, the CLI."""

from __future__ import annotations

import json
import textwrap

import pytest

from autograder import mutation
from autograder.instructor import main as autograder_main
from autograder.options import BadOption

SNIPPET = textwrap.dedent('''
    import random

    import torch


    def step(params, lr, batch_size):
        """Update 0 + 1 in place: params -= lr * grad / batch_size."""
        import math
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
            param[:] = param.clamp(0, 2)


    def pick(X, i, n=1):
        order = list(range(len(X)))
        random.shuffle(order)
        noise = torch.rand(X.shape) + torch.randn(X.shape)
        total = X.sum(dim=1, keepdim=True) + torch.mean(X, dim=-1)
        if i < n and i >= 0 and i == 3:
            return X[i : i + n], total
        return X.mean(dim=0), noise


    def helper(x):
        return x + 1
''')


def after_texts(source: str, graded=("step", "pick")) -> dict[str, set[str]]:
    """operator -> the mutated lines it made."""
    found: dict[str, set[str]] = {}
    for mutant in mutation.mutants_of_source(source, list(graded)):
        found.setdefault(mutant.operator, set()).add(mutant.after)
    return found


def test_each_operator_makes_its_mutant():
    made = after_texts(SNIPPET)
    expected = {
        "arithmetic": {"param += lr * param.grad / batch_size",
                       "param -= lr * param.grad * batch_size",
                       "noise = torch.rand(X.shape) - torch.randn(X.shape)"},
        "divisor": {"param -= lr * param.grad"},
        "comparison": {"if i <= n and i >= 0 and i == 3:", "if i < n and i > 0 and i == 3:",
                       "if i < n and i >= 0 and i != 3:"},
        "constant": {"param[:] = param.clamp(1, 2)", "param[:] = param.clamp(0, 1)",
                     "if i < n and i >= 1 and i == 3:", "if i < n and i >= 0 and i == 4:"},
        "statement": {"pass"},
        "dim": {"total = X.sum(dim=0, keepdim=True) + torch.mean(X, dim=-1)",
                "total = X.sum(dim=1, keepdim=True) + torch.mean(X, dim=0)",
                "return X.mean(dim=1), noise", "return X.mean(dim=-1), noise"},
        "keepdim": {"total = X.sum(dim=1, keepdim=False) + torch.mean(X, dim=-1)"},
        "slice": {"return X[i + 1:i + n], total", "return X[i - 1:i + n], total",
                  "return X[i:i + n + 1], total", "return X[i:i + n - 1], total"},
        "random": {"noise = torch.randn(X.shape) + torch.randn(X.shape)",
                   "noise = torch.rand(X.shape) + torch.rand(X.shape)"},
        "reduction": {"total = X.mean(dim=1, keepdim=True) + torch.mean(X, dim=-1)",
                      "total = X.sum(dim=1, keepdim=True) + torch.sum(X, dim=-1)",
                      "return X.sum(dim=0), noise"},
        "swap_values": {"return (total, X[i:i + n])", "return (noise, X.mean(dim=0))"},
        "swap_args": {"param[:] = param.clamp(2, 0)"},
    }
    for operator, texts in expected.items():
        assert texts <= made.get(operator, set()), operator
    # The three statements a step may lose: the in-place update, the call, the slice
    # assignment; and random.shuffle in pick.
    removed = [m for m in mutation.mutants_of_source(SNIPPET, ["step", "pick"])
               if m.operator == "statement"]
    assert sorted(m.before for m in removed) == sorted([
        "param -= lr * param.grad / batch_size", "param.grad.zero_()",
        "param[:] = param.clamp(0, 2)", "random.shuffle(order)"])


def test_a_replacement_that_binds_less_tightly_keeps_the_meaning_in_parentheses():
    source = "def f(x, y):\n    return 2 / x ** 2 - (x + y) * 3 + -1 * y\n"
    made = after_texts(source, ["f"])
    assert "return 2 / (x * 2) - (x + y) * 3 + -1 * y" in made["arithmetic"]
    assert "return 2 / x ** 2 - (x - y) * 3 + -1 * y" in made["arithmetic"]
    assert "return 2 / x ** 2 - (x + y) * 3 + 0 * y" in made["constant"]
    assert "return 2 * x ** 2 - (x + y) * 3 + -1 * y" in made["arithmetic"]


def test_a_divisor_dropped_reads_as_a_one_line_diff():
    [dropped] = [m for m in mutation.mutants_of_source(SNIPPET, ["step"])
                 if m.operator == "divisor"]
    line = SNIPPET.splitlines().index("        param -= lr * param.grad / batch_size") + 1
    assert dropped.line == line and dropped.function == "step" and dropped.graded == "step"
    assert dropped.diff == (f"line {line}: param -= lr * param.grad / batch_size  \u2192  "
                            "param -= lr * param.grad")
    assert dropped.render_diff("zh").startswith(f"第 {line} 行：")


def test_every_mutant_compiles_and_differs_from_the_source():
    found = mutation.mutants_of_source(SNIPPET, ["step", "pick"])
    assert len({m.source for m in found}) == len(found)
    for mutant in found:
        assert mutant.source != SNIPPET
        compile(mutant.source, "<mutant>", "exec")
    assert len({m.id for m in found}) == len(found)


def test_no_mutant_touches_an_import_a_docstring_a_signature_or_an_ungraded_function():
    found = mutation.mutants_of_source(SNIPPET, ["step", "pick"])
    for mutant in found:
        assert "import" not in mutant.before and '"""' not in mutant.before
        assert not mutant.before.startswith("def ")
        assert mutant.function in ("step", "pick")
    docstring = SNIPPET.splitlines().index(
        '    """Update 0 + 1 in place: params -= lr * grad / batch_size."""') + 1
    assert docstring not in {m.line for m in found}
    assert all(m.source.count("import") == SNIPPET.count("import") for m in found)


def test_ids_stay_the_same_when_an_edit_elsewhere_shifts_the_lines():
    before = mutation.mutants_of_source(SNIPPET, ["step", "pick"])
    edited = SNIPPET.replace("import torch\n", "import torch\n\nSCALE = 3\n\n\n"
                             "def unrelated(x):\n    return x * 2\n")
    after = mutation.mutants_of_source(edited, ["step", "pick"])
    assert [m.id for m in before] == [m.id for m in after]
    assert all(b.line + 6 == a.line for b, a in zip(before, after))
    # An edit of the function's own line changes the ids of that line's mutants alone.
    changed = mutation.mutants_of_source(
        SNIPPET.replace("param.clamp(0, 2)", "param.clamp(0, 3)"), ["step", "pick"])
    kept = {m.id for m in before} & {m.id for m in changed}
    assert kept == {m.id for m in before if "clamp" not in m.before}


def test_identical_code_in_one_function_gets_two_ids():
    source = "def f(x):\n    a = x + 1\n    b = x + 1\n    return a, b\n"
    plus = [m for m in mutation.mutants_of_source(source, ["f"])
            if m.operator == "arithmetic"]
    assert len(plus) == 2 and plus[0].id != plus[1].id


def test_methods_of_a_graded_class_and_nested_functions_are_mutated():
    source = textwrap.dedent('''
        class Net:
            def forward(self, x):
                def inner(y):
                    return y * 2
                return inner(x) - 1
    ''')
    functions = {m.function for m in mutation.mutants_of_source(source, ["Net"])}
    assert functions == {"Net.forward", "Net.forward.inner"}
    assert all(m.graded == "Net" for m in mutation.mutants_of_source(source, ["Net"]))


def test_equivalent_mutants_are_read_from_the_suite_source_without_running_it():
    suite = 'import sys\nEQUIVALENT_MUTANTS = {"f:dim:0badc0de": "the sum is over one column"}\n'
    assert mutation.equivalents_in(suite) == {"f:dim:0badc0de": "the sum is over one column"}
    assert mutation.equivalents_in("X = 1\n") == {}
    for wrong in ("{'f:dim:0badc0de': 3}", "dict(reason='x')", "['f:dim:0badc0de']"):
        with pytest.raises(BadOption) as refused:
            mutation.equivalents_in(f"EQUIVALENT_MUTANTS = {wrong}\n")
        assert refused.value.key == "exercise.bad_equivalents"


def test_the_graded_functions_come_from_the_suite():
    assert mutation.graded_functions("linear_regression") == [
        "linreg", "squared_loss", "sgd", "train_epoch", "data_iter"]
    assert mutation.graded_functions("concise") == ["LinearNet"]
    with pytest.raises(BadOption):
        mutation.mutants("linear_regression", functions=["no_such_function"])


# -- grading -------------------------------------------------------------------------


def sgd_mutant(operator: str) -> mutation.Mutant:
    [found] = [m for m in mutation.mutants("linear_regression", functions=["sgd"])
               if m.operator == operator]
    return found


def test_the_divisor_dropped_in_sgd_is_killed_and_a_declared_one_is_equivalent(monkeypatch):
    dropped, removed = sgd_mutant("divisor"), sgd_mutant("statement")
    declared = {removed.id: "declared for the test", "sgd:dim:00000000": "no longer made"}
    monkeypatch.setattr(mutation, "declared_equivalents", lambda module: declared)
    report = mutation.analyse("linear_regression", functions=["sgd"], lang="en")
    results = {r.mutant.id: r for r in report.results}
    assert results[dropped.id].killed and results[dropped.id].scope == "function"
    assert results[dropped.id].diagnosis  # the catalogue key of the test that failed
    assert removed.id not in results
    assert report.equivalent == [(removed, "declared for the test")]
    assert report.stale == {"sgd:dim:00000000": "no longer made"}
    assert report.killed == len(report.results) - len(report.survivors)


def test_a_mutant_the_function_tests_miss_is_graded_with_the_whole_module(monkeypatch):
    """A change the function's own tests let through is a survivor only when no test of
    its module fails: the second grading is with the module's tests."""
    dropped = sgd_mutant("divisor")
    calls = []
    real = mutation._first_failure

    def function_tests_pass(folder, only, factory, **options):
        calls.append(only)
        return None if only == "linear_regression.sgd" else real(folder, only, factory,
                                                                 **options)

    monkeypatch.setattr(mutation, "_first_failure", function_tests_pass)
    with mutation._factory(None) as factory:
        result = mutation._grade_mutant(dropped, factory, lang="en", sandbox="auto",
                                        timeout=None)
    assert calls == ["linear_regression.sgd", "linear_regression"]
    assert result.killed and result.scope == "module"


def test_the_equivalent_mutant_the_suite_declares_is_reported_apart_not_as_a_survivor():
    """relu's `X > 0` made `X >= 0` gives the same values; test_activations.py declares
    it equivalent, so it is neither graded nor a survivor."""
    declared = mutation.declared_equivalents("activations")
    report = mutation.analyse("activations", functions=["relu"], lang="en")
    [(mutant, reason)] = report.equivalent
    assert mutant.after == "return torch.where(X >= 0, X, torch.zeros_like(X))"
    assert reason == declared[mutant.id]
    assert mutant not in report.survivors and report.stale == {}
    assert mutant.id not in {r.mutant.id for r in report.results}


# -- autograder exercise check -----------------------------------------------------------


def test_the_command_checks_one_module_and_writes_json(tmp_path, capsys):
    out = tmp_path / "check.json"
    status = autograder_main(["exercise", "check", "--module", "linear_regression",
                              "--function", "sgd", "--json", str(out), "--lang", "en"])
    printed = capsys.readouterr().out
    written = json.loads(out.read_text())
    [module] = written["modules"]
    assert module["module"] == "linear_regression"
    assert module["reference"]["passed"] and module["stub"]["passed"]
    assert module["reference"]["score"] == module["reference"]["max_score"] > 0
    assert module["stub"]["score"] == 0
    ids = {m.id for m in mutation.mutants("linear_regression", functions=["sgd"])}
    assert {r["id"] for r in module["results"]} | {e["id"] for e in module["equivalents"]} \
        == ids
    assert module["killed"] + module["survived"] + module["equivalent"] == len(ids)
    assert status == (0 if written["passed"] else 1)
    assert "reference: full marks" in printed and "killed    sgd:divisor:" in printed


def test_the_command_refuses_an_unknown_module_or_function_in_the_readers_language(capsys):
    assert autograder_main(["exercise", "check", "--module", "nope", "--lang", "zh"]) == 2
    assert "没有名为 nope 的练习模块" in capsys.readouterr().err
    # relu is graded, but not by linear_regression: nothing would be checked.
    assert autograder_main(["exercise", "check", "--module", "linear_regression",
                            "--function", "relu", "--lang", "en"]) == 2
    assert "no graded function is named relu in linear_regression" in capsys.readouterr().err
    with pytest.raises(BadOption) as refused:
        mutation.check(["activations"], functions=["sgd"])
    assert refused.value.key == "exercise.unknown_function"


def test_a_wrong_reference_and_an_implemented_stub_fail_the_check(monkeypatch, tmp_path):
    """Where the reference is wrong or the stub implements a function, check says so."""
    from pathlib import Path

    from tests.helpers import SOLUTIONS

    wrong = tmp_path / "wrong"
    wrong.mkdir()
    text = (Path(SOLUTIONS) / "activations.py").read_text()
    (wrong / "activations.py").write_text(text.replace("X > 0, X,", "X < 0, X,"))
    import dataclasses

    from autograder import registry

    real = registry.exercise("activations")
    fake = dataclasses.replace(real, pack=dataclasses.replace(real.pack, stubs=wrong,
                                                             references=wrong))
    found = registry.exercise
    monkeypatch.setattr(registry, "exercise",
                        lambda name: fake if name == "activations" else found(name))
    report = mutation.check(["activations"], lang="en", functions=["relu"])
    [module] = report.modules
    assert module.reference.problems == ["relu"]
    # The "stub" here is that reference: every function is implemented.
    assert module.stub.problems == ["relu", "sigmoid", "tanh"] and module.stub.score > 0
    assert not report.passed and "NOT full marks" in report.render_text()


def test_a_mutant_that_changes_nothing_survives_and_fails_the_check(monkeypatch):
    """The control: the reference itself, dressed as a mutant, gets full marks from the
    function's tests and the module's, so it survives, and the check says so."""
    real = sgd_mutant("divisor")
    unchanged = mutation.Mutant(
        id="sgd:divisor:00000000", module="linear_regression", function="sgd",
        graded="sgd", operator="divisor", line=real.line, before=real.before,
        after=real.before, source=mutation.reference_source("linear_regression"))
    monkeypatch.setattr(mutation, "mutants", lambda module, functions=None: [unchanged])
    monkeypatch.setattr(mutation, "declared_equivalents", lambda module: {})
    report = mutation.check(["linear_regression"], lang="zh", functions=["sgd"])
    [module] = report.modules
    assert module.reference.passed and module.stub.passed
    assert module.mutation.survivors == [unchanged] and module.mutation.score == 0
    assert not report.passed
    text = report.render_text()
    assert f"未检出    sgd:divisor:00000000：第 {real.line} 行：" in text
    assert report.to_json()["modules"][0]["results"][0]["killed"] is False

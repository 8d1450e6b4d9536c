"""--hints name: each diagnosis names the mistake and leaves the fix to the learner."""

from __future__ import annotations

import ast
import string

import pytest

from autograder.api import BadOption, grade
from autograder.hints import first_clause, mistake_name, render_hint, shows_whole
from autograder.messages import CATALOGUE, Diagnosis, render
from autograder.wording import english_words, sample_parameters
from tests.helpers import ROOT, SUITES, mistake
from tests.test_linear_regression import SGD_NOT_DIVIDED, SGD_REBINDS


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def raised_keys() -> set[str]:
    """Every catalogue key the suites and checks raise as a Diagnosis."""
    keys = set()
    for path in [*SUITES, ROOT / "autograder" / "checks.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Diagnosis" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
    return keys


def test_the_first_clause_ends_at_a_colon_or_a_sentence_outside_brackets_and_code():
    assert first_clause(CATALOGUE["sgd.not_divided"]["en"]) == \
        "The step is batch_size times too large"
    assert first_clause(CATALOGUE["sgd.not_divided"]["zh"]) == "更新步长大了 batch_size 倍"
    assert first_clause("a (b: c) d: e") == "a (b: c) d"
    assert first_clause("use `with torch.no_grad():` here. Then x") == \
        "use `with torch.no_grad():` here"
    assert first_clause("{function} mixes devices{where}: fix") == "{function} mixes devices{where}"
    assert first_clause("x.item() is 3.5 here") is None  # a full stop inside a number or call
    assert first_clause("One sentence only.") is None


def test_every_raised_diagnosis_names_its_mistake_alike_in_both_languages():
    keys = raised_keys()
    assert len(keys) > 60
    named = 0
    for key in sorted(keys):
        english, chinese = (first_clause(CATALOGUE[key][lang]) for lang in ("en", "zh"))
        if shows_whole(key) or english is None:
            continue
        named += 1
        assert chinese is not None, key
        # The same values in the name, and no code of a fix: the fix comes after it.
        assert fields(english) == fields(chinese), key
        assert "`" not in english + chinese, key
        shown = mistake_name(key, "zh", **sample_parameters(chinese))
        assert [w for w in english_words(shown) if not w.endswith("_sample")] == [], key
    assert named > 50


def test_a_report_of_what_happened_is_shown_whole():
    raised = Diagnosis("raised", function="sgd", error_type="TypeError",
                       error="unsupported operand", where="")
    assert render_hint(raised, "en", "name") == raised.render("en")
    assert "TypeError: unsupported operand" in render_hint(raised, "en", "name")


def test_a_name_quoting_the_students_code_is_cut_from_the_template_not_the_text():
    where = Diagnosis("where", file="linear_regression.py", line=3, code="x: int = 1. y")
    shown = mistake_name("system_exit", "en", function="sgd", where=where)
    assert shown == "sgd called sys.exit() / exit() (linear_regression.py, line 3: " \
                    "`x: int = 1. y`)."


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_known_mistake_graded_with_hints_name_names_it_without_the_fix(tmp_path, lang):
    submission = mistake(tmp_path, "linear_regression", SGD_NOT_DIVIDED)
    full = grade(submission, only="sgd", device="cpu", lang=lang)
    named = grade(submission, only="sgd", device="cpu", lang=lang, hints="name")
    failed = [t for t in named.tests if t.status == "failed"]
    assert failed and {t.diagnosis for t in failed} == {"sgd.not_divided"}
    fix = render("sgd.not_divided", lang)
    name = first_clause(CATALOGUE["sgd.not_divided"][lang])
    assert fix in full.render_text()  # the control: the full hint says how to fix it
    text = named.render_text()
    assert name in text and fix not in text
    after = fix[len(name):].lstrip(":：. ")
    assert after and after not in text  # not the fix, not any part of it
    assert (named.score, named.max_score) == (full.score, full.max_score)


def test_hints_name_hides_the_fixing_code(tmp_path):
    submission = mistake(tmp_path, "linear_regression", SGD_REBINDS)
    named = grade(submission, only="sgd", device="cpu", lang="en", hints="name")
    text = named.render_text()
    assert "sgd did not change the caller's tensors." in text
    assert "param -= lr * param.grad / batch_size" not in text
    assert "torch.no_grad()" not in text


def test_an_unknown_level_is_refused():
    with pytest.raises(BadOption, match="--hints some: choose full"):
        grade("solutions/", hints="some")


def test_grade_hints_name_on_the_command_line(tmp_path, capsys, monkeypatch):
    from autograder.cli import grade_main

    monkeypatch.setenv("NO_COLOR", "1")
    submission = mistake(tmp_path, "linear_regression", SGD_NOT_DIVIDED)
    assert grade_main([str(submission), "--only", "sgd", "--device", "cpu", "--lang", "en",
                       "--hints", "name"]) == 0
    out = capsys.readouterr().out
    assert "      The step is batch_size times too large.\n" in out
    assert "divide the gradient by batch_size" not in out

"""The `grade` command: options it refuses, the language it speaks, colour on a terminal."""

from __future__ import annotations

import ast
import json
import math
import os
import re
import subprocess
import sys

import pytest

from autograder.api import BadOption, cuda_available, grade
from autograder.cli import colour_wanted
from autograder.messages import default_language
from autograder.options import exercise_functions, graded_names
from tests.helpers import ASSIGNMENTS, MODULES, ROOT, SOLUTIONS, in_terminal, mistake

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # a colour, as a terminal draws it
# Runs grade_main, then says whether rich was imported (colour only) on stderr.
GRADE_AND_TELL = ("import os, sys\n"
                  "from autograder.cli import grade_main\n"
                  "code = grade_main(sys.argv[1:])\n"
                  "sys.stdout.flush()\n"
                  "print('rich imported:', 'rich' in sys.modules, file=sys.stderr)\n"
                  "sys.stderr.flush()\n"
                  "os._exit(code)\n")


def environment(**variables: str) -> dict[str, str]:
    """This process's environment with the locale set only by `variables`."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARIABLES + ("NO_COLOR",)}
    return {**env, **variables}


def run_grade(*args: str, env: dict[str, str] | None = None,
              merge: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.cli", *args], cwd=ROOT,
                          env=env or environment(LANG="en_US.UTF-8"), capture_output=not merge,
                          stdout=subprocess.PIPE if merge else None,
                          stderr=subprocess.STDOUT if merge else None, text=True, timeout=300)


def assert_refused(result: subprocess.CompletedProcess, *parts: str) -> None:
    """Exit 2, nothing graded, and one line on stderr holding each of `parts`."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("grade: "), result.stderr
    for part in parts:
        assert part in result.stderr


# -- options that cannot be graded ---------------------------------------------------------


def test_only_an_unknown_name_is_refused_with_every_module_and_function():
    result = run_grade(str(SOLUTIONS), "--only", "nosuch")
    assert_refused(result, "--only nosuch: no exercise module or function has that name")
    functions = exercise_functions()
    assert list(functions) == MODULES
    listed = result.stderr.split("Functions: ")[1]
    for module, names in functions.items():
        assert module in result.stderr.split("Functions: ")[0]
        assert all(re.search(rf"\b{name}\b", listed) for name in names)
    assert "did you mean" not in result.stderr  # nothing is near "nosuch"


@pytest.mark.parametrize("typed, nearest", [
    ("sgdd", "sgd"), ("SGD", "sgd"), ("linear_regresion", "linear_regression"),
    ("data_iter_rand", "data_iter_random"), ("linearnet", "LinearNet"),
    ("activations.reLU", "activations.relu"),
])
def test_only_suggests_the_nearest_name(typed, nearest):
    assert_refused(run_grade(str(SOLUTIONS), "--only", typed),
                   f"--only {typed}:", f"(did you mean {nearest}?)")


def test_the_names_are_the_functions_the_suites_grade_and_the_stubs_define():
    """One source of truth: the suites' @grades markers; each names a stub's definition."""
    for module, functions in exercise_functions().items():
        stub = ast.parse((ASSIGNMENTS / f"{module}.py").read_text(encoding="utf-8"))
        defined = {node.name for node in stub.body
                   if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        assert functions and set(functions) <= defined, (module, set(functions) - defined)
    assert {"sgd", "linear_regression", "linear_regression.sgd", "LinearNet"} <= graded_names()


def test_module_dot_function_selects_that_function_only():
    report = grade(SOLUTIONS, only="activations.tanh", device="cpu")
    assert {(t.module, t.function) for t in report.tests} == {("activations", "tanh")}


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf", "-inf", "abc", "1e400"])
def test_a_timeout_that_is_not_a_positive_number_is_an_argument_error(timeout):
    assert_refused(run_grade(str(SOLUTIONS), f"--timeout={timeout}"),
                   f"--timeout {timeout}" if timeout != "1e400" else "--timeout inf",
                   "must be a positive number of seconds")


@pytest.mark.parametrize("options, part", [
    ({"timeout": -1}, "--timeout -1:"), ({"timeout": 0}, "--timeout 0:"),
    ({"timeout": math.nan}, "--timeout nan:"), ({"only": "nosuch"}, "--only nosuch:"),
    ({"device": "gpu"}, "--device gpu:"), ({"visibility": "public"}, "--visibility public:"),
    ({"lang": "fr"}, "--lang fr:"), ({"sandbox": "sometimes"}, "--sandbox sometimes:"),
])
def test_the_api_refuses_the_same_options_with_a_value_error(tmp_path, options, part):
    with pytest.raises(ValueError) as caught:
        grade(tmp_path / "not even looked at", **options)
    assert isinstance(caught.value, BadOption) and part in str(caught.value)
    assert part.rstrip(":") + "：" in caught.value.render("zh")


@pytest.mark.parametrize("args, part", [
    (["--fail-under", "150"], "--fail-under 150: give a percentage from 0 to 100"),
    (["--fail-under", "half"], "--fail-under half:"),
    (["--lang", "fr"], "--lang fr: choose en or zh"),
    (["--device", "gpu"], "--device gpu: choose cpu, cuda, placement or all"),
    (["--visibility", "public"], "--visibility public: choose visible, hidden"),
    (["--sandbox", "sometimes"], "--sandbox sometimes: choose auto, strict or off"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_other_bad_options_are_refused_on_one_line(args, part):
    assert_refused(run_grade(str(SOLUTIONS), *args), part)


@pytest.mark.skipif(cuda_available(), reason="this machine has a GPU")
def test_device_cuda_without_a_gpu_is_refused():
    assert_refused(run_grade(str(SOLUTIONS), "--device", "cuda"),
                   "--device cuda: no GPU is visible to PyTorch")
    with pytest.raises(BadOption, match="no GPU is visible to PyTorch"):
        grade(SOLUTIONS, device="cuda", only="relu")


@pytest.mark.skipif(not cuda_available(), reason="no GPU is visible to PyTorch here")
def test_device_cuda_with_a_gpu_grades_on_it():
    report = grade(SOLUTIONS, device="cuda", only="relu")
    assert report.tests and {t.device for t in report.tests} == {"cuda"}
    assert report.score == report.max_score > 0


def test_a_function_with_no_test_on_the_device_is_refused_not_graded_0_of_0():
    assert_refused(run_grade(str(SOLUTIONS), "--only", "sgd", "--device", "placement"),
                   "--only sgd --device placement: no test of sgd runs on placement")
    with pytest.raises(BadOption, match="nothing was graded"):
        grade(SOLUTIONS, only="train_epoch", device="placement")


def test_fail_under_says_why_after_the_report(tmp_path):
    folder = mistake(tmp_path, "linear_regression", """
        def sgd(params, lr, batch_size):
            with torch.no_grad():
                for param in params:
                    param -= lr * param.grad
                    param.grad.zero_()
    """)
    results = tmp_path / "results.json"
    result = run_grade(str(folder), "--only", "sgd", "--device", "cpu", "--fail-under", "50",
                       "--json", str(results), merge=True)
    assert result.returncode == 1, result.stdout
    scores = json.loads(results.read_text(encoding="utf-8"))
    percent = 100 * scores["score"] / scores["max_score"]
    assert 0 <= percent < 50
    lines = result.stdout.splitlines()
    assert lines[-2].startswith("Total:")
    assert lines[-1] == f"score {percent:.1f}% is below --fail-under 50"


# -- the language --------------------------------------------------------------------------


@pytest.mark.parametrize("variables, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "en_GB:zh_CN"}, "en"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "fr_FR:de:zh_TW:en"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "fr_FR:de"}, "zh"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": ""}, "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),
    ({"LANG": "C", "LANGUAGE": "zh_CN"}, "en"),  # GNU gettext ignores LANGUAGE under C
    # ... but not under C.UTF-8, as `LANG=C.UTF-8 LANGUAGE=zh_CN bash -c 'cd /x'` shows
    ({"LC_ALL": "C.UTF-8", "LANGUAGE": "zh_CN"}, "zh"),
    ({"LANG": "C.utf8", "LANGUAGE": "zh_CN"}, "zh"),
    ({"LANG": "POSIX", "LANGUAGE": "zh_CN"}, "en"),
    ({"LANG": "zhx_YY"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
])
def test_the_language_follows_gettexts_order(variables, expected):
    assert default_language(variables) == expected


@pytest.mark.parametrize("option", ["--json", "--html", "--junit", "--markdown"])
def test_a_report_file_that_cannot_be_written_is_one_line(tmp_path, option):
    done = run_grade(str(SOLUTIONS), "--only", "relu", "--device", "cpu", option,
                     str(tmp_path / "nowhere" / "report"), env=environment(LANGUAGE="zh_CN",
                                                                        LANG="zh_CN.UTF-8"))
    assert done.returncode == 2 and "总分" in done.stdout
    assert done.stderr.count("\n") == 1 and "ENOENT" in done.stderr, done.stderr
    assert "上面的报告是完整的" in done.stderr


def test_languages_help_in_a_container_locale():
    # A container's LANG is often C.UTF-8: LANGUAGE=zh_CN gives Chinese there, as gettext does.
    helped = run_grade("--help", env=environment(LANG="C.UTF-8", LANGUAGE="zh_CN"))
    assert helped.returncode == 0 and helped.stdout.startswith("用法：grade"), helped.stdout


def test_language_before_lang_through_the_command_line():
    chinese = run_grade(str(ASSIGNMENTS), "--only", "linreg", "--device", "cpu",
                        env=environment(LANG="en_US.UTF-8", LANGUAGE="zh_CN"))
    assert chinese.returncode == 0, chinese.stderr
    assert "linreg 还没有实现" in chinese.stdout
    assert chinese.stdout.splitlines()[-1].startswith("总分：")
    refused = run_grade(str(ASSIGNMENTS), "--only", "sdg",
                        env=environment(LANG="C", LANGUAGE="zh_CN"))
    assert_refused(refused, "no exercise module or function has that name")


# -- colour on a terminal ------------------------------------------------------------------


def run_in_terminal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run `grade` with a pseudo-terminal as its stdout and stderr: what the terminal got."""
    return in_terminal([sys.executable, "-c", GRADE_AND_TELL, *args], env=env, cwd=ROOT)


@pytest.fixture(scope="module")
def wrong_relu(tmp_path_factory):
    """relu is wrong, and prints an escape sequence that would draw a fake total."""
    return mistake(tmp_path_factory.mktemp("relu"), "activations", r"""
        def relu(X):
            print("\x1b[2K\r\x1b[1ATotal: 25 / 25 (100.0%)")
            return X.clone()
    """)


def test_a_terminal_gets_pass_and_fail_in_colour(wrong_relu):
    code, seen = run_in_terminal(str(wrong_relu), "--only", "activations", "--device", "cpu",
                                 env=environment(LANG="en_US.UTF-8", TERM="xterm-256color"))
    assert code == 0, seen
    assert re.search(r"\x1b\[[0-9;]*31m(\x1b\[[0-9;]*m)*FAIL", seen), repr(seen)
    assert re.search(r"\x1b\[[0-9;]*32m(\x1b\[[0-9;]*m)*pass", seen), repr(seen)
    shown = SGR.sub("", seen).replace("\r\n", "\n")  # the terminal writes a newline as CRLF
    assert "\x1b" not in shown and "\r" not in shown, "only colours reach the terminal"
    assert "\\x1b[2K\\x0d\\x1b[1ATotal: 25 / 25 (100.0%)" in shown
    assert "rich imported: True" in shown
    assert re.search(r"\nTotal: [\d.]+ / [\d.]+ \([\d.]+%\)\n", shown)


def test_no_color_turns_colour_off_and_rich_is_not_imported(wrong_relu):
    code, seen = run_in_terminal(str(wrong_relu), "--only", "relu", "--device", "cpu",
                                 env=environment(LANG="en_US.UTF-8", TERM="xterm-256color",
                                                 NO_COLOR="1"))
    assert code == 0, seen
    assert "\x1b" not in seen and "FAIL" in seen
    assert "rich imported: False" in seen


def test_colour_only_on_a_terminal_that_can_show_it(tmp_path):
    main, terminal = os.openpty()
    read_end, write_end = os.pipe()
    with os.fdopen(terminal, "w") as tty, os.fdopen(write_end, "w") as pipe, \
            open(tmp_path / "report.txt", "w") as file:
        assert colour_wanted(tty, {"TERM": "xterm"})
        assert colour_wanted(tty, {"NO_COLOR": ""})  # set but empty: no-color.org says colour
        assert not colour_wanted(tty, {"NO_COLOR": "1"})
        assert not colour_wanted(tty, {"TERM": "dumb"})
        assert not colour_wanted(pipe, {"TERM": "xterm"})
        assert not colour_wanted(file, {"TERM": "xterm"})
    os.close(main)
    os.close(read_end)

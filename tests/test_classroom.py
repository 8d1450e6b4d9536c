"""The GitHub Classroom workflow, run here as GitHub Actions would run it on a student's
push, and grade's --junit and --markdown reports that it shows.

The workflow's `run:` steps run locally, in order, with bash as Actions runs them, in a
sample student repository (a temporary folder whose submission/ holds the solutions, or
the solutions with a mistake), with $GITHUB_STEP_SUMMARY a temporary file. Two things
differ from GitHub, and only these: the `uses:` steps (actions/checkout, setup-python,
upload-artifact) need GitHub and are skipped, the repository being already here and
Python being a fresh virtual environment; and the install step's package spec
($AUTOGRADER_PACKAGE) is replaced by a wheel of the local checkout, with pip kept off
any index, so that torch is the test environment's and nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from autograder.api import BadOption, grade
from autograder.engines import build_wheel, package_spec, torch_version
from autograder.engines.classroom import JUNIT_FILE, SUMMARY_FILE, write_workflow
from autograder.engines.junit import to_junit
from autograder.engines.markdown import to_markdown
from autograder.messages import render
from tests.engine_helpers import SGD_NOT_DIVIDED, fresh_venv, offline_environment
from tests.helpers import copy_solutions, mistake, with_function
from tests.test_messages import english_words


@pytest.fixture(scope="module")
def python(tmp_path_factory) -> Path:
    return fresh_venv(tmp_path_factory.mktemp("actions") / "venv")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def run_workflow(repository: Path, python: Path, wheel: Path) -> dict[str, str]:
    """Run the `run:` steps of the repository's workflow; return each step's outcome."""
    workflow = yaml.safe_load((repository / ".github/workflows/classroom.yml").read_text())
    # PyYAML reads the bare key `on` as True, as YAML 1.1 says.
    assert set(workflow[True]) == {"push", "workflow_dispatch"}
    job = workflow["jobs"]["grade"]
    summary = repository.parent / "step_summary.md"
    summary.write_text("")
    environment = offline_environment(**{
        **{name: str(value) for name, value in job["env"].items()},
        "AUTOGRADER_PACKAGE": str(wheel), "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}"})
    outcomes, failed = {}, False
    for step in job["steps"]:
        if "uses" in step:
            outcomes[step["id"]] = "uses: " + step["uses"].split("@")[0]
            continue
        if failed and step.get("if") != "always()":
            outcomes[step["id"]] = "skipped"
            continue
        run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                              step["run"]], cwd=repository, env=environment, timeout=600,
                             capture_output=True, text=True)
        outcomes[step["id"]] = "success" if run.returncode == 0 else "failure"
        if step["id"] == "install":  # grade is now the wheel's, in the venv
            assert shutil.which("grade", path=environment["PATH"]) == str(python.parent / "grade")
        outcomes[step["id"] + " output"] = run.stdout + run.stderr
        failed = failed or run.returncode != 0
    return outcomes


def student_repository(folder: Path) -> Path:
    write_workflow(folder)
    return folder


def junit_cases(junit: Path) -> list[ElementTree.Element]:
    root = ElementTree.parse(junit).getroot()
    assert root.tag == "testsuites"
    cases = root.findall("testsuite/testcase")
    assert int(root.get("tests")) == len(cases)
    return cases


def test_the_workflow_passes_the_solutions(python, wheel, tmp_path):
    repository = student_repository(tmp_path / "repository")
    copy_solutions(repository / "submission")
    outcomes = run_workflow(repository, python, wheel)
    assert outcomes["install"] == "success", outcomes
    assert outcomes["grade"] == "success", outcomes["grade output"]
    assert outcomes["checkout"] == "uses: actions/checkout"
    assert outcomes["python"] == "uses: actions/setup-python"
    expected = grade(repository / "submission", device="all", lang="en")
    cases = junit_cases(repository / JUNIT_FILE)
    assert len(cases) == len(expected.tests)
    assert not [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert len(skipped) == sum(t.status == "skipped" for t in expected.tests)
    summary = (tmp_path / "step_summary.md").read_text()
    assert summary == (repository / SUMMARY_FILE).read_text()
    assert "| function | points |" in summary
    assert expected.summary_line() in summary
    assert render("engines.summary.all_passed", "en") in summary


def test_the_workflow_fails_a_mistake_and_shows_its_diagnosis(python, wheel, tmp_path):
    repository = student_repository(tmp_path / "repository")
    mistake(repository, "linear_regression", SGD_NOT_DIVIDED)
    outcomes = run_workflow(repository, python, wheel)
    assert outcomes["grade"] == "failure"  # below --fail-under 100
    assert "is below --fail-under 100" in outcomes["grade output"]
    assert outcomes["summary"] == "success"
    expected = grade(repository / "submission", device="all", lang="en")
    cases = junit_cases(repository / JUNIT_FILE)
    assert [(c.get("classname"), c.get("name")) for c in cases] == \
        [(f"{t.module}.{t.function}", f"[{t.device}] {t.name}") for t in expected.tests]
    failures = {(c.get("classname"), c.find("failure").get("message"))
                for c in cases if c.find("failure") is not None}
    assert failures == {(f"{t.module}.{t.function}", t.message)
                        for t in expected.tests if t.status == "failed"}
    assert failures and {name for name, _ in failures} == {"linear_regression.sgd"}
    assert render("sgd.not_divided", "en") in {message for _, message in failures}
    summary = (tmp_path / "step_summary.md").read_text()
    assert "| `sgd` | 0/" in summary and "❌ FAIL" in summary
    assert f"### {render('engines.summary.failures', 'en')}" in summary
    assert render("sgd.not_divided", "en").split(": ")[0] in summary
    assert expected.summary_line() in summary


PRINTS_MARKUP = """
def sgd(params, lr, batch_size):
    print("``` | <img src=x onerror=alert(1)> **bold**")
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad
            param.grad.zero_()
"""


def test_the_reports_speak_chinese_and_keep_printed_text_out_of_markup(tmp_path):
    submission = with_function(copy_solutions(tmp_path / "submission"), "linear_regression",
                               PRINTS_MARKUP)
    report = grade(submission, only="sgd", device="cpu", lang="zh")
    summary = to_markdown(report)
    for key in ("engines.summary.title", "engines.summary.function",
                "engines.summary.failures", "report.points"):
        assert render(key, "zh") in summary
    assert render("sgd.not_divided", "zh").split("：")[0] in summary
    # What the code printed sits in a code block fenced longer than its own backticks.
    printed = next(line for line in summary.splitlines() if "<img" in line)
    block = summary.split(printed)[0].rsplit("\n", 2)[-2]
    assert block.strip() == "````text"
    headings = [line for line in summary.splitlines() if line.startswith("#")]
    assert not any(english_words(line.replace("`linear_regression.py`", ""))
                   for line in headings)
    root = ElementTree.fromstring(to_junit(report))
    messages = [f.get("message") for f in root.iter("failure")]
    assert render("sgd.not_divided", "zh") in messages
    assert all("<img" in f.text for f in root.iter("failure"))  # in the details, escaped


def test_init_pins_the_package_and_torch_and_refuses_bad_options(tmp_path):
    path = write_workflow(tmp_path, fail_under=60, lang="zh", python="3.11")
    job = yaml.safe_load(path.read_text())["jobs"]["grade"]
    assert job["env"]["AUTOGRADER_PACKAGE"] == package_spec() == "d2l-autograder==0.1.0"
    assert job["env"]["TORCH_VERSION"] == torch_version()
    assert job["env"]["TORCH_INDEX"] == "https://download.pytorch.org/whl/cpu"
    steps = {step["id"]: step for step in job["steps"]}
    grade_step = steps["grade"]["run"]
    assert "--fail-under 60" in grade_step and "--lang zh" in grade_step
    assert f"--junit {JUNIT_FILE} --markdown {SUMMARY_FILE}" in grade_step
    assert steps["python"]["with"] == {"python-version": "3.11"}
    # Students see the steps' names on their Actions page: in the course's language.
    assert steps["grade"]["name"] == render("engines.workflow.grade", "zh")
    assert {s["name"] for s in steps.values()} == \
        {render(f"engines.workflow.{step}", "zh") for step in steps}
    with pytest.raises(FileExistsError):
        write_workflow(tmp_path)
    spec = 'git+https://example.org/d2l-autograder@v0.1.0"; rm -rf ~; "'
    path = write_workflow(tmp_path, package=spec, force=True)
    assert yaml.safe_load(path.read_text())["jobs"]["grade"]["env"]["AUTOGRADER_PACKAGE"] == spec
    with pytest.raises(BadOption, match="--fail-under"):
        write_workflow(tmp_path / "other", fail_under=120)
    with pytest.raises(BadOption, match="--device"):
        write_workflow(tmp_path / "other", device="tpu")


def test_the_instructor_commands(tmp_path, wheel, capsys):
    from autograder.instructor import main

    assert main(["classroom", "init", str(tmp_path / "repo"), "--lang", "zh"]) == 0
    assert "--lang zh" in (tmp_path / "repo/.github/workflows/classroom.yml").read_text()
    assert main(["classroom", "init", str(tmp_path / "repo")]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["gradescope", "build", str(tmp_path / "ag.zip"), "--wheel", str(wheel),
                 "--visibility", "hidden"]) == 0
    assert (tmp_path / "ag.zip").is_file() and "wrote" in capsys.readouterr().out
    assert main(["gradescope", "build", str(tmp_path / "other.zip"), "--wheel", str(wheel),
                 "--device", "tpu"]) == 2
    assert "--device tpu" in capsys.readouterr().err
    assert not (tmp_path / "other.zip").exists()

"""A GitHub Classroom (GitHub Actions) workflow for a student's repository.

    autograder classroom init DIR [--package SPEC] [--fail-under PCT] [options of grade]

writes DIR/.github/workflows/classroom.yml: on every push it checks out the repository,
sets up Python, installs PyTorch's CPU build (pinned to constraints.txt's release) and
this package (SPEC, pinned: by default this release's name and version), and runs

    grade submission/ --junit autograder-junit.xml --markdown autograder-summary.md --fail-under PCT

The summary goes to the job's page ($GITHUB_STEP_SUMMARY), the JUnit XML is kept as an
artifact, and the job fails below PCT percent.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from autograder.engines import TORCH_CPU_INDEX, package_spec, torch_version
from autograder.messages import render
from autograder.options import DEFAULT_TIMEOUT, BadOption, check_options
from autograder.registry import PACKS_VARIABLE

WORKFLOW = Path(".github", "workflows", "classroom.yml")
JUNIT_FILE = "autograder-junit.xml"
SUMMARY_FILE = "autograder-summary.md"
DEFAULT_PYTHON = "3.12"
DEFAULT_FAIL_UNDER = 100.0


def write_workflow(directory: str | os.PathLike, *, package: str | None = None,
                   submission: str = "submission/", python: str = DEFAULT_PYTHON,
                   fail_under: float = DEFAULT_FAIL_UNDER, device: str = "all",
                   timeout: float = DEFAULT_TIMEOUT, lang: str = "en",
                   force: bool = False, assignment: str | None = None,
                   exercises: Sequence[str] = ()) -> Path:
    """Write DIR/.github/workflows/classroom.yml and return its path.

    package: what pip installs the grader from, pinned (a name==version, a wheel's URL,
        git+https://...@tag); by default this release's name and version.
    submission: the folder of the student's repository that is graded.
    python: the Python version actions/setup-python sets up.
    fail_under: the job fails below this percentage (100: until every test passes).
    device, timeout, lang: as the options of `grade` of those names.
    assignment: grade that assignment's modules, each counted (grade --assignment).
    exercises: folders of exercise packs in the repository (paths relative to its root),
        or none where the pack is installed with `package` (its entry point).
    Raises BadOption for an option `grade` would refuse, FileExistsError where the
    workflow exists and not `force`.
    """
    check_options(device=device, timeout=timeout, lang=lang)
    from autograder import registry

    registry.check_assignment(assignment)
    if isinstance(fail_under, bool) or not 0 <= fail_under <= 100:
        raise BadOption("cli.bad_fail_under", value=fail_under)
    path = Path(directory) / WORKFLOW
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists (pass --force to overwrite it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(workflow_text(package=package or package_spec(), submission=submission,
                                  python=python, fail_under=fail_under, device=device,
                                  timeout=timeout, lang=lang, assignment=assignment,
                                  exercises=list(exercises)), encoding="utf-8")
    return path


def workflow_text(*, package: str, submission: str, python: str, fail_under: float,
                  device: str, timeout: float, lang: str, assignment: str | None = None,
                  exercises: Sequence[str] = ()) -> str:
    """The workflow. Every value the instructor chose is a quoted YAML string in `env`, and
    the shell reads it from there, so that no value is ever parsed as code."""
    env = {"AUTOGRADER_PACKAGE": package, "TORCH_VERSION": torch_version(),
           "TORCH_INDEX": TORCH_CPU_INDEX, "SUBMISSION": submission}
    if exercises:  # the grader reads its packs from there (autograder.registry)
        env[PACKS_VARIABLE] = ":".join(exercises)
    if assignment:
        env["ASSIGNMENT"] = assignment
    env_lines = "\n".join(f"      {name}: {json.dumps(value)}" for name, value in env.items())
    grade = (f'grade "$SUBMISSION" --device {device} --timeout {timeout:g} --lang {lang} '
             f"--junit {JUNIT_FILE} --markdown {SUMMARY_FILE} --fail-under {fail_under:g}"
             + (' --assignment "$ASSIGNMENT"' if assignment else ""))
    names = {step: json.dumps(render(f"engines.workflow.{step}", lang), ensure_ascii=False)
             for step in ("name", "checkout", "python", "install", "grade", "summary", "junit")}
    return f"""# Grades the exercises in {submission} on every push, with d2l-autograder.
# Written by `autograder classroom init`. The job's page shows the table and what to fix;
# the job fails below {fail_under:g}% of the points.
name: {names['name']}
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    env:
{env_lines}
    steps:
      - id: checkout
        name: {names['checkout']}
        uses: actions/checkout@v4
      - id: python
        name: {names['python']}
        uses: actions/setup-python@v5
        with:
          python-version: {json.dumps(python)}
      - id: install
        name: {names['install']}
        run: |
          python -m pip install "torch==$TORCH_VERSION" --index-url "$TORCH_INDEX"
          python -m pip install "$AUTOGRADER_PACKAGE"
      - id: grade
        name: {names['grade']}
        run: |
          {grade}
      - id: summary
        name: {names['summary']}
        if: always()
        run: |
          if [ -f {SUMMARY_FILE} ]; then cat {SUMMARY_FILE} >> "$GITHUB_STEP_SUMMARY"; fi
      - id: junit
        name: {names['junit']}
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: autograder-junit
          path: {JUNIT_FILE}
          if-no-files-found: ignore
"""

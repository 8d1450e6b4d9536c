"""The Python API of the grader: `grade(path, ...)` returns a Report.

The command line (cli.py) is a thin layer over this; so are the project's tests.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from autograder import registry
from autograder.messages import Diagnosis, default_language, render
from autograder.options import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, BadOption, check_options
from autograder.pool import WorkerPool, ZygoteFactory
from autograder.report import DEVICES, Report
from autograder.sandbox import Isolation
from autograder.sandbox import plan as sandbox_plan
from autograder.submission import find_submission

if TYPE_CHECKING:
    from autograder.plugin import SuiteSession

__all__ = ["DEFAULT_DEADLINE", "DEFAULT_TIMEOUT", "BadOption", "cuda_available", "devices_for",
           "grade"]
# Address space a worker may use when no CUDA is in play (CUDA reserves far more).
DEFAULT_MEMORY_LIMIT = 8 * 2**30


def grade(path: str | os.PathLike, *, device: str = "all", timeout: float = DEFAULT_TIMEOUT,
          only: str | None = None, public_only: bool = False, lang: str | None = None,
          memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
          visibility: str = "visible", pictures: bool = False,
          deadline: float = DEFAULT_DEADLINE, sandbox: str = "auto",
          zygotes: ZygoteFactory | None = None, hide: Sequence[str] = (),
          hints: str = "full", assignment: str | None = None,
          exercises: Sequence[str | os.PathLike] | None = None,
          whole_course: bool = False, suites: SuiteSession | None = None) -> Report:
    """Grade the submission at `path` against the hidden suites.

    device: "cpu", "cuda", "placement" or "all" (cuda is reported as skipped without a
        GPU; placement checks where results go on a GPU simulated on the CPU, see
        autograder.placement).
    timeout: seconds each call into the student's code may take.
    only: grade one module or function ("linear_regression", "sgd", "linear_regression.sgd").
    public_only: run only the public tests.
    lang: "en" or "zh" for the messages; by default from the locale.
    visibility: who sees each test's result on Gradescope, and when (VISIBILITIES).
    pictures: also collect what the feedback page draws (report.pictures), for
        autograder.feedback.write_html(report, path).
    deadline: seconds the whole submission may take; past it, the tests not yet run fail
        as not graded, and the report is still complete.
    sandbox: "auto" isolates the student's code with every layer the machine allows,
        "strict" raises SandboxUnavailable when a layer cannot be set up, "off" isolates
        it only in a process of its own. The report states the level reached. In auto
        and strict, a submission whose files break a limit of the sandbox (its /tmp's
        size or number of files) scores 0 with a line naming it, and run as root, the
        code never runs as root (SandboxUnavailable where no uid of its own can be given).
    zygotes: where the submission's zygote is forked from when one process grades many
        submissions (autograder.batch); by default, from this process, which must not
        have graded anything yet.
    hide: more folders that the student's code may not see (the class's other
        submissions, the reports written so far).
    hints: how much each diagnosis says: "full", the mistake and how to fix it, or
        "name", only the mistake (autograder.hints).
    assignment: grade that assignment's modules (registry.assignments()), a module it
        lacks counting 0. Without it, the modules the submission holds are graded, and
        the course's others are named in a note, not counted.
    exercises: folders of exercise packs to grade with, beside the built-in ones
        (autograder.registry); a broken one is a line of report.problems. None: the
        packs in use already (registry.use).
    whole_course: without `assignment`, grade every module of the course, a missing one
        counting 0 (a class run, whose students all have the same maximum).
    suites: the pytest session that a process keeps for the submissions it grades one
        after another (autograder.plugin.SuiteSession, as a class run's grading process
        keeps one), so that the suites are collected once; by default each grading
        collects them in a session of its own.
    Raises BadOption for an option that cannot be graded (an unknown name, "cuda" without
    a GPU, a timeout that is not a positive number, a name with no test on the device),
    NotASubmission when `path` holds nothing to grade.
    """
    started = time.perf_counter()
    if exercises is not None:
        registry.use_packs(exercises)
    check_options(device=device, timeout=timeout, only=only, lang=lang,
                  visibility=visibility, deadline=deadline, sandbox=sandbox, hints=hints)
    stop_at = time.monotonic() + deadline
    submission = find_submission(path)
    # An nbgrader assignment folder holds one module: the others are not "missing".
    only = only or submission.assignment
    lang = lang or default_language()
    modules, not_handed_in = selected_modules(
        registry.names() if whole_course else submission.modules, only=only,
        assignment=assignment)
    from autograder.verify import failing_references

    unverified = failing_references(modules)  # a pack's reference failing its own suite
    modules = [m for m in modules if m not in unverified]
    workdir = submission.stage()
    try:
        hidden = [*hide, *registry.pack_folders()]  # a pack's suites and references too
        plan = None if sandbox == "off" else sandbox_plan(sandbox, workdir, submission.path,
                                                          also_hide=hidden)
        # Fork the zygote before anything of the grading side (suites, reference) is
        # loaded, and before CUDA is even asked about: should that query start the CUDA
        # driver here, workers forked from this process could no longer use the GPU.
        with WorkerPool(workdir, lang=lang, sandbox=plan, factory=zygotes) as pool:
            cuda = cuda_available()
            if device == "cuda" and not cuda:
                raise BadOption("cli.no_gpu")
            pool.isolation.require()  # before any worker starts
            refused = _refused_by_the_sandbox(pool.isolation) or submission.refused
            devices = devices_for(device, cuda)
            # CUDA reserves far more address space than any limit would allow.
            pool.memory_limit = None if cuda else memory_limit
            if "cuda" in devices and cuda and not pool.isolation.refused:
                pool.warm("cuda")
            report = _run_suites(pool, workdir, devices=devices, cuda=cuda, timeout=timeout,
                                 only=only, public_only=public_only, lang=lang,
                                 pictures=pictures, stop_at=stop_at, refused=refused,
                                 hints=hints, modules=modules, suites=suites)
            report.notes = [*report.problems,
                            *(note.render(report.lang) for note in submission.notes)]
            report.notes[:0] = [render(
                "exercise.pack.reference_fails", report.lang, module=module,
                tests=", ".join(failed[:3]),
                file=registry.exercise(module).pack.label(registry.exercise(module).reference_file))
                for module, failed in unverified.items()]
            if not_handed_in:
                report.notes.append(render("report.not_handed_in", report.lang,
                                           files=", ".join(f"{m}.py" for m in not_handed_in)))
            if pictures:  # what a worker sent past a picture's bounds was cut: said here too
                from autograder.feedback.data import cut_notes

                report.notes += [note.render(report.lang) for note in cut_notes(report.pictures)]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if only and not report.tests and not unverified:  # e.g. sgd on placement: 0 / 0
        raise BadOption("cli.nothing_graded", only=only, device=device)
    report.isolation = pool.isolation.line(lang)
    report.execution_time = time.perf_counter() - started
    report.visibility = visibility
    return report


def _refused_by_the_sandbox(isolation: Isolation) -> dict[str, Diagnosis]:
    """Where the submission's own files broke a limit of the sandbox's set-up, none of it
    runs: every module fails with the one line that names the limit."""
    if not isolation.refused:
        return {}
    details = isolation.refused
    diagnosis = Diagnosis(f"sandbox.staging.{details['limit']}", limit=details["value"])
    return {f"{module}.py": diagnosis for module in registry.names()}


def devices_for(device: str, cuda: bool) -> list[str]:
    """The devices a run uses. "all" checks placement on the simulated GPU only where no
    GPU can."""
    if device == "all":
        return ["cpu", "cuda"] if cuda else list(DEVICES)
    if device not in DEVICES:
        raise BadOption("cli.bad_device", value=device)
    return [device]


def cuda_available() -> bool:
    """Whether a GPU is there, asked without initialising CUDA in this process."""
    os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
    import torch

    return torch.cuda.is_available()


def _run_suites(pool: WorkerPool, workdir: str, *, devices: list[str], cuda: bool,
                timeout: float, only: str | None, public_only: bool, lang: str,
                pictures: bool = False, stop_at: float | None = None,
                refused: dict[str, Diagnosis] | None = None, hints: str = "full",
                modules: Sequence[str] | None = None,
                suites: SuiteSession | None = None) -> Report:
    import pytest

    from autograder.checks import Session
    from autograder.plugin import SuiteSession

    session = Session(pool, workdir=workdir, timeout=timeout, stop_at=stop_at)
    session.refused = refused or {}
    # Outside a SuiteSession's serve(), a session of its own.
    plugin, exit_code = (suites or SuiteSession()).run(
        session, modules=modules, pictures=pictures, devices=devices, cuda_available=cuda,
        only=only, public_only=public_only, lang=lang, hints=hints)
    if exit_code == pytest.ExitCode.INTERRUPTED:  # Ctrl-C: pytest caught it, pass it on
        raise KeyboardInterrupt
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED,
                         pytest.ExitCode.NO_TESTS_COLLECTED):
        details = "\n".join(plugin.collection_errors)
        raise RuntimeError(f"the hidden suites could not run (pytest exit code {exit_code})"
                           f"\n{details}")
    report = Report(plugin.results, lang=lang)
    report.problems = registry.problems(lang) + plugin.broken_suites(lang)
    if pictures:  # drawn module by module, while each module's worker served its tests
        from autograder.feedback.data import Pictures

        drawn = plugin.pictures.sections
        report.pictures = Pictures({m: drawn[m] for m in registry.names() if m in drawn})
    return report


def selected_modules(present: Sequence[str], *, only: str | None = None,
                     assignment: str | None = None) -> tuple[list[str], list[str]]:
    """The modules a run grades, and the course's modules it leaves out as not handed in.

    With `assignment`, its modules, each counted (a missing one is 0); with `only`, the
    module it names or that grades the function it names; otherwise the modules present,
    and every other registered module is named as not handed in."""
    known = registry.names()
    if assignment is not None:
        registry.check_assignment(assignment)
        return [m for m in registry.assignments()[assignment] if m in known], []
    if only:
        module = only.split(".")[0]
        if module in known:
            return [module], []
        return [m for m in known if only in registry.exercise(m).functions], []
    return [m for m in known if m in present], [m for m in known if m not in present]

"""The `autograder` command: tools for instructors.

    autograder nbgrader init COURSE_DIR [--course-id ID] [--timeout S] [--device D]
                                        [--call-timeout S] [--only MODULE] [--lang L]
                                        [--force]

writes an nbgrader course made from the exercises (see autograder.course).

    autograder batch SUBMISSIONS --out OUT [-j N] [--device D] [--timeout S]
                                           [--deadline S] [--lang L] [--sandbox M] [--force]

grades a whole class into OUT: grades.csv, class.html, class.md and each student's
reports (see autograder.batch).

    autograder gradescope build ZIP [--gpu] [--wheel FILE] [--device D] [--timeout S]
                                    [--lang L] [--visibility V] [--sandbox auto|strict] [--force]

writes Gradescope's autograder bundle (see autograder.engines.gradescope).

    autograder classroom init DIR [--package SPEC] [--submission FOLDER] [--python V]
                                  [--fail-under PCT] [--device D] [--timeout S] [--lang L]
                                  [--force]

writes a GitHub Classroom workflow, DIR/.github/workflows/classroom.yml
(see autograder.engines.classroom).

    autograder exercise check [--module M ...] [--function F ...] [--json FILE]
                              [--lang en|zh]

checks the exercises: each reference gets full marks, each stub 0, and the hidden suite
kills every mutant of the reference (see autograder.mutation). Exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def main(argv: list[str] | None = None) -> int:
    from autograder import course
    from autograder.parsing import language_of, speaking

    # argparse's own words ("usage:", its refusals) follow --lang or the locale.
    with speaking(language_of(sys.argv[1:] if argv is None else argv)):
        args = _parser(course).parse_args(argv)
    if args.tool == "batch":
        return _batch(args)
    if args.tool == "gradescope":
        return _gradescope_build(args)
    if args.tool == "classroom":
        return _classroom_init(args)
    if args.tool == "exercise":
        return _exercise_check(args)

    try:
        written = course.build_course(
            args.course_dir, course_id=args.course_id, timeout=args.timeout,
            device=args.device, call_timeout=args.call_timeout, modules=args.only,
            force=args.force, lang=args.lang,
            sandbox=args.sandbox)
    except (FileExistsError, ValueError) as error:
        print(f"autograder: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    first = written[1].parent.name if len(written) > 1 else "<assignment>"
    print(f"\nNext:\n  cd {args.course_dir}\n  nbgrader generate_assignment {first} --force"
          "\nand see README.md, \"For instructors (nbgrader)\".")
    return 0


def _parser(course: Any) -> argparse.ArgumentParser:
    """The `autograder` command's options."""
    parser = argparse.ArgumentParser(prog="autograder",
                                     description="Instructor tools of the D2L autograder.")
    tools = parser.add_subparsers(dest="tool", required=True, metavar="TOOL")
    nbgrader = tools.add_parser("nbgrader", help="run the exercises as an nbgrader course")
    actions = nbgrader.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init", help="write nbgrader_config.py and one source notebook per exercise module",
        description="Write an nbgrader course: COURSE_DIR/nbgrader_config.py and "
                    "COURSE_DIR/source/<module>/<module>.ipynb for each exercise module.")
    init.add_argument("course_dir", metavar="COURSE_DIR")
    init.add_argument("--course-id", default=course.DEFAULT_COURSE_ID,
                      help=f"nbgrader's course id (default: {course.DEFAULT_COURSE_ID})")
    init.add_argument("--timeout", type=int, default=course.DEFAULT_CELL_TIMEOUT,
                      metavar="S", help="seconds nbgrader lets one cell run "
                      f"(default: {course.DEFAULT_CELL_TIMEOUT})")
    init.add_argument("--device", default=course.DEFAULT_DEVICE,
                      choices=["cpu", "cuda", "placement", "all"],
                      help="where the test cells run the student's code, as `grade --device` "
                      f"(default: {course.DEFAULT_DEVICE})")
    init.add_argument("--call-timeout", type=float, default=course.DEFAULT_CALL_TIMEOUT,
                      metavar="S", help="seconds each call into the student's code may take, "
                      f"as `grade --timeout` (default: {course.DEFAULT_CALL_TIMEOUT:g})")
    init.add_argument("--only", action="append", metavar="MODULE",
                      help="make an assignment of this module only (repeatable)")
    init.add_argument("--lang", default="en", choices=list(course.LANGUAGES),
                      help="language of the notebooks and of the diagnoses in the feedback "
                      "(default: en)")
    init.add_argument("--sandbox", choices=["auto", "strict", "off"], default="auto",
                      help="how the test cells isolate the student's code, as "
                      "`grade --sandbox` (default: auto; the grading service never "
                      "grades without the sandbox, so off is graded as auto)")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    _add_engines(tools)
    _add_batch(tools)
    _add_exercise(tools)
    return parser


def _add_exercise(tools: argparse._SubParsersAction) -> None:
    """`autograder exercise check`."""
    exercise = tools.add_parser("exercise", help="check the exercises and their suites")
    check = exercise.add_subparsers(dest="action", required=True, metavar="ACTION") \
        .add_parser("check", help="the reference gets full marks, the stub 0, and the "
                    "hidden suite kills every mutant of the reference",
                    description="For each exercise module: grade the reference (full marks "
                    "expected) and the stub (0, every function not implemented yet), then "
                    "grade each mutant of the reference with the hidden suite. Exit status "
                    "1 when anything fails or a mutant survives.")
    check.add_argument("--module", action="append", metavar="M",
                       help="check this module only (repeatable; default: all)")
    check.add_argument("--function", action="append", metavar="F",
                       help="grade the mutants of this graded function only (repeatable)")
    check.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    check.add_argument("--lang", metavar="en|zh",
                       help="language of the report (default: from the locale)")


def _exercise_check(args: argparse.Namespace) -> int:
    import json

    from autograder import mutation
    from autograder.messages import LANGUAGES, default_language, render
    from autograder.options import BadOption

    if args.lang is not None and args.lang not in LANGUAGES:
        message = render("cli.bad_lang", default_language(), value=args.lang)
        print(f"autograder exercise: {message}", file=sys.stderr)
        return 2
    try:
        report = mutation.check(args.module, lang=args.lang, functions=args.function)
    except BadOption as error:
        print(f"autograder exercise: {error.render(args.lang or default_language())}",
              file=sys.stderr)
        return 2
    print(report.render_text(), end="")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump(report.to_json(), stream, ensure_ascii=False, indent=2)
    return 0 if report.passed else 1


def _add_engines(tools: argparse._SubParsersAction) -> None:
    """`autograder gradescope build` and `autograder classroom init`."""
    from autograder.options import DEFAULT_TIMEOUT

    gradescope = tools.add_parser("gradescope", help="grade on Gradescope")
    build = gradescope.add_subparsers(dest="action", required=True, metavar="ACTION") \
        .add_parser("build", help="write the autograder zip to upload to Gradescope",
                    description="Write Gradescope's autograder zip: setup.sh (PyTorch and "
                    "this package's wheel), run_autograder (grade /autograder/submission "
                    "into results.json) and the wheel.")
    build.add_argument("zip", metavar="ZIP")
    build.add_argument("--gpu", action="store_true",
                       help="install PyTorch's CUDA build, for a GPU image (default: CPU)")
    build.add_argument("--wheel", metavar="FILE",
                       help="this package's wheel (default: built from the checkout)")
    build.add_argument("--visibility", default="visible",
                       metavar="visible|hidden|after_due_date|after_published",
                       help="who sees each test's result, and when (default: visible)")
    build.add_argument("--sandbox", default="auto", metavar="auto|strict",
                       help="every layer of the sandbox the container allows (auto), or "
                       "all of them or no grading (strict) (default: auto)")
    classroom = tools.add_parser("classroom", help="grade on GitHub Classroom (GitHub Actions)")
    init = classroom.add_subparsers(dest="action", required=True, metavar="ACTION") \
        .add_parser("init", help="write .github/workflows/classroom.yml",
                    description="Write DIR/.github/workflows/classroom.yml, which grades the "
                    "repository's submission/ on every push.")
    init.add_argument("dir", metavar="DIR")
    init.add_argument("--package", metavar="SPEC",
                      help="what pip installs the grader from, pinned (default: "
                      "d2l-autograder==<this version>)")
    init.add_argument("--submission", default="submission/", metavar="FOLDER",
                      help="the folder that is graded (default: submission/)")
    init.add_argument("--python", default="3.12", metavar="VERSION",
                      help="the Python version to set up (default: 3.12)")
    init.add_argument("--fail-under", type=float, default=100.0, metavar="PCT",
                      help="fail the job below PCT percent (default: 100)")
    for parser in (build, init):
        parser.add_argument("--device", default="all", metavar="cpu|cuda|placement|all",
                            help="where the tests run, as `grade --device` (default: all)")
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                            help="seconds each call into the student's code may take "
                            f"(default: {DEFAULT_TIMEOUT:g})")
        parser.add_argument("--lang", default="en", metavar="en|zh",
                            help="language of the feedback (default: en)")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def _add_batch(tools: argparse._SubParsersAction) -> None:
    """`autograder batch`: its values are checked by the API, as `grade`'s are."""
    batch = tools.add_parser(
        "batch", help="grade a whole class: a CSV, each student's reports, the class's "
        "most common mistakes",
        description="Grade every submission in SUBMISSIONS (student folders, an nbgrader "
        "submitted/ tree, per-student .zip files or a Gradescope export) into OUT: "
        "grades.csv, class.html, class.md and OUT/<student>/ (results.json, "
        "feedback.html, feedback.txt). A second run grades only what changed.")
    batch.add_argument("submissions", metavar="SUBMISSIONS")
    batch.add_argument("--out", required=True, metavar="OUT", help="where the reports go")
    batch.add_argument("-j", "--jobs", metavar="N",
                       help="students graded at once (default: one per core)")
    batch.add_argument("--device", default="all", metavar="cpu|cuda|placement|all",
                       help="where the tests run, as `grade --device` (default: all)")
    batch.add_argument("--timeout", metavar="S",
                       help="seconds of CPU time each call may take (default: 5)")
    batch.add_argument("--deadline", metavar="S",
                       help="seconds each student's whole grading may take (default: 300)")
    batch.add_argument("--lang", metavar="en|zh",
                       help="language of the feedback and the class report "
                       "(default: from the locale)")
    batch.add_argument("--sandbox", default="auto", metavar="auto|strict|off",
                       help="isolation of each student's code, as `grade --sandbox` "
                       "(default: auto)")
    batch.add_argument("--force", action="store_true",
                       help="grade every student again, even where nothing changed")


def _batch(args: argparse.Namespace) -> int:
    from autograder.batch import grade_class
    from autograder.batch.console import print_outcome, progress_for
    from autograder.cli import _seconds, colour_wanted
    from autograder.messages import LANGUAGES, default_language, render
    from autograder.options import DEFAULT_DEADLINE, BadOption
    from autograder.report import printable
    from autograder.sandbox import SandboxUnavailable
    from autograder.submission import NotASubmission

    lang = args.lang if args.lang in LANGUAGES else default_language()
    progress = None
    try:
        jobs = _jobs(args.jobs)
        options = {"timeout": _seconds(args.timeout),
                   "deadline": _seconds(args.deadline, DEFAULT_DEADLINE, "cli.bad_deadline")}
        progress = progress_for(sys.stdout, lang,
                                terminal=colour_wanted(sys.stdout, os.environ))
        run = grade_class(args.submissions, out=args.out, jobs=jobs, device=args.device,
                          lang=args.lang, sandbox=args.sandbox, force=args.force,
                          progress=progress, **options)
    except SandboxUnavailable as error:
        print(error.render(lang), file=sys.stderr)
        return 3
    except (BadOption, NotASubmission) as error:
        message = error.render(lang) if isinstance(error, BadOption) else str(error)
        print(f"autograder batch: {printable(message)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"autograder batch: {render('batch.run.interrupted', lang)}", file=sys.stderr)
        return 130
    finally:
        if progress is not None:
            progress.close()
    print_outcome(run, sys.stdout, lang)
    return 0


def _jobs(text: str | None) -> int | None:
    from autograder.options import BadOption

    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadOption("cli.bad_jobs", value=text) from None


def _gradescope_build(args: argparse.Namespace) -> int:
    from autograder.engines.gradescope import build_bundle

    try:
        path = build_bundle(args.zip, gpu=args.gpu, wheel=args.wheel, device=args.device,
                            timeout=args.timeout, lang=args.lang, visibility=args.visibility,
                            sandbox=args.sandbox, force=args.force)
    except (FileExistsError, FileNotFoundError, ValueError) as error:
        print(f"autograder: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}\n\nNext: on Gradescope, create a Programming Assignment, choose "
          "the Ubuntu 22.04 (or newer) base image, and upload this zip as its autograder."
          "\nSee README.md, \"For instructors: Gradescope and GitHub Classroom\".")
    return 0


def _classroom_init(args: argparse.Namespace) -> int:
    from autograder.engines.classroom import write_workflow

    try:
        path = write_workflow(args.dir, package=args.package, submission=args.submission,
                              python=args.python, fail_under=args.fail_under,
                              device=args.device, timeout=args.timeout, lang=args.lang,
                              force=args.force)
    except (FileExistsError, ValueError) as error:
        print(f"autograder: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}\n\nNext: commit it to the assignment's template repository; each "
          "student's push then runs it.\nSee README.md, \"For instructors: Gradescope and "
          "GitHub Classroom\".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

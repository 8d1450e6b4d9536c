"""The command line: `grade PATH`, a thin layer over autograder.api.grade."""

from __future__ import annotations

import argparse
import os
import sys


def grade_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="grade",
        description="Grade a submission of the D2L exercises against the hidden suites.")
    parser.add_argument("path", help="the folder holding your .py files")
    parser.add_argument("--json", metavar="FILE", help="write a Gradescope results.json")
    parser.add_argument("--device", default="all", choices=["cpu", "cuda", "meta", "all"],
                        help="where the tests run (default: all; cuda is skipped without a GPU)")
    parser.add_argument("--timeout", type=float, default=None, metavar="S",
                        help="seconds each call into your code may take (default: 5)")
    parser.add_argument("--only", metavar="MODULE_OR_FUNCTION",
                        help="grade one module or function, e.g. linear_regression or sgd")
    parser.add_argument("--public", action="store_true", help="run only the public tests")
    parser.add_argument("--lang", choices=["en", "zh"], help="language of the feedback")
    parser.add_argument("--fail-under", type=float, metavar="PCT",
                        help="exit 1 when the score is below PCT percent")
    parser.add_argument("--sandbox", choices=["auto", "strict", "off"], default="auto",
                        help="isolation of your code: every layer the machine allows (auto), "
                             "all of them or no grading (strict, exit 3), none (off)")
    args = parser.parse_args(argv)

    from autograder.api import DEFAULT_TIMEOUT, grade
    from autograder.messages import default_language
    from autograder.sandbox import SandboxUnavailable
    from autograder.submission import NotASubmission

    try:
        report = grade(args.path, device=args.device, only=args.only, public_only=args.public,
                       timeout=args.timeout or DEFAULT_TIMEOUT, lang=args.lang,
                       sandbox=args.sandbox)
    except NotASubmission as error:
        print(f"grade: {error}", file=sys.stderr)
        return 2
    except SandboxUnavailable as error:
        print(error.render(args.lang or default_language()), file=sys.stderr)
        return 3
    print(report.render_text())
    if args.json:
        report.write_json(args.json)
    if args.fail_under is not None and report.percent < args.fail_under:
        return 1
    return 0


def grade_entry() -> None:
    """The `grade` console script: grade_main, then leave without tearing torch down.

    Everything is written and closed by then; skipping the interpreter's clean-up of
    torch saves about a quarter of a second of every run.
    """
    code = grade_main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    grade_entry()

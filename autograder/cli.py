"""The command line: `grade PATH`, a thin layer over autograder.api.grade."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from autograder.messages import LANGUAGES, default_language, render
from autograder.options import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, BadOption, check_options
from autograder.report import printable
from autograder.submission import NotASubmission

if TYPE_CHECKING:
    from autograder.report import Report

# How a terminal shows each role of the report's pieces (Report.segments), in rich's styles.
STYLES = {
    "passed": "green",
    "failed": "bold red",
    "skipped": "yellow",
    "heading": "bold",
    "failure": "red",
    "total.full": "bold green",
    "total.partial": "bold yellow",
    "total.none": "bold red",
}


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors (an unknown option, a missing path) on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (grade --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The options of `grade`. Values are checked by the API (or by `_options` for the
    command line's own), so that every refusal is one line from the catalogue."""
    parser = _Parser(
        prog="grade",
        description="Grade a submission of the D2L exercises against the hidden suites.")
    parser.add_argument("path", help="the folder holding your .py files")
    parser.add_argument("--json", metavar="FILE", help="write a Gradescope results.json")
    parser.add_argument("--device", default="all", metavar="cpu|cuda|placement|all",
                        help="where the tests run (default: all; cuda is skipped without a GPU)")
    parser.add_argument("--timeout", metavar="S",
                        help="seconds of CPU time each call into your code may take (default: 5)")
    parser.add_argument("--deadline", metavar="S",
                        help="seconds the whole submission may take (default: 300)")
    parser.add_argument("--only", metavar="MODULE_OR_FUNCTION",
                        help="grade one module or function, e.g. linear_regression or sgd")
    parser.add_argument("--public", action="store_true", help="run only the public tests")
    parser.add_argument("--lang", metavar="en|zh",
                        help="language of the feedback (default: from the locale)")
    parser.add_argument("--html", metavar="FILE",
                        help="write a feedback page with pictures of your functions")
    parser.add_argument("--fail-under", metavar="PCT",
                        help="exit 1 when the score is below PCT percent")
    parser.add_argument("--sandbox", default="auto", metavar="auto|strict|off",
                        help="isolation of your code: every layer the machine allows (auto), "
                             "all of them or no grading (strict, exit 3), none (off)")
    parser.add_argument("--visibility", default="visible",
                        metavar="visible|hidden|after_due_date|after_published",
                        help="who sees each test in results.json, and when (default: visible)")
    parser.add_argument("--junit", metavar="FILE",
                        help="write JUnit XML: a testcase per test and device (for CI)")
    parser.add_argument("--markdown", metavar="FILE",
                        help="write a Markdown summary: the table and what to fix (for CI)")
    return parser


def grade_main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = args.lang if args.lang in LANGUAGES else default_language()
    try:
        options = _options(args)  # refused here, at once, before torch is imported
        from autograder.api import grade
        from autograder.sandbox import SandboxUnavailable

        try:
            report = grade(args.path, **options)
        except SandboxUnavailable as error:  # --sandbox strict on a machine lacking a layer
            print(error.render(lang), file=sys.stderr)
            return 3
    except (BadOption, NotASubmission) as error:
        message = error.render(lang) if isinstance(error, BadOption) else str(error)
        print(f"grade: {printable(message)}", file=sys.stderr)  # it may quote a file name
        return 2
    except KeyboardInterrupt:  # Ctrl-C: the workers are gone by now, and so is staging
        print(f"grade: {render('robustness.interrupted', lang)}", file=sys.stderr)
        return 130
    print_report(report, sys.stdout)
    if args.json:
        report.write_json(args.json)
    if args.html:
        from autograder.feedback import write_html

        write_html(report, args.html)
    _write_ci_reports(report, junit=args.junit, markdown=args.markdown)
    fail_under = _percentage(args.fail_under)
    if fail_under is not None and report.percent < fail_under:
        sys.stdout.flush()  # the reason comes after the report, also where both are one file
        print(render("cli.below_fail_under", lang, percent=report.percent,
                     threshold=fail_under), file=sys.stderr)
        return 1
    return 0


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of api.grade from the command line's strings, checked."""
    _percentage(args.fail_under)  # refused now, not after grading
    options = {"device": args.device, "timeout": _seconds(args.timeout), "only": args.only,
               "public_only": args.public, "lang": args.lang, "visibility": args.visibility,
               "pictures": bool(args.html),
               "deadline": _seconds(args.deadline, DEFAULT_DEADLINE, "cli.bad_deadline"),
               "sandbox": args.sandbox}
    check_options(device=options["device"], timeout=options["timeout"], only=options["only"],
                  lang=options["lang"], visibility=options["visibility"],
                  deadline=options["deadline"], sandbox=options["sandbox"])
    return options


def _write_ci_reports(report: Report, *, junit: str | None, markdown: str | None) -> None:
    """--junit and --markdown: the reports a CI job shows (autograder.engines)."""
    if junit:
        from autograder.engines.junit import write_junit

        write_junit(report, junit)
    if markdown:
        from autograder.engines.markdown import write_markdown

        write_markdown(report, markdown)


def _seconds(text: str | None, default: float = DEFAULT_TIMEOUT,
             refusal: str = "cli.bad_timeout") -> float:
    """--timeout or --deadline as a number; check_options refuses one that is not positive."""
    if text is None:
        return default
    try:
        return float(text)
    except ValueError:
        raise BadOption(refusal, value=text) from None


def _percentage(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 100:
        raise BadOption("cli.bad_fail_under", value=text)
    return value


def colour_wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour on a terminal only, and never where NO_COLOR is set (https://no-color.org)
    or the terminal says it cannot show it."""
    return (stream.isatty() and not environ.get("NO_COLOR")
            and environ.get("TERM") != "dumb")


def print_report(report: Report, stream: TextIO) -> None:
    """The text report, in colour where `colour_wanted` (rich is imported only then)."""
    if not colour_wanted(stream, os.environ):
        print(report.render_text(), file=stream)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, highlight=False, markup=False,
                      emoji=False, soft_wrap=True)
    styled = [(text, STYLES.get(role, "")) for text, role in report.segments()]
    console.print(Text.assemble(*styled))


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

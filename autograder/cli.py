"""The command line: `grade PATH`, a thin layer over autograder.api.grade."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from autograder.messages import render
from autograder.options import DEFAULT_DEADLINE, DEFAULT_TIMEOUT, BadOption, check_options
from autograder.parsing import help_text, language_of, speaking
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

    lang = "en"

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}{render('cli.see_help', self.lang)}\n")


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The options of `grade`, their help in `lang`. Values are checked by the API (or by
    `_options` for the command line's own), so that every refusal is one line from the
    catalogue. argparse's own words follow `lang` under autograder.parsing.speaking."""
    say = help_text(lang)

    file, seconds = say("cli.metavar.file"), say("cli.metavar.seconds")
    parser = _Parser(prog="grade", description=say("cli.description"))
    parser.lang = lang
    parser.add_argument("path", metavar=say("cli.metavar.path"), help=say("cli.help.path"))
    parser.add_argument("--json", metavar=file, help=say("cli.help.json"))
    parser.add_argument("--device", default="all", metavar="cpu|cuda|placement|all",
                        help=say("cli.help.device"))
    parser.add_argument("--timeout", metavar=seconds, help=say("cli.help.timeout"))
    parser.add_argument("--deadline", metavar=seconds, help=say("cli.help.deadline"))
    parser.add_argument("--only", metavar=say("cli.metavar.only"), help=say("cli.help.only"))
    parser.add_argument("--public", action="store_true", help=say("cli.help.public"))
    parser.add_argument("--lang", metavar="en|zh", help=say("cli.help.lang"))
    parser.add_argument("--html", metavar=file, help=say("cli.help.html"))
    percent = say("cli.metavar.percent")
    parser.add_argument("--fail-under", metavar=percent,
                        help=say("cli.help.fail_under", metavar=percent))
    parser.add_argument("--sandbox", default="auto", metavar="auto|strict|off",
                        help=say("cli.help.sandbox"))
    parser.add_argument("--visibility", default="visible",
                        metavar="visible|hidden|after_due_date|after_published",
                        help=say("cli.help.visibility"))
    parser.add_argument("--junit", metavar=file, help=say("cli.help.junit"))
    parser.add_argument("--markdown", metavar=file, help=say("cli.help.markdown"))
    parser.add_argument("--hints", default="full", metavar="full|name",
                        help=say("cli.help.hints"))
    parser.add_argument("--watch", action="store_true", help=say("cli.help.watch"))
    parser.add_argument("--assignment", metavar=say("cli.metavar.assignment"),
                        help=say("cli.help.assignment"))
    parser.add_argument("--exercises", action="append", default=[],
                        metavar=say("cli.metavar.pack"), help=say("cli.help.exercises"))
    return parser


def parse_arguments(argv: list[str] | None) -> tuple[argparse.Namespace, str]:
    """The command line's arguments and the language it speaks (`--lang`, else the
    locale): --help and argparse's refusals are in that language too."""
    argv = sys.argv[1:] if argv is None else argv
    lang = language_of(argv)
    with speaking(lang):
        return build_parser(lang).parse_args(argv), lang


def grade_main(argv: list[str] | None = None) -> int:
    args, lang = parse_arguments(argv)
    try:
        options = _options(args)  # refused here, at once, before torch is imported
        if args.watch:
            return _watch(args, options, lang)
        from autograder.api import grade
        from autograder.sandbox import SandboxUnavailable

        try:
            report = grade(args.path, **options)
        except SandboxUnavailable as error:  # --sandbox strict on a machine lacking a layer
            print(error.render(lang), file=sys.stderr)
            return 3
    except (BadOption, NotASubmission) as error:
        # It may quote a file name: shown, never obeyed.
        print(f"grade: {printable(error.render(lang))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: the workers are gone by now, and so is staging
        print(f"grade: {render('robustness.interrupted', lang)}", file=sys.stderr)
        return 130
    print_report(report, sys.stdout)
    try:
        _write_reports(report, args)
    except OSError as error:  # a folder that is not there, a disk that is full
        from autograder.sandbox.levels import reason_of  # an errno's name, in any language

        line = render("cli.cannot_write", lang, path=error.filename, reason=reason_of(error))
        print(f"grade: {printable(line)}", file=sys.stderr)
        return 2
    fail_under = _percentage(args.fail_under)
    if fail_under is not None and report.percent < fail_under:
        sys.stdout.flush()  # the reason comes after the report, also where both are one file
        print(render("cli.below_fail_under", lang, percent=report.percent,
                     threshold=fail_under), file=sys.stderr)
        return 1
    return 0


# What a single run writes or decides: --watch refuses them rather than ignore them.
_ONE_RUN_OPTIONS = ("json", "html", "junit", "markdown", "fail_under")


def _watch(args: argparse.Namespace, options: dict[str, Any], lang: str) -> int:
    """--watch: grade, then grade again on each save, until Ctrl-C (exit 130)."""
    from autograder.watch import watch

    given = [f"--{name.replace('_', '-')}" for name in _ONE_RUN_OPTIONS if getattr(args, name)]
    if given:
        raise BadOption("cli.watch_alone", options=" ".join(given))

    options = {k: v for k, v in options.items() if k != "pictures"}
    try:
        watch(args.path, report=lambda report: _show_watched(report, args.path, lang),
              failed=lambda error: _show_refusal(error, lang), **options)
    except KeyboardInterrupt:
        print(f"grade: {render('watch.stopped', lang)}", file=sys.stderr)
        return 130
    return 0


def _show_watched(report: Report, path: str, lang: str) -> None:
    print_report(report, sys.stdout)
    print(f"\n\n{printable(render('watch.waiting', lang, path=path))}", flush=True)


def _show_refusal(error: NotASubmission, lang: str) -> None:
    """A save that left nothing to grade: said, and the watch goes on."""
    print(f"grade: {printable(error.render(lang))}", file=sys.stderr, flush=True)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of api.grade from the command line's strings, checked."""
    _percentage(args.fail_under)  # refused now, not after grading
    from autograder import registry  # no torch imported

    registry.use_packs(args.exercises)  # before the names of --only are checked
    registry.check_assignment(args.assignment)
    options = {"assignment": args.assignment, "exercises": args.exercises,
               "device": args.device, "timeout": _seconds(args.timeout), "only": args.only,
               "public_only": args.public, "lang": args.lang, "visibility": args.visibility,
               "pictures": bool(args.html),
               "deadline": _seconds(args.deadline, DEFAULT_DEADLINE, "cli.bad_deadline"),
               "sandbox": args.sandbox, "hints": args.hints}
    check_options(device=options["device"], timeout=options["timeout"], only=options["only"],
                  lang=options["lang"], visibility=options["visibility"],
                  deadline=options["deadline"], sandbox=options["sandbox"],
                  hints=options["hints"])
    return options


def _write_reports(report: Report, args: argparse.Namespace) -> None:
    if args.json:
        report.write_json(args.json)
    if args.html:
        from autograder.feedback import write_html

        write_html(report, args.html)
    _write_ci_reports(report, junit=args.junit, markdown=args.markdown)


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


def leave(code: int) -> NoReturn:
    """End a command's process with `code`, everything written and closed by then,
    without the interpreter's clean-up of torch: a quarter to half a second of a run."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def grade_entry() -> None:
    """The `grade` console script: grade_main, then leave without tearing torch down."""
    leave(grade_main())


if __name__ == "__main__":
    grade_entry()

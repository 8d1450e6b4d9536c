"""The feedback page: one self-contained HTML file, no script, no network.

It holds the table of points, every diagnosis with what the code printed folded away,
and, where matplotlib is installed, the pictures (plots.py) of the data collected by
data.py. Every word comes from the catalogue; everything the student wrote or printed
is escaped, its control characters shown rather than obeyed.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from autograder.feedback.data import Panel, Pictures
from autograder.messages import render
from autograder.report import UNPRINTABLE, shown_escaped

if TYPE_CHECKING:
    from autograder.report import Report, TestResult

DEVICE_ORDER = ("cpu", "cuda", "placement")

STYLE = """
body { font-family: "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif;
       max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
h3 { margin-bottom: 0.3em; }
.total { font-size: 1.15em; font-weight: bold; }
code, td:first-child { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; min-width: 60%; }
th, td { padding: 0.2em 0.9em; border-bottom: 1px solid #eee; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.module { font-weight: bold; padding-top: 0.9em; border-bottom: 1px solid #ccc; }
td.function { padding-left: 1.8em; }
.passed { color: #1a7f37; } .failed { color: #c62828; font-weight: bold; }
.skipped { color: #888; }
.failure { border-left: 4px solid #c62828; padding: 0.3em 0.8em; margin: 0.8em 0;
           background: #fdf6f6; }
.failure .label { font-family: monospace; font-weight: bold; }
.failure .message, pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.3em 0; }
pre { background: #f6f6f6; padding: 0.5em; font-size: 0.9em; }
.ctrl { color: #c62828; background: #fde8e8; border-radius: 2px; }
summary { cursor: pointer; color: #555; }
figure { margin: 0.6em 0 1.4em; }
figure svg { width: 100%; height: auto; display: block; }
/* Softmax draws one chart per row: as wide as three rows' charts would be, at most. */
figure[data-rows="1"] svg { width: 34%; } figure[data-rows="2"] svg { width: 67%; }
.side { margin: 0.8em 0 0.2em; font-weight: bold; }
figcaption { font-size: 0.95em; margin-bottom: 0.3em; }
.problem { color: #c62828; }
.note { color: #8a5300; }
.swatch { display: inline-block; vertical-align: middle; }
"""


def page_html(report: Report, pictures: Pictures | None, *, lang: str | None = None,
              draw: bool | None = None) -> str:
    """The whole page. `draw`: whether matplotlib draws the pictures (default: if installed)."""
    lang = lang or report.lang
    if draw is None:
        draw = matplotlib_available()
    say = sayer(lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{say('feedback.title')}</title><style>{STYLE}</style></head><body>",
        f"<h1>{say('feedback.title')}</h1>",
        f'<p class="total">{say("report.total", score=report.score, max_score=report.max_score, percent=report.percent)}</p>',  # noqa: E501
        f"<h2>{say('feedback.scores')}</h2>",
        _tables(report, say),
        f"<h2>{say('feedback.what_to_fix')}</h2>",
        _failures(report, say),
        f"<h2>{say('feedback.pictures')}</h2>",
        _pictures(pictures, lang, draw),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_html(report: Report, path: str, *, pictures: Pictures | None = None,
               lang: str | None = None) -> None:
    """Write the page of `report` to `path`; the pictures default to those grade collected."""
    pictures = pictures if pictures is not None else getattr(report, "pictures", None)
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(page_html(report, pictures, lang=lang))


def matplotlib_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def escape(text: str) -> str:
    """Student text as HTML: escaped, with hidden characters shown as their code."""
    escaped = html.escape(text, quote=True)
    return UNPRINTABLE.sub(lambda m: f'<span class="ctrl">{shown_escaped(m)}</span>', escaped)


def sayer(lang: str) -> Callable[..., str]:
    return lambda key, **params: escape(render(key, lang, **params))


# -- the table and the diagnoses ----------------------------------------------------------


def _tables(report: Report, say: Callable[..., str]) -> str:
    """One table: a row per function, grouped by module, a column per device."""
    devices = [d for d in DEVICE_ORDER if any(t.device == d for t in report.tests)]
    modules: dict[str, dict[str, list[TestResult]]] = defaultdict(lambda: defaultdict(list))
    for test in report.tests:
        modules[test.module][test.function].append(test)
    head = "".join(f"<th>{d}</th>" for d in devices)
    rows = [f"<tr><th>{say('feedback.function')}</th><th>{say('report.points')}</th>{head}</tr>"]
    for module, functions in modules.items():
        rows.append(f'<tr><td class="module" colspan="{2 + len(devices)}">'
                    f"{escape(module)}.py</td></tr>")
        for function, results in functions.items():
            earned = sum(t.score for t in results)
            worth = sum(t.max_score for t in results)
            cells = "".join(_cell(results, d, say) for d in devices)
            rows.append(f'<tr><td class="function">{escape(function)}</td>'
                        f"<td>{earned:g}/{worth:g}</td>{cells}</tr>")
    return "<table>" + "\n".join(rows) + "</table>"


def _cell(results: list[TestResult], device: str, say: Callable[..., str]) -> str:
    statuses = {t.status for t in results if t.device == device}
    for status, key in (("failed", "report.fail"), ("passed", "report.pass"),
                        ("skipped", "report.skipped")):
        if status in statuses:
            return f'<td class="{status}">{say(key)}</td>'
    return "<td>-</td>"


# How much of the student's text (what it printed, its errors in the diagnoses) the page
# shows: each text at most TEXT_CHARS characters, all together at most PAGE_TEXT_CHARS.
# Escaped for HTML a character takes at most 6 bytes, so that part of the page stays
# under 1.2 MB whatever the worker sent (a call's output alone may be 64 KiB).
TEXT_CHARS = 16_000
PAGE_TEXT_CHARS = 200_000


def _failures(report: Report, say: Callable[..., str]) -> str:
    seen: set[tuple[str, str]] = set()
    blocks = []
    budget = [PAGE_TEXT_CHARS]  # characters left to show
    for test in report.tests:
        if test.status != "failed" or (test.module, test.message) in seen:
            continue
        seen.add((test.module, test.message))
        label = f"{test.module}.{test.function} [{test.device}] {test.name}"
        block = (f'<div class="failure"><div class="label">{escape(label)}</div>'
                 f'<div class="message">{_within(test.message, budget, say)}</div>')
        if test.output:
            block += (f"<details><summary>{say('feedback.printed')}</summary>"
                      f"<pre>{_within(test.output, budget, say)}</pre></details>")
        blocks.append(block + "</div>")
    return "\n".join(blocks) or f"<p>{say('feedback.all_passed')}</p>"


def _within(text: str, budget: list[int], say: Callable[..., str]) -> str:
    """`text` escaped, cut to what the page's budget has left, with a note where cut."""
    room = min(TEXT_CHARS, budget[0])
    budget[0] -= min(len(text), room)
    if len(text) <= room:
        return escape(text)
    note = say("feedback.cut.text", limit=TEXT_CHARS, total=PAGE_TEXT_CHARS)
    return f'{escape(text[:room])}\n<span class="note">{note}</span>'


# -- the pictures ----------------------------------------------------------------------------


def _pictures(pictures: Pictures | None, lang: str, draw: bool) -> str:
    say = sayer(lang)
    if pictures is None:
        return f"<p>{say('feedback.no_picture_data')}</p>"
    if not draw:
        return f'<p class="note">{say("feedback.no_matplotlib")}</p>'
    from autograder.feedback import plots

    # The swatches are markup of our own, put in after the sentence was escaped.
    legend = say("feedback.legend", yours="\ue000", book="\ue001", bad="\ue002")
    for marker, markup in (("\ue000", _swatch(plots.YOURS)), ("\ue001", _swatch(plots.BOOK, True)),
                           ("\ue002", _cross(plots.BAD))):
        legend = legend.replace(marker, markup)
    sections = [f"<p>{legend}</p>"]
    for module, panels in pictures.sections.items():
        sections.append(_section(module, panels, lang, plots))
    return "\n".join(sections)


def _section(module: str, panels: list[Panel], lang: str, plots: ModuleType) -> str:
    """A module's pictures, as its unit writes them (write(panels, lang, plots) of
    exercises/<module>/pictures.py), or each panel's problem where it cannot."""
    from autograder import registry

    try:
        unit = registry.exercise(module).pictures
    except KeyError:
        unit = None
    if unit is None or not hasattr(unit, "write"):
        return _unknown(panels, lang, plots)
    return unit.write(panels, lang, plots)


def _swatch(colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (f'<svg class="swatch" width="30" height="10"><line x1="1" y1="5" x2="29" y2="5" '
            f'stroke="{colour}" stroke-width="{3 if dashed else 2}"{dash}/></svg>')


def _cross(colour: str) -> str:
    return (f'<svg class="swatch" width="12" height="12"><path d="M2 2L10 10M10 2L2 10" '
            f'stroke="{colour}" stroke-width="2"/></svg>')


def figure(panel: Panel, caption: str, svg: Callable[[], str] | None, lang: str,
            rows: int = 0) -> str:
    """A picture with its caption, its problem and its notes; the problem replaces the
    student's part of the picture, the book's is still drawn where there is one."""
    sized = f' data-rows="{rows}"' if rows else ""
    lines = [f'<figure data-plot="{panel.name}"{sized}><figcaption>{caption}</figcaption>']
    if panel.problem is not None:
        lines.append(f'<p class="problem">{escape(panel.problem.render(lang))}</p>')
    lines.extend(f'<p class="note">{escape(note.render(lang))}</p>'
                 for note in panel.notes)
    if svg is not None:
        try:
            lines.append(svg())
        except Exception as error:  # the grader's own fault: the rest of the page still stands
            problem = render("grader_error", lang, error=f"{type(error).__name__}: {error}")
            lines.append(f'<p class="problem">{escape(problem)}</p>')
    lines.append("</figure>")
    return "\n".join(lines)


def _unknown(panels: list[Panel], lang: str, plots: ModuleType) -> str:
    return "\n".join(figure(panel, escape(panel.name), None, lang) for panel in panels)

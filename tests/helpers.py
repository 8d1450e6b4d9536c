"""Building submissions for the tests: the reference solutions with one thing changed."""

from __future__ import annotations

import ast
import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path

from autograder import registry

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
ASSIGNMENTS = ROOT / "assignments"
EXERCISES = ROOT / "exercises"
# The built-in exercise modules, in the course's order, and their hidden suites.
MODULES = registry.names()
SUITES = [exercise.suite for exercise in registry.exercises()]


def copy_solutions(folder: Path) -> Path:
    """A submission holding every reference module (full marks)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in SOLUTIONS.glob("*.py"):
        if source.name != "__init__.py":
            shutil.copy(source, folder / source.name)
    return folder


def with_function(folder: Path, module: str, source: str) -> Path:
    """Replace one top-level function (or class) of `module` by `source`, in place.

    `source` holds the new definition last, after any helpers it needs; the last
    definition's name says which definition of the module it replaces.
    """
    path = folder / f"{module}.py"
    text = path.read_text()
    new = textwrap.dedent(source).strip("\n") + "\n"
    name = _defined_name(new)
    lines = text.splitlines(keepends=True)
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
            lines[start:node.end_lineno] = [new]
            path.write_text("".join(lines))
            return folder
    raise ValueError(f"{module}.py defines no {name}")


def mistake(tmp_path: Path, module: str, source: str) -> Path:
    """The solutions with one definition of `module` replaced by a mistaken `source`."""
    return with_function(copy_solutions(tmp_path / "submission"), module, source)


def messages(report, function: str | None = None) -> str:
    """Every failure message of a report (of one function), joined for `in` checks."""
    return "\n".join(t.message for t in report.tests
                     if t.status == "failed" and function in (None, t.function))


def graded(tmp_path: Path, module: str, source: str, only: str, *, device: str = "cpu",
           lang: str = "en"):
    """Grade the solutions with one mistaken definition of `module`, for `only`."""
    from autograder.api import grade

    return grade(mistake(tmp_path, module, source), only=only, device=device, lang=lang)


def failures(report) -> dict[str, str]:
    """The failed checks of a report (test function -> message)."""
    return {t.check: t.message for t in report.tests if t.status == "failed"}


def assert_full_marks(report) -> None:
    assert report.max_score > 0
    assert report.score == report.max_score, messages(report)


def in_terminal(command: list[str], *, env: dict[str, str],
                cwd: Path | None = None) -> tuple[int, str]:
    """Run `command` with a pseudo-terminal as its stdout and stderr: its exit code and
    what the terminal got."""
    import os
    import select
    import subprocess
    import time

    main, terminal = os.openpty()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=terminal, stderr=terminal)
    os.close(terminal)
    received = bytearray()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if select.select([main], [], [], 1.0)[0]:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                break
            if not chunk:
                break
            received += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    return process.wait(timeout=60), received.decode("utf-8")


class HtmlPage(HTMLParser):
    """A page parsed as a reader's browser would: its tags in order, with the elements
    open around each one (`opened`) and around each text (`handle_data` sees `stack`)."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "wbr",
            "source"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)
        self.close()

    @property
    def ids(self) -> set[str]:
        return {attributes["id"] for _, attributes in self.tags if "id" in attributes}

    def opened(self, tag: str, attributes: dict[str, str]) -> None:
        """A subclass's look at each element, with `stack` still the elements around it."""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        self.opened(tag, attributes)
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if Path("/usr/bin/chromium").exists() else None)


def screenshot_colours(page: Path, folder: Path) -> list[tuple[int, tuple[int, int, int]]]:
    """Render `page` in headless Chromium (1200x3000) and return the screenshot's colours,
    as Pillow's getcolors gives them: (count, (r, g, b))."""
    import subprocess

    from PIL import Image  # Pillow comes with matplotlib, the `report` extra

    screenshot = folder / f"{page.stem}.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={folder / 'profile'}", f"--screenshot={screenshot}",
         "--window-size=1200,3000", page.as_uri()],
        capture_output=True, timeout=180, check=True)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(screenshot).convert("RGB")
    assert image.size == (1200, 3000)
    return image.getcolors(maxcolors=1_000_000)


def _defined_name(source: str) -> str:
    node = ast.parse(source).body[-1]
    if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        raise ValueError("source must end with a function or class definition")
    return node.name

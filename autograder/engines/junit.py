"""JUnit XML of a grading run, which CI systems show test by test (GitHub Actions' test
reporters, GitLab's test reports): one testcase per test and device, the diagnosis as the
failure's message, a device that did not run as skipped with its reason."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from autograder.messages import render

if TYPE_CHECKING:
    from autograder.report import Report, TestResult

# What XML 1.0 cannot hold at all, even escaped (report.printable already shows the
# control characters as escapes; this is what is left: lone surrogates, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def to_junit(report: Report) -> str:
    """The report as a JUnit XML document: a testsuite per exercise module."""
    suites = ElementTree.Element("testsuites", name="d2l-autograder",
                                 time=f"{report.execution_time:.3f}")
    by_module: dict[str, list[TestResult]] = defaultdict(list)
    for test in report.tests:
        by_module[test.module].append(test)
    for module, tests in by_module.items():
        suite = ElementTree.SubElement(suites, "testsuite", name=module)
        for test in tests:
            _testcase(suite, test, report.lang)
        _count(suite, tests)
    _count(suites, report.tests)
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(report: Report, path: str | Path) -> None:
    Path(path).write_text(to_junit(report), encoding="utf-8")


def _testcase(suite: ElementTree.Element, test: TestResult, lang: str) -> None:
    case = ElementTree.SubElement(suite, "testcase", classname=f"{test.module}.{test.function}",
                                  name=_xml(f"[{test.device}] {test.name}"))
    if test.status == "failed":
        details = test.message
        if test.output:
            details += f"\n\n{render('report.output', lang)}\n{test.output}"
        failure = ElementTree.SubElement(case, "failure", message=_xml(test.message),
                                         type="failed")
        failure.text = _xml(details)
    elif test.status == "skipped":
        ElementTree.SubElement(case, "skipped", message=_xml(test.message))


def _count(element: ElementTree.Element, tests: list[TestResult]) -> None:
    element.set("tests", str(len(tests)))
    element.set("failures", str(sum(t.status == "failed" for t in tests)))
    element.set("errors", "0")
    element.set("skipped", str(sum(t.status == "skipped" for t in tests)))


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)

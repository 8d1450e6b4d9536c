"""The pytest plugin that runs the hidden suites: devices, the `student` fixture, results.

It lives in the grading process only. Each test is parametrised over the devices it
supports; its outcome, the diagnosis of a failure and what the student's code printed
become a TestResult.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import pytest

from autograder.checks import Session, Student
from autograder.hints import render_hint
from autograder.messages import Diagnosis, render
from autograder.report import TestResult

NUMERIC_DEVICES = ("cpu", "cuda")
# Where a test that a result stays on its input's device runs: on the GPU where there is
# one, else on a GPU simulated on the CPU (autograder.placement), whose tensors have their
# values and say they are on cuda:0.
PLACEMENT_DEVICES = ("cuda", "placement")


def grades(function: str, *, points: float, public: bool = False,
           devices: tuple[str, ...] = NUMERIC_DEVICES,
           collaborators: tuple[str, ...] = ()) -> pytest.MarkDecorator:
    """Mark a test as grading `function`, worth `points` shared by the devices it runs on.

    `collaborators`: the module's functions whose book version the test runs the
    student's code with (Student.run(..., book=...)), so that one bug costs one function.
    The test runs after every test of those functions (book_phases): their book code
    reaches the worker only once nothing more grades them."""
    return pytest.mark.grades(function=function, points=points, public=public,
                              devices=devices, collaborators=tuple(collaborators))


def book_phases(tests: Sequence[tuple[str, Sequence[str]]]) -> list[int]:
    """The phase of each test (function, collaborators) of one module: 0 for a test that
    uses no book code, else one more than the last phase of every collaborator's tests.
    Tests run phase by phase, so that the book's code of a function never reaches a
    worker before every test of that function has run. Raises ValueError where the
    collaborators go round in a circle."""
    last: dict[str, int] = {}  # function -> the highest phase of its tests
    phases = [0] * len(tests)
    for _ in range(len(tests) + 1):
        changed = False
        for i, (function, collaborators) in enumerate(tests):
            if collaborators:
                phases[i] = 1 + max(last.get(c, 0) for c in collaborators)
            if phases[i] > last.get(function, 0):
                last[function] = phases[i]
                changed = True
        if not changed:
            return phases
    raise ValueError("collaborators that depend on each other: "
                     + ", ".join(sorted({f for (f, c) in tests if c})))


# pytest's own plugins that grading has no use for; unraisableexception alone costs
# a fifth of a second in garbage collection at the end of the session. The suites use no
# fixture but the plugin's own, and print nothing: capturing output around each of a
# submission's hundred tests was a fifteenth of the grading process's time.
_UNNEEDED_PLUGINS = ("cacheprovider", "warnings", "terminal", "stepwise", "unraisableexception",
                     "threadexception", "faulthandler", "junitxml", "doctest", "pastebin",
                     "legacypath", "logging", "setuponly", "setupplan", "debugging", "nose",
                     "tmpdir", "monkeypatch", "recwarn", "unittest", "capture", "freeze_support",
                     "python_path")


SETTINGS = Path(__file__).with_name("suites.ini")


def run_suites(plugin: object, *extra_args: str,
               modules: Sequence[str] | None = None) -> pytest.ExitCode | int:
    """Run pytest over the hidden suites of `modules` (all registered ones by default)
    with `plugin`: their own settings, no conftest, no third-party plugin, nothing
    printed. A suite that cannot be collected costs its own module only."""
    suites = _suite_files(modules)
    if not suites:
        return pytest.ExitCode.NO_TESTS_COLLECTED
    with _quiet() as printed:
        code = pytest.main([*suites, *_arguments(_root(suites), extra_args)],
                           plugins=[plugin, _UnformattedFailures()])
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        sys.stderr.write(printed.getvalue())  # pytest's own account of what went wrong
    return code


def _suite_files(modules: Sequence[str] | None) -> list[str]:
    """The suites of `modules` (all registered ones for None), in the order of their file
    names, as pytest collects a folder (the report shows the course's order): what one
    module leaves in the private /tmp meets the same modules after it on every run.

    Each suite is imported as test_<module> (its folder holds no __init__.py); one of that
    name from another folder (a pack graded before, in this process) is forgotten."""
    from autograder import registry

    chosen = registry.names() if modules is None else modules
    suites = sorted((str(registry.exercise(m).suite) for m in chosen), key=os.path.basename)
    for suite in suites:
        loaded = sys.modules.get(Path(suite).stem)
        if loaded is not None and getattr(loaded, "__file__", None) != suite:
            del sys.modules[Path(suite).stem]
    return suites


def _root(suites: Sequence[str]) -> str:
    """The suites' common folder, pytest's root: each suite's node id is then its path
    below it, which ends in its module's name (module_of), wherever a pack lies."""
    return os.path.commonpath([os.path.dirname(suite) for suite in suites])


def _arguments(root: str, extra_args: Sequence[str] = ()) -> list[str]:
    args = ["-c", str(SETTINGS), "--rootdir", root, "--noconftest", "--assert=plain",
            "--continue-on-collection-errors", *extra_args]
    for unneeded in _UNNEEDED_PLUGINS:
        args += ["-p", f"no:{unneeded}"]
    return args


@contextlib.contextmanager
def _own_plugins_only() -> Iterator[None]:
    """pytest loads no plugin of the environment's (pytest-xdist, say) meanwhile."""
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved


@contextlib.contextmanager
def _quiet() -> Iterator[io.StringIO]:
    """No plugin of the environment's, and what is printed (a warning of the grading
    side, not the report's) kept in the StringIO yielded."""
    printed = io.StringIO()
    with _own_plugins_only(), contextlib.redirect_stdout(printed), \
            contextlib.redirect_stderr(printed):
        yield printed


class SuiteSession:
    """One pytest session for the submissions that a process grades one after another
    with the same settings (a class run's grading process): the suites are collected at
    the first submission, and every later one runs the same tests again. Starting pytest,
    collecting, and freeing what they built took a sixth of the grading process's CPU
    time for a student (without pictures).

    serve(body) runs body() inside the session; a grading in it passes the session to
    autograder.api.grade(suites=...). A grading with other settings or modules, or one
    outside serve(), runs a pytest session of its own, as without one.
    """

    def __init__(self) -> None:
        self._session: pytest.Session | None = None
        self._plugin: GradingPlugin | None = None
        self._key: tuple[Any, ...] | None = None
        self.collections = 0  # how often the suites were collected in the session

    def serve(self, body: Callable[[], None]) -> None:
        """Run body() in a pytest session whose root holds every registered suite; what
        body() raises is raised here."""
        raised: list[BaseException] = []

        class _Serving:
            @pytest.hookimpl(tryfirst=True)
            def pytest_collection(serving, session: pytest.Session) -> bool:
                return True  # at the first submission, with its settings (run)

            @pytest.hookimpl(tryfirst=True)
            def pytest_runtestloop(serving, session: pytest.Session) -> bool:
                self._session = session
                try:
                    body()
                except BaseException as error:  # noqa: BLE001 - raised again below
                    raised.append(error)
                finally:
                    self._session = None
                return True

        suites = _suite_files(None)
        with _own_plugins_only():  # what body() prints still goes where it went
            code = pytest.main(_arguments(_root(suites) if suites else os.getcwd()),
                               plugins=[_Serving(), _UnformattedFailures()])
        if raised:
            raise raised[0]
        if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
            raise RuntimeError(f"the hidden suites' session could not start (pytest exit "
                               f"code {code})")

    def run(self, session: Session, *, modules: Sequence[str] | None, pictures: bool,
            **settings: Any) -> tuple[GradingPlugin, pytest.ExitCode | int]:
        """Grade one submission (`session`) on the suites of `modules` (all registered
        ones for None) with GradingPlugin's `settings`: its plugin, holding the results,
        and pytest's exit code."""
        from autograder import registry

        modules = registry.names() if modules is None else modules
        key = (tuple(modules), tuple(sorted((k, repr(v)) for k, v in settings.items())))
        if self._session is None or self._key not in (None, key):
            plugin = GradingPlugin(session, pictures=pictures, **settings)
            return plugin, run_suites(plugin, modules=modules)
        if self._plugin is None:  # the first submission: the suites are collected now
            suites = _suite_files(modules)
            if not suites:
                return GradingPlugin(session, pictures=pictures, **settings), \
                    pytest.ExitCode.NO_TESTS_COLLECTED
            self._collect(GradingPlugin(session, pictures=pictures, **settings), suites)
            self._key = key
        else:
            self._plugin.begin(session, pictures=pictures)
        items = self._session.items
        try:
            with _quiet():
                for at, item in enumerate(items):
                    nextitem = items[at + 1] if at + 1 < len(items) else None
                    item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        except BaseException:
            # Tests may be left set up: the submissions after this one are graded each
            # in a session of its own.
            self._key = ("no longer used",)
            raise
        code = pytest.ExitCode.OK if items else pytest.ExitCode.NO_TESTS_COLLECTED
        return self._plugin, code

    def _collect(self, plugin: GradingPlugin, suites: list[str]) -> None:
        """Collect `suites` into the session with `plugin`, which grades from now on."""
        manager = self._session.config.pluginmanager
        manager.register(plugin)
        try:
            with _quiet():
                self._session.perform_collect(suites)
        except Exception as error:  # pytest's own failure: this submission's error
            manager.unregister(plugin)
            raise RuntimeError(f"the hidden suites could not be collected: "
                               f"{type(error).__name__}: {error}") from None
        self._plugin = plugin
        self.collections += 1


class _UnformattedFailures:
    """A failed test's report without the traceback pytest would format for it.

    The diagnosis is the grader's message; formatting the traceback parses the suite's
    source again for every frame, most of 50 ms a failure, which a student who hands in
    the stubs pays some fifty times.
    """

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo) -> pytest.TestReport | None:
        if call.excinfo is None or call.excinfo.errisinstance(pytest.skip.Exception):
            return None  # passed or skipped: pytest's own report
        return pytest.TestReport(item.nodeid, item.location, dict.fromkeys(item.keywords, 1),
                                 "failed", str(call.excinfo.value), call.when, [],
                                 call.duration, call.start, call.stop)


def module_of(path: str | os.PathLike) -> str:
    """The exercise module a suite grades: test_linear_regression.py -> linear_regression."""
    return os.path.basename(os.fspath(path)).removeprefix("test_").removesuffix(".py")


class GradingPlugin:
    def __init__(self, session: Session, *, devices: list[str], cuda_available: bool,
                 only: str | None = None, public_only: bool = False, lang: str = "en",
                 pictures: bool = False, hints: str = "full"):
        """`pictures`: also collect what the feedback page draws, module by module while
        each module's worker still serves, into `self.pictures` (autograder.feedback).
        `hints`: how much a diagnosis says (autograder.hints)."""
        self.devices = devices
        self.cuda_available = cuda_available
        self.only = only
        self.public_only = public_only
        self.lang = lang
        self.hints = hints
        # What collection finds, the same for every submission graded with these settings.
        self.collection_errors: list[str] = []  # a broken suite: the grader's fault
        self._broken: dict[str, str] = {}  # module: the first line of why its suite broke
        self.position: dict[str, int] = {}  # nodeid -> its place in the suites' order
        self._unrun: list[TestResult] = []  # tests that cannot run here (CUDA without a GPU)
        self._unrun_places: list[tuple[int, TestResult]] = []  # and their places
        self.begin(session, pictures=pictures)

    def begin(self, session: Session, *, pictures: bool) -> None:
        """Start grading a submission: its session, and no result yet but those of the
        tests that cannot run here. A SuiteSession calls it for each submission."""
        self.session = session
        self._output: list[str] = []
        session.output_sink = self._output.append
        self._seat_unrun()
        self.pictures: Any = None
        if pictures:
            from autograder.feedback.data import Pictures

            self.pictures = Pictures()

    def _seat_unrun(self) -> None:
        """No result yet but fresh copies of those of the tests that cannot run here, in
        their places (self._places: the position of each of self.results, ascending)."""
        self._places = [place for place, _ in self._unrun_places]
        self.results: list[TestResult] = [dataclasses.replace(result)
                                          for _, result in self._unrun_places]

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "grades(function, points, public, devices): "
                                "what a test grades and what it is worth")

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        marker = metafunc.definition.get_closest_marker("grades")
        if marker is None or "device" not in metafunc.fixturenames:
            return
        params = []
        for device in marker.kwargs["devices"]:
            if device not in self.devices:
                continue
            if device == "cuda" and not self.cuda_available:
                # Its verdict is known without running it: it is reported as skipped and
                # never becomes a pytest item, whose collection and run protocol were a
                # sixth of the grading process's time (half the tests are CUDA's).
                self._unrun.append(self._skipped(metafunc, marker, device))
            else:
                params.append(device)
        if params:  # a test with no selected device is deselected for want of one
            metafunc.parametrize("device", params)

    def _skipped(self, metafunc: pytest.Metafunc, marker: pytest.Mark,
                 device: str) -> TestResult:
        """The result of a test that cannot run on `device` here (no GPU)."""
        module = module_of(metafunc.definition.path)
        return TestResult(
            name=self._test_name(metafunc.definition.originalname, metafunc.function, module),
            module=module, function=marker.kwargs["function"], device=device,
            check=metafunc.definition.originalname, points=float(marker.kwargs["points"]),
            visibility="public" if marker.kwargs["public"] else "hidden",
            status="skipped", message=render("skipped_no_cuda", self.lang))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and report.nodeid.endswith(".py"):
            self.collection_errors.append(f"{report.nodeid}: {report.longreprtext}")
            lines = [line for line in report.longreprtext.splitlines()
                     if line.startswith("E ") or "Error" in line]
            self._broken[module_of(report.nodeid)] = (lines[-1].removeprefix("E").strip()
                                                      if lines else "")

    def broken_suites(self, lang: str) -> list[str]:
        """One line for each suite that could not be collected: its module is not graded."""
        from autograder import registry

        return [render("exercise.pack.suite", lang, error=error,
                       file=registry.exercise(module).pack.label(registry.exercise(module).suite))
                for module, error in self._broken.items()]

    def pytest_collection_modifyitems(self, config: pytest.Config,
                                      items: list[pytest.Item]) -> None:
        selected, deselected = [], []
        for item in items:
            (selected if self._wanted(item) else deselected).append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        # Module by module, in the suites' order, so that one worker serves a module on
        # every device but CUDA (see pool.lane_of); within a module the CPU tests come
        # first, while a CUDA worker warms up (WorkerPool.warm).
        # A test that uses the book's code of other functions comes after every test
        # of those (book_phases); the report keeps the suite's order (self.position).
        order = {"cpu": 0, "cuda": 1, "placement": 2}
        by_module: dict[str, list[pytest.Item]] = {}
        for item in selected:
            by_module.setdefault(module_of(item.path), []).append(item)
        phase = {}
        for module, tests in by_module.items():
            marks = [item.get_closest_marker("grades").kwargs for item in tests]
            try:
                phases = book_phases([(m["function"], m.get("collaborators", ()))
                                      for m in marks])
            except ValueError as error:  # the suite's own fault: none of it is graded
                self._broken[module] = str(error)
                config.hook.pytest_deselected(items=tests)
                phases = [-1] * len(tests)
            phase.update({item.nodeid: p for item, p in zip(tests, phases)})
        selected = [item for item in selected if phase[item.nodeid] >= 0]
        # The tests that cannot run here take their places in the report now.
        unrun = [result for result in self._unrun if result.module not in self._broken
                 and self._wanted_test(result.module, result.function, result.visibility)]
        modules = dict.fromkeys([*by_module, *(result.module for result in unrun)])
        rank = {module: i for i, module in enumerate(modules)}

        def report_key(entry: pytest.Item | TestResult) -> tuple[int, int]:
            if isinstance(entry, TestResult):
                return rank[entry.module], order[entry.device]
            return rank[module_of(entry.path)], order[entry.callspec.params["device"]]

        for place, entry in enumerate(sorted([*selected, *unrun], key=report_key)):
            if isinstance(entry, TestResult):
                self._unrun_places.append((place, entry))
            else:
                self.position[entry.nodeid] = place
        self._seat_unrun()
        selected.sort(key=lambda item: (rank[module_of(item.path)], phase[item.nodeid],
                                        order[item.callspec.params["device"]]))
        items[:] = selected

    def _wanted(self, item: pytest.Item) -> bool:
        marker = item.get_closest_marker("grades")
        callspec = getattr(item, "callspec", None)
        if marker is None or callspec is None or "device" not in callspec.params:
            return False  # not a graded test, or no selected device applies to it
        return self._wanted_test(module_of(item.path), marker.kwargs["function"],
                                 "public" if marker.kwargs["public"] else "hidden")

    def _wanted_test(self, module: str, function: str, visibility: str) -> bool:
        if self.public_only and visibility != "public":
            return False
        if self.only:
            return self.only in (module, function, f"{module}.{function}")
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool:
        """A test's setup, call and teardown through pytest's hooks, as pytest's own
        protocol runs them. That protocol also makes a report of every phase and passes
        it to the log hooks, which here nobody reads: some 40 ms a student, a sixth of
        pytest's own time. Here a phase that passed is only recorded, and a phase that
        raised (or any phase of a test marked xfail, whose outcome pytest's skipping
        plugin decides) is reported as pytest reports it."""
        ihook = item.ihook
        plain = item.get_closest_marker("xfail") is None
        # A test run again, for another submission (SuiteSession): a fresh request for
        # its fixtures, and none of the notes of its last run. Afterwards, as in pytest's
        # protocol, no fixture value is kept.
        requests = hasattr(item, "_request")
        if requests and not item._request:
            item._initrequest()
        item.user_properties.clear()
        if self._phase(item, "setup", lambda: ihook.pytest_runtest_setup(item=item), plain):
            self._phase(item, "call", lambda: ihook.pytest_runtest_call(item=item), plain)
        if item.session.shouldfail or item.session.shouldstop:
            nextitem = None  # as pytest's protocol: everything is torn down
        self._phase(item, "teardown",
                    lambda: ihook.pytest_runtest_teardown(item=item, nextitem=nextitem), plain)
        if requests:
            item._request = False
            item.funcargs = None
        module = module_of(item.path)
        if self.pictures is not None and (nextitem is None
                                          or module_of(nextitem.path) != module):
            self._draw(module)  # the module's last test: its worker is still there
        return True

    def _phase(self, item: pytest.Item, when: Literal["setup", "call", "teardown"],
               run: Callable[[], object], plain: bool) -> bool:
        """Run one phase of a test; whether it passed."""
        call = pytest.CallInfo.from_call(run, when=when,
                                         reraise=(pytest.exit.Exception, KeyboardInterrupt))
        if call.excinfo is None and plain:
            if when == "call":
                self._record(item, self._result(item, "passed"))
            return True
        report = item.ihook.pytest_runtest_makereport(item=item, call=call)
        item.ihook.pytest_runtest_logreport(report=report)  # counts failures, as pytest
        return report.passed

    def _draw(self, module: str) -> None:
        from autograder.feedback.data import collect

        failed = {t.function for t in self.results
                  if t.module == module and t.status == "failed"}
        sink = self.session.output_sink
        self.session.book_allowed = None  # every test of the module has run
        try:
            drawn = collect(self.session, [module], failed=failed)
        finally:
            self.session.output_sink = sink
            self.session.book_allowed = frozenset()
        self.pictures.sections.update(drawn.sections)

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> Student:
        """The submission's module that this suite grades; every call runs in the worker."""
        return Student(self.session, module_of(request.node.path))

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self._output.clear()
        marker = item.get_closest_marker("grades")
        self.session.book_allowed = frozenset(marker.kwargs.get("collaborators", ())
                                              if marker is not None else ())

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        outcome = yield
        report = outcome.get_result()
        finished = report.when == "call" or (report.when == "setup" and not report.passed)
        if finished:
            if report.skipped:
                result = self._result(item, "skipped", _skip_reason(report))
            elif report.passed:
                result = self._result(item, "passed")
            else:
                result = self._result(item, "failed", *self._explain(call))
            self._record(item, result)

    def _record(self, item: pytest.Item, result: TestResult) -> None:
        """Add a test's result in the order of the suites, whatever the order the book
        phases ran in."""
        place = self.position.get(item.nodeid, len(self.position))
        at = bisect.bisect(self._places, place)
        self._places.insert(at, place)
        self.results.insert(at, result)

    def _result(self, item: pytest.Item, status: str, message: str = "",
                diagnosis: str = "") -> TestResult:
        marker = item.get_closest_marker("grades")
        device = item.callspec.params["device"]
        module = module_of(item.path)
        return TestResult(
            name=self._test_name(item.originalname, getattr(item, "function", None), module),
            module=module,
            function=marker.kwargs["function"],
            device=device,
            check=item.originalname,
            points=float(marker.kwargs["points"]),
            visibility="public" if marker.kwargs["public"] else "hidden",
            status=status,
            message=message,
            output="".join(self._output).strip(),
            diagnosis=diagnosis,
            notes=[render(key, self.lang, **params) for name, (key, params)
                   in item.user_properties if name == "note"],
        )

    def _test_name(self, check: str, function: Any, module: str) -> str:
        """The test's name in the reader's language: its unit's message, else (a message
        missing, which the registry names in a line) its docstring's first line."""
        from autograder.messages import CATALOGUE

        entry = CATALOGUE.get(f"test.{module}.{check}", {})
        if entry.get(self.lang):
            return render(f"test.{module}.{check}", self.lang)
        doc = (getattr(function, "__doc__", None) or check).strip()
        return doc.splitlines()[0] if doc else check

    def _explain(self, call: pytest.CallInfo) -> tuple[str, str]:
        """A failure's message and the catalogue key it was rendered from."""
        error = call.excinfo.value if call.excinfo else None
        if isinstance(error, Diagnosis):
            return render_hint(error, self.lang, self.hints), error.key
        return render("grader_error", self.lang, error=f"{type(error).__name__}: {error}"
                      if error else "unknown"), "grader_error"


def _skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return str(report.longrepr or "")

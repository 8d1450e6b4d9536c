"""The feedback page (grade --html): one self-contained HTML file with the student's pictures.

What is plotted is read back from the page itself: every line, bar and cell a picture
draws has an id, and the same data gives the same SVG path, so the student's curve of a
correct function is the book's path exactly and a wrong one is not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from autograder import registry
from autograder.api import grade
from autograder.feedback import page_html, write_html
from autograder.messages import CATALOGUE, render
from tests.helpers import (
    CHROMIUM,
    ROOT,
    SOLUTIONS,
    HtmlPage,
    copy_solutions,
    mistake,
    screenshot_colours,
    with_function,
)

activations_pictures = registry.exercise("activations").pictures

PLOTS = {
    "linear_regression.train_epoch",
    "softmax_regression.softmax.small",
    "softmax_regression.softmax.large",
    "activations.relu",
    "activations.sigmoid",
    "activations.tanh",
    "language_model.data_iter_random",
    "language_model.data_iter_consecutive",
    "rnn_scratch.training",
    "rnn_scratch.grad_clipping",
    "house_prices.get_k_fold_data",
    "overfitting.l2_penalty",
    "overfitting.dropout",
    "gated_rnn.gru",
    "gated_rnn.lstm",
    "attention.masked_softmax",
    "optimizers.sgd_momentum",
    "optimizers.adagrad",
    "optimizers.rmsprop",
    "optimizers.adadelta",
    "optimizers.adam",
    "cnn.corr2d",
    "cnn.pool2d",
    "batch_normalization.batch_norm",
    "batch_normalization.BatchNorm",
}


class Page(HtmlPage):
    """What a page holds: its elements' ids, the SVG paths under each id, texts by tag."""

    def __init__(self, text: str):
        self.paths: dict[str, list[str]] = defaultdict(list)  # id -> d of the paths under it
        self.figures: dict[str, set[str]] = defaultdict(set)  # data-plot -> ids inside
        self.texts: dict[str, list[str]] = defaultdict(list)  # tag -> its texts
        self.classes: dict[str, list[str]] = defaultdict(list)  # class -> its texts
        super().__init__(text)

    def opened(self, tag: str, attributes: dict[str, str]) -> None:
        for _, outer in self.stack:
            if "data-plot" in outer and "id" in attributes:
                self.figures[outer["data-plot"]].add(attributes["id"])
            if tag == "path" and "id" in outer:
                self.paths[outer["id"]].append(attributes.get("d", ""))
        if tag == "path" and "id" in attributes:
            self.paths[attributes["id"]].append(attributes.get("d", ""))

    def handle_data(self, data: str) -> None:
        if self.stack:
            tag, attributes = self.stack[-1]
            self.texts[tag].append(data)
            for name in attributes.get("class", "").split():
                self.classes[name].append(data)

    def plot_ids(self, plot: str) -> set[str]:
        return self.figures.get(plot, set())

    def path(self, element_id: str) -> str:
        paths = self.paths.get(element_id)
        assert paths, f"nothing drawn under {element_id}"
        return " ".join(paths)


def graded_page(folder: Path, *, lang: str = "en", **options) -> tuple[object, str]:
    report = grade(folder, device="cpu", lang=lang, pictures=True, **options)
    return report, page_html(report, report.pictures)


@pytest.fixture(scope="module")
def solutions_page(tmp_path_factory):
    return graded_page(copy_solutions(tmp_path_factory.mktemp("solutions")))


def test_a_complete_submission_has_every_plot_and_draws_the_books_curves(solutions_page):
    report, text = solutions_page
    page = Page(text)
    assert set(page.figures) == PLOTS
    assert not page.classes["problem"], page.classes["problem"]
    for function in ("relu", "sigmoid", "tanh"):
        for kind in ("value", "grad"):
            prefix = f"activations-{function}"
            # The same data, the same path: the student's curve lies on the book's.
            assert page.path(f"{prefix}-yours-{kind}") == page.path(f"{prefix}-book-{kind}")
    ids = page.plot_ids("linear_regression.train_epoch")
    assert {"linear-regression-train-epoch-yours-loss",
            "linear-regression-train-epoch-book-loss"} <= ids
    panel = _panel(report, "linear_regression.train_epoch")
    assert panel.yours["loss"][-1] < 1e-3 and panel.book["loss"][-1] < 1e-3
    for kind, rows in (("small", 3), ("large", 2)):
        prefix = f"softmax-regression-softmax-{kind}"
        for row in range(rows):
            assert page.path(f"{prefix}-yours-row{row}-class0")
            assert f"{prefix}-yours-row{row}-nonfinite" not in page.plot_ids(
                f"softmax_regression.softmax.{kind}")
    for sampler in ("data-iter-random", "data-iter-consecutive"):
        # The first row of the first minibatch: six tokens of X, six of Y.
        cells = page.plot_ids(f"language_model.{sampler.replace('-', '_')}")
        mine = [i.removeprefix(f"{sampler}-yours-b0-r0-") for i in cells
                if i.startswith(f"{sampler}-yours-b0-r0-")]
        assert sum(i.startswith("x") for i in mine) == 6
        assert sum(i.startswith("y") for i in mine) == 6


def test_the_samplers_windows_are_drawn_where_the_student_put_them(solutions_page):
    page = Page(solutions_page[1])
    consecutive = page.plot_ids("language_model.data_iter_consecutive")
    # Row i of the second minibatch continues row i of the first: X covers 0..5, then 6..11.
    assert {f"data-iter-consecutive-yours-b0-r0-x{t}" for t in range(6)} <= consecutive
    assert {f"data-iter-consecutive-yours-b1-r0-x{t}" for t in range(6, 12)} <= consecutive


def test_overlapping_windows_are_framed_in_red(tmp_path, solutions_page):
    report, text = graded_page(mistake(tmp_path, "language_model", """
        def data_iter_random(corpus_indices, batch_size, num_steps, device=None):
            starts = list(range(0, len(corpus_indices) - num_steps - 1, 2))  # step 2, not 6
            random.shuffle(starts)
            for i in range(0, len(starts), batch_size):
                rows = starts[i:i + batch_size]
                yield (torch.tensor([corpus_indices[s:s + num_steps] for s in rows]),
                       torch.tensor([corpus_indices[s + 1:s + num_steps + 1] for s in rows]))
        """), only="language_model")
    page = Page(text)
    framed = [i for i in page.plot_ids("language_model.data_iter_random")
              if re.search(r"-b\d-r\d-o\d+$", i)]
    assert framed and all(i.startswith("data-iter-random-yours-") for i in framed)
    assert render("feedback.samplers.overlap", "en", function="data_iter_random") in \
        page.classes["note"]
    for plot in ("language_model.data_iter_consecutive", "language_model.data_iter_random"):
        assert not [i for i in Page(solutions_page[1]).plot_ids(plot)
                    if re.search(r"-o\d+$", i)]


def test_a_wrong_tanh_changes_its_curve_and_only_its_curve(tmp_path, solutions_page):
    _, text = graded_page(mistake(tmp_path, "activations", """
        def tanh(X):
            E = torch.exp(-X)
            return (1 - E) / (1 + E)
        """), only="activations")
    wrong, right = Page(text), Page(solutions_page[1])
    for kind in ("value", "grad"):
        assert wrong.path(f"activations-tanh-yours-{kind}") != \
            wrong.path(f"activations-tanh-book-{kind}")
        assert wrong.path(f"activations-tanh-yours-{kind}") != \
            right.path(f"activations-tanh-yours-{kind}")
        assert wrong.path(f"activations-relu-yours-{kind}") == \
            right.path(f"activations-relu-yours-{kind}")
    assert set(wrong.figures) == {"activations.relu", "activations.sigmoid", "activations.tanh"}


def test_a_train_epoch_that_never_zeroes_the_gradients_does_not_learn(tmp_path, solutions_page):
    report, text = graded_page(mistake(tmp_path, "linear_regression", """
        def train_epoch(net, loss, updater, data, params, lr, batch_size):
            for X, y in data:
                loss(net(X, *params), y).sum().backward()
                updater(params, lr, batch_size)
        """), only="linear_regression")
    page, right = Page(text), Page(solutions_page[1])
    curve = "linear-regression-train-epoch-yours-loss"
    assert page.path(curve) != right.path(curve)
    panel = _panel(report, "linear_regression.train_epoch")
    assert panel.yours["trusted"] == []  # its collaborators are all the student's own
    assert min(panel.yours["loss"][-100:]) > 100 * max(panel.book["loss"][-100:])


def test_a_failed_collaborator_is_replaced_by_the_books_so_the_curve_shows_the_loop(tmp_path):
    report, text = graded_page(mistake(tmp_path, "linear_regression", """
        def sgd(params, lr, batch_size):
            with torch.no_grad():
                for param in params:
                    param -= lr * param.grad
        """), only="linear_regression")
    panel = _panel(report, "linear_regression.train_epoch")
    assert panel.yours["trusted"] == ["sgd"]
    assert panel.yours["loss"][-1] < 1e-3  # the student's train_epoch is right: it learns
    assert render("feedback.linear_regression.trusted", "en", functions="sgd") in \
        Page(text).classes["note"]


def test_nan_and_inf_are_marked_where_they_are(tmp_path):
    report, text = graded_page(mistake(tmp_path, "softmax_regression", """
        def softmax(X):
            X_exp = torch.exp(X)
            return X_exp / X_exp.sum(dim=1, keepdim=True)
        """), only="softmax")
    page = Page(text)
    large = page.plot_ids("softmax_regression.softmax.large")
    assert {"softmax-regression-softmax-large-yours-row0-nonfinite",
            "softmax-regression-softmax-large-yours-row1-nonfinite"} <= large
    assert not any("nonfinite" in i for i in page.plot_ids("softmax_regression.softmax.small"))
    note = render("feedback.nonfinite", "en", function="softmax", count=10, total=10)
    assert note in page.classes["note"]


def test_the_page_is_written_when_everything_fails(tmp_path):
    stubs = tmp_path / "stubs"
    shutil.copytree(ROOT / "assignments", stubs, ignore=shutil.ignore_patterns("test_*"))
    report, text = graded_page(stubs)
    page = Page(text)
    assert set(page.figures) == PLOTS
    problems = page.classes["problem"]
    assert len(problems) >= len(PLOTS)  # each figure says why it has no curve of its own
    assert render("not_implemented", "en", function="tanh") in problems
    # The book's curves are still drawn, for the student to aim at.
    assert page.path("activations-tanh-book-value")


def test_a_function_that_loops_or_is_missing_gets_a_panel_that_says_so(tmp_path):
    folder = mistake(tmp_path, "activations", """
        def tanh(X):
            while True:
                pass
        """)
    (folder / "language_model.py").unlink()
    report, text = graded_page(folder, only="tanh", timeout=1.0)
    problems = Page(text).classes["problem"]
    assert render("timeout", "en", function="tanh", seconds=1.0) in problems
    report, text = graded_page(folder, only="language_model")
    problems = Page(text).classes["problem"]
    assert problems == [render("missing_module", "en", file="language_model.py")] * 2
    source = (SOLUTIONS / "language_model.py").read_text()
    (folder / "language_model.py").write_text(
        source.replace("def data_iter_consecutive(", "def data_iter_sequential("))
    report, text = graded_page(folder, only="language_model")
    problems = Page(text).classes["problem"]
    assert problems == [render("missing_function", "en", file="language_model.py",
                               function="data_iter_consecutive")]


def test_student_text_is_escaped_and_control_characters_are_shown(tmp_path):
    folder = with_function(copy_solutions(tmp_path / "submission"), "activations", r"""
        def relu(X):
            print("<script>alert(1)</script> \x1b[31mred\x07 \u202eevil")
            raise ValueError("<b>no</b>")
        """)
    report, text = graded_page(folder, only="relu")
    page = Page(text)
    assert not [tag for tag, _ in page.tags if tag in ("script", "b")]
    printed = "".join(page.texts["pre"])
    assert "<script>alert(1)</script>" in printed  # shown as text, not run
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    # Shown visibly, whether the report or the page escaped them.
    assert all(shown in printed for shown in ("\\x1b", "\\x07", "\\u202e"))
    assert render("raised", "en", function="relu", error_type="ValueError", error="<b>no</b>",
                  where="").split(" (")[0] in "".join(page.classes["problem"])
    details = [tag for tag, _ in page.tags if tag in ("details", "summary")]
    assert details.count("details") >= 1 and details.count("summary") >= 1


def test_the_page_needs_no_script_and_no_network(solutions_page):
    _, text = solutions_page
    page = Page(text)
    assert "script" not in {tag for tag, _ in page.tags}
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "xlink:href", "action", "data"):
                assert value.startswith("#"), (tag, name, value)
    assert "http" not in text and "url(" not in text.replace("url(#", "")


def test_the_pages_own_markup_is_shown_as_markup_not_as_text(solutions_page):
    _, text = solutions_page
    assert not re.findall(r"&lt;/?(?:code|b|i|em|strong|sub|sup)&gt;", text)
    assert "<code>corr2d(X, K)</code>" in text


def test_the_chinese_page_has_the_chinese_headings(tmp_path):
    report, text = graded_page(mistake(tmp_path, "activations", """
        def tanh(X):
            E = torch.exp(-X)
            return (1 - E) / (1 + E)
        """), only="activations", lang="zh")
    page = Page(text)
    headings = page.texts["h1"] + page.texts["h2"] + page.texts["h3"]
    for key in ("feedback.title", "feedback.scores", "feedback.what_to_fix",
                "feedback.pictures", "feedback.activations.heading"):
        assert CATALOGUE[key]["zh"] in headings
        assert CATALOGUE[key]["en"] not in text
    assert "tanh 返回" in "".join(page.classes["message"])
    assert ('html', {"lang": "zh-CN"}) in page.tags


def test_write_html_writes_the_page_grade_collected(tmp_path, solutions_page):
    report, text = solutions_page
    path = tmp_path / "report.html"
    write_html(report, str(path))
    assert path.read_text(encoding="utf-8") == text
    without = grade(SOLUTIONS, device="cpu", only="relu")  # no pictures asked for
    assert render("feedback.no_picture_data", "en") in page_html(without, None)


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_without_matplotlib_the_page_says_how_to_get_the_pictures(tmp_path):
    page = tmp_path / "report.html"
    done = _run(
        "import sys\n"
        "sys.modules['matplotlib'] = None  # import matplotlib raises ImportError\n"
        "from autograder.cli import grade_main\n"
        f"code = grade_main([{str(SOLUTIONS)!r}, '--device', 'cpu', '--only', 'activations',"
        f" '--html', {str(page)!r}])\n"
        "sys.exit(code)\n", tmp_path)
    assert done.returncode == 0, done.stderr
    parsed = Page(page.read_text(encoding="utf-8"))
    assert render("feedback.no_matplotlib", "en") in parsed.classes["note"]
    assert not parsed.figures and "svg" not in {tag for tag, _ in parsed.tags}
    assert "Total:" in "".join(parsed.classes["total"])


def test_grading_without_pictures_does_not_import_matplotlib(tmp_path):
    done = _run(
        "import sys\n"
        "from autograder.api import grade\n"
        f"grade({str(SOLUTIONS)!r}, device='cpu', only='relu')\n"
        "assert 'matplotlib' not in sys.modules\n"
        f"grade({str(SOLUTIONS)!r}, device='cpu', only='relu', pictures=True)\n"
        "assert 'matplotlib' not in sys.modules  # collecting needs no matplotlib\n", tmp_path)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get "
                    "install chromium), so the page could not be rendered in a real browser")
def test_chromium_renders_the_page(tmp_path):
    # One module's page, whose pictures fit in the screenshot under its table.
    _, text = graded_page(copy_solutions(tmp_path / "solutions"), only="activations")
    page = tmp_path / "report.html"
    page.write_text(text, encoding="utf-8")
    colours = screenshot_colours(page, tmp_path)
    assert len(colours) > 20, "the screenshot is blank"
    # The plots' blue (the student's curves, matplotlib's first colour) is on the screen.
    blue = sum(count for count, (r, g, b) in colours
               if abs(r - 0x1f) < 12 and abs(g - 0x77) < 12 and abs(b - 0xb4) < 12)
    assert blue > 1000, "no plot was drawn"


def _panel(report, name: str):
    for panels in report.pictures.sections.values():
        for panel in panels:
            if panel.name == name:
                return panel
    raise AssertionError(f"no panel {name}")


def test_every_subpackage_of_autograder_is_packaged():
    import tomllib

    packages = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                   ["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "autograder").rglob("__init__.py")}
    assert "autograder.feedback" in found
    assert found <= packages, found - packages


def test_values_no_picture_expects_still_give_a_page(tmp_path):
    folder = with_function(copy_solutions(tmp_path / "submission"), "activations", """
        def relu(X):
            return X * float("nan")
        """)
    with_function(folder, "activations", """
        def sigmoid(X):
            return [1.0, 2.0]
        """)
    with_function(folder, "activations", """
        def tanh(X):
            return (X * 1e30).detach()
        """)
    report, text = graded_page(folder, only="activations")
    page = Page(text)
    assert set(page.figures) == {"activations.relu", "activations.sigmoid", "activations.tanh"}
    relu = page.plot_ids("activations.relu")
    assert {"activations-relu-yours-value-nonfinite", "activations-relu-yours-grad-nonfinite"} \
        <= relu
    assert render("feedback.not_drawable", "en", function="sigmoid") in page.classes["problem"]
    assert render("feedback.no_gradient", "en", function="tanh") in page.classes["note"]
    assert "activations-tanh-yours-grad" not in page.plot_ids("activations.tanh")
    assert page.path("activations-tanh-yours-value") != page.path("activations-tanh-book-value")


# -- the figure cache: a class's pages share the figures of equal data ----------------------

WRONG_TANH = """
    def tanh(X):
        E = torch.exp(-X)
        return (1 - E) / (1 + E)
    """


@pytest.fixture(scope="module")
def wrong_tanh_page(tmp_path_factory):
    return graded_page(mistake(tmp_path_factory.mktemp("tanh"), "activations", WRONG_TANH),
                       only="activations")


def _drawn(report, plots) -> dict[str, str]:
    """Each activation figure of the report, drawn (or taken from the cache)."""
    return {panel.name: activations_pictures.activation_svg(plots, panel)
            for panel in report.pictures.sections["activations"]}


def test_a_figure_of_equal_data_is_drawn_once_and_then_taken_from_the_cache(solutions_page):
    from autograder.feedback import plots

    report, _ = solutions_page
    plots.clear_figure_cache()
    first = _drawn(report, plots)
    info = plots.figure_cache_info()
    assert (info.hits, info.misses, info.currsize) == (0, len(first), len(first))
    again = _drawn(report, plots)
    info = plots.figure_cache_info()
    assert (info.hits, info.misses) == (len(first), len(first))
    assert again == first


def test_a_wrong_tanh_gets_a_figure_of_its_own_and_shares_the_others(solutions_page,
                                                                     wrong_tanh_page):
    from autograder.feedback import plots

    plots.clear_figure_cache()
    right = _drawn(solutions_page[0], plots)
    wrong = _drawn(wrong_tanh_page[0], plots)
    info = plots.figure_cache_info()
    # relu and sigmoid came from the cache; tanh's data differ, so it was drawn.
    assert (info.hits, info.misses) == (2, 4)
    assert wrong["activations.tanh"] != right["activations.tanh"]
    assert wrong["activations.relu"] == right["activations.relu"]


def test_the_key_is_the_data_rounded_and_the_figure_is_drawn_from_the_rounded_data(
        solutions_page):
    import copy
    import math

    from autograder.feedback import plots

    panel = _panel(solutions_page[0], "activations.sigmoid")
    # Below the fourth significant digit, and a NaN of another object: the same key.
    nudged, other = copy.deepcopy(panel), copy.deepcopy(panel)
    nudged.yours["value"] = [v * (1 + 1e-9) for v in panel.yours["value"]]
    nudged.yours["value"][0] = other.yours["value"][0] = float("nan")
    other.yours["value"][0] = float("inf") - float("inf")
    assert other.yours["value"][0] is not nudged.yours["value"][0]
    plots.clear_figure_cache()
    svg = activations_pictures.activation_svg(plots, nudged)
    assert activations_pictures.activation_svg(plots, other) == svg
    assert plots.figure_cache_info().hits == 1
    # What was drawn is the rounded data: drawing it cold gives the cached picture.
    rounded = copy.deepcopy(panel)
    rounded.yours["value"] = [float(f"{v:.4g}") for v in other.yours["value"]]
    assert math.isnan(rounded.yours["value"][0])
    plots.clear_figure_cache()
    assert activations_pictures.activation_svg(plots, rounded) == svg
    # A difference a plot can show is another figure.
    moved = copy.deepcopy(panel)
    moved.yours["value"] = [v + 0.01 for v in panel.yours["value"]]
    draw = activations_pictures.activation_svg
    assert draw(plots, moved) != draw(plots, panel)


def _ids(text: str) -> list[str]:
    return [attributes["id"] for _, attributes in Page(text).tags if "id" in attributes]


def test_two_figures_of_one_page_keep_distinct_ids_when_they_share_a_cached_figure(
        solutions_page):
    import copy

    from autograder.feedback import plots
    from autograder.feedback.data import Pictures

    report, text = solutions_page
    ids = _ids(text)
    assert len(ids) == len(set(ids))
    relu = _panel(report, "activations.relu")
    twin = copy.deepcopy(relu)
    twin.name = "activations.sigmoid"  # another figure of the page, with relu's data
    plots.clear_figure_cache()
    page = page_html(report, Pictures({"activations": [relu, twin]}))
    assert plots.figure_cache_info().hits == 1  # the second figure is the first's, cached
    ids = _ids(page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    parsed = Page(page)
    for plot in ("activations.relu", "activations.sigmoid"):
        inside = parsed.plot_ids(plot)
        prefix = plot.replace(".", "-") + "-"
        assert inside and all(i.startswith(prefix) for i in inside)
    # Every reference (clip paths, markers) points at an id that is on the page.
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', page):
        assert reference in ids, reference
    assert parsed.path("activations-sigmoid-yours-value") == \
        parsed.path("activations-relu-yours-value")


def test_a_page_written_from_the_cache_is_the_page_written_cold(tmp_path, solutions_page,
                                                                wrong_tanh_page):
    from autograder.feedback import plots

    report = wrong_tanh_page[0]
    write_html(solutions_page[0], str(tmp_path / "other.html"))  # relu and sigmoid cached
    before = plots.figure_cache_info()
    write_html(report, str(tmp_path / "warm.html"))
    assert plots.figure_cache_info().hits > before.hits
    plots.clear_figure_cache()
    write_html(report, str(tmp_path / "cold.html"))
    assert plots.figure_cache_info().hits == 0
    assert (tmp_path / "warm.html").read_bytes() == (tmp_path / "cold.html").read_bytes()


def test_processes_that_share_a_folder_draw_each_figure_once(tmp_path, solutions_page,
                                                             wrong_tanh_page, monkeypatch):
    """The grading processes of a class run: another process starts with an empty cache
    of its own, as a cleared one, and takes from the folder what the first one drew."""
    from autograder.feedback import plots

    drawn = []
    for kind, draw in plots.FIGURES.items():
        monkeypatch.setitem(plots.FIGURES, kind,
                            lambda *data, draw=draw, kind=kind: drawn.append(kind) or draw(*data))
    monkeypatch.setattr(plots, "_shared_folder", None)
    plots.clear_figure_cache()
    alone = _drawn(wrong_tanh_page[0], plots)
    plots.share_figures(str(tmp_path))
    plots.clear_figure_cache()
    first = [_drawn(solutions_page[0], plots), _drawn(wrong_tanh_page[0], plots)]
    assert len(list(tmp_path.glob("*.svg"))) == 4 and not list(tmp_path.glob("*.part"))
    del drawn[:]
    plots.clear_figure_cache()  # the other process
    second_wrong, second_right = _drawn(wrong_tanh_page[0], plots), _drawn(solutions_page[0],
                                                                           plots)
    assert drawn == [] and [second_right, second_wrong] == first
    assert first[1] == alone  # as drawn by a process alone
    plots.share_figures(None)
    plots.clear_figure_cache()
    _drawn(solutions_page[0], plots)
    assert drawn == ["activations.activation"] * 3  # not shared any more: drawn again


def test_a_shared_folder_that_cannot_be_written_only_costs_the_sharing(tmp_path,
                                                                       solutions_page,
                                                                       monkeypatch):
    from autograder.feedback import plots

    monkeypatch.setattr(plots, "_shared_folder", None)
    plots.clear_figure_cache()
    alone = _drawn(solutions_page[0], plots)
    plots.share_figures(str(tmp_path / "gone"))  # as a full disk, every write fails
    plots.clear_figure_cache()
    assert _drawn(solutions_page[0], plots) == alone
    assert not (tmp_path / "gone").exists()


def test_the_books_side_is_shared_between_reports_but_each_panel_has_its_own_copy(
        solutions_page, wrong_tanh_page):
    for name in ("activations.relu", "activations.tanh"):
        mine, theirs = _panel(solutions_page[0], name), _panel(wrong_tanh_page[0], name)
        assert mine.book == theirs.book
        assert mine.book["value"] is not theirs.book["value"]

"""`grade --help` and every refusal of the command line, in the reader's language."""

from __future__ import annotations

import argparse
import inspect
import re

import pytest

from autograder import course
from autograder.cli import grade_main
from autograder.instructor import _parser as instructor_parser
from autograder.instructor import main as instructor_main
from autograder.messages import CATALOGUE
from autograder.parsing import ARGPARSE_KEYS, as_percent_format, language_of
from tests.helpers import MODULES, SOLUTIONS
from tests.test_messages import english_words

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Each command of `autograder`, as the reader types it.
INSTRUCTOR_COMMANDS = [(), ("nbgrader",), ("nbgrader", "init"), ("batch",), ("gradescope",),
                       ("gradescope", "build"), ("classroom",), ("classroom", "init"),
                       ("exercise",), ("exercise", "check"), ("exercise", "new")]
# The commands' and the exercise modules' names are what the reader types, as code is.
COMMANDS = {"grade", "autograder", *MODULES, *(name for path in INSTRUCTOR_COMMANDS
                                                 for name in path)}
# argparse's list of an option's values, {cpu,cuda,placement,all}: typed, as code is.
_CHOICES = re.compile(r"\{[a-z_]+(?:,[a-z_]+)+\}")


@pytest.fixture
def chinese(monkeypatch):
    """A Chinese reader whose LANG is English: LANGUAGE comes first, as in gettext."""
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LANGUAGE", "zh_CN")


@pytest.fixture
def english(monkeypatch):
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def run(main, argv: list[str], capsys) -> tuple[int, str, str]:
    """The exit status and what `main(argv)` wrote, where argparse exits too."""
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def english_in(text: str, typed: list[str] = ()) -> list[str]:
    """The English words of `text` but the commands' names and what the reader typed."""
    quoted = COMMANDS | {word for argument in typed for word in re.findall(r"\w+", argument)}
    return [word for word in english_words(_CHOICES.sub(" ", text)) if word not in quoted]


def test_help_is_chinese_under_a_chinese_locale(chinese, capsys):
    code, out, err = run(grade_main, ["--help"], capsys)
    assert code == 0 and err == ""
    assert out.startswith("用法：grade ")
    for words in ("选项", "显示此帮助信息并退出", "位置参数", "--watch", "--hints"):
        assert words in out
    assert english_in(out) == []


def test_help_is_english_under_an_english_locale(english, capsys):
    # The control: the same check finds the English words of the English help.
    code, out, _ = run(grade_main, ["--help"], capsys)
    assert code == 0 and out.startswith("usage: grade ")
    assert {"show", "this", "help", "message"} <= set(english_in(out))


def test_lang_chooses_the_language_of_help_over_the_locale(english, capsys):
    _, out, _ = run(grade_main, ["--help", "--lang", "zh"], capsys)
    assert out.startswith("用法：") and english_in(out) == []
    _, out, _ = run(grade_main, ["--lang=zh", "--help"], capsys)
    assert out.startswith("用法：")


REFUSALS = [
    ([], "缺少以下参数"),
    ([str(SOLUTIONS), "--bogus"], "无法识别的参数：--bogus"),
    ([str(SOLUTIONS), "--json"], "参数 --json：需要一个参数值"),
    ([str(SOLUTIONS), "--j", "x"], "有歧义的选项：--j"),
    (["nosuch/"], "nosuch：没有这个文件或文件夹"),
    ([str(SOLUTIONS / "linear_regression.py")], "不是文件夹"),
    ([str(SOLUTIONS.parent / "autograder" / "sandbox")], "没有找到任何练习模块"),
    ([str(SOLUTIONS), "--device", "gpu"], "--device gpu：只能是"),
    ([str(SOLUTIONS), "--timeout", "soon"], "--timeout soon：每次调用的时限"),
    ([str(SOLUTIONS), "--deadline", "-1"], "--deadline -1："),
    ([str(SOLUTIONS), "--fail-under", "120"], "--fail-under 120："),
    ([str(SOLUTIONS), "--lang", "fr"], "--lang fr：只能是"),
    ([str(SOLUTIONS), "--sandbox", "maybe"], "--sandbox maybe：只能是"),
    ([str(SOLUTIONS), "--visibility", "all"], "--visibility all：只能是"),
    ([str(SOLUTIONS), "--hints", "some"], "--hints some：只能是"),
    ([str(SOLUTIONS), "--only", "sgdd"], "（你是想写 sgd 吗？）"),
    ([str(SOLUTIONS), "--watch", "--json", "r.json", "--fail-under", "50"],
     "--watch 会在每次保存后重新评分，不写出任何报告文件：请去掉 --json --fail-under"),
]


@pytest.mark.parametrize("argv, part", REFUSALS,
                         ids=["no-path", "unknown-option", "no-value", "ambiguous", "no-such-path",
                              "a-file", "no-module", "device", "timeout", "deadline",
                              "fail-under", "lang", "sandbox", "visibility", "hints", "only",
                              "watch-with-a-report"])
def test_every_refusal_is_one_chinese_line(chinese, capsys, argv, part):
    code, out, err = run(grade_main, argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("grade: "), err
    assert part in err
    assert english_in(err, argv) == [], err


def test_the_same_refusals_are_english_under_an_english_locale(english, capsys):
    for argv, expected in [([], "the following arguments are required: PATH"),
                           (["nosuch/"], "grade: nosuch: no such file or folder"),
                           ([str(SOLUTIONS), "--json"], "argument --json: expected one argument")]:
        code, _, err = run(grade_main, argv, capsys)
        assert code == 2 and expected in err


def test_the_instructors_command_speaks_argparse_in_chinese(chinese, capsys):
    code, _, err = run(instructor_main, ["nbgrader", "init", "course", "--device", "gpu"],
                       capsys)
    assert code == 2
    assert "用法：autograder nbgrader init" in err
    assert "参数 --device：无效的选择：'gpu'（可选：" in err
    assert "usage" not in err and "invalid choice" not in err


def test_the_catalogues_english_is_argparses_own():
    # Each translated sentence is one argparse says, with the same values in it.
    source = inspect.getsource(argparse)
    for message_id, key in ARGPARSE_KEYS.items():
        if repr(message_id) not in source:  # another Python's wording
            continue
        expected = "expected %s arguments" if message_id == "expected %s argument" \
            else message_id
        assert as_percent_format(CATALOGUE[key]["en"], message_id) == expected, key
    assert as_percent_format("无效的选择：{value}（100%）", "invalid choice: %(value)r") \
        == "无效的选择：%(value)r（100%%）"


@pytest.mark.parametrize("argv, expected", [
    (["x", "--lang", "zh"], "zh"), (["--lang=en", "x"], "en"), (["--lang", "fr"], "zh"),
    (["--lang"], "zh"), ([], "zh"),
])
def test_the_language_of_the_command_line(chinese, argv, expected):
    assert language_of(argv) == expected


def test_argparse_is_left_as_it_was(chinese, capsys):
    run(grade_main, ["--help"], capsys)
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
    assert re.match(r"usage: ", argparse.ArgumentParser(prog="x").format_usage())


# -- the `autograder` command ---------------------------------------------------------------

def command_paths(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) \
        -> list[tuple[str, ...]]:
    """The path of `parser` and of each command under it."""
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                found += command_paths(subparser, (*path, name))
    return found


def test_every_command_of_the_instructors_command_is_checked():
    assert sorted(command_paths(instructor_parser(course))) == sorted(INSTRUCTOR_COMMANDS)


@pytest.mark.parametrize("command", INSTRUCTOR_COMMANDS, ids=" ".join)
def test_the_instructors_help_is_chinese_under_a_chinese_locale(chinese, capsys, command):
    code, out, err = run(instructor_main, [*command, "--help"], capsys)
    assert code == 0 and err == ""
    assert out.startswith(f"用法：{' '.join(('autograder', *command))} "), out
    assert "显示此帮助信息并退出" in out
    assert english_in(out) == [], out


@pytest.mark.parametrize("command", INSTRUCTOR_COMMANDS, ids=" ".join)
def test_the_instructors_help_is_english_under_an_english_locale(english, capsys, command):
    # The control: the same check finds the English of each English help.
    code, out, _ = run(instructor_main, [*command, "--help"], capsys)
    assert code == 0 and out.startswith(f"usage: {' '.join(('autograder', *command))} ")
    assert {"show", "this", "help", "message"} < set(english_in(out))


def test_the_instructors_help_follows_lang_over_the_locale(english, capsys):
    _, out, _ = run(instructor_main, ["batch", "--help", "--lang", "zh"], capsys)
    assert out.startswith("用法：autograder batch ") and english_in(out) == []
    assert "--out 输出文件夹" in out


INSTRUCTOR_REFUSALS = [
    ([], "缺少以下参数：工具"),
    (["bogus"], "无效的选择：'bogus'"),
    (["--bogus", "exercise", "check"], "无法识别的参数：--bogus"),
    (["nbgrader"], "缺少以下参数：操作"),
    (["nbgrader", "init"], "缺少以下参数：课程文件夹"),
    (["nbgrader", "init", "{tmp}", "--bogus"], "无法识别的参数：--bogus"),
    (["nbgrader", "init", "{tmp}", "--timeout", "soon"], "参数 --timeout："),
    (["nbgrader", "init", "{tmp}", "--lang", "fr"], "参数 --lang：无效的选择：'fr'"),
    (["nbgrader", "init", "{tmp}", "--only", "nosuch"], "没有叫 nosuch 的练习模块"),
    (["batch"], "缺少以下参数：班级提交, --out"),
    (["batch", "{tmp}"], "缺少以下参数：--out"),
    (["batch", "{tmp}", "--out", "{tmp}/out", "--bogus"], "无法识别的参数：--bogus"),
    (["batch", "{tmp}", "--out", "{tmp}/out", "-j", "many"], "-j many：同时评分的学生数"),
    (["batch", "{tmp}", "--out", "{tmp}/out", "--timeout", "soon"], "--timeout soon："),
    (["gradescope", "build"], "缺少以下参数：压缩包"),
    (["gradescope", "build", "{tmp}/a.zip", "--bogus"], "无法识别的参数：--bogus"),
    (["gradescope", "build", "{tmp}/a.zip", "--timeout", "soon"], "参数 --timeout："),
    (["gradescope", "build", "{tmp}/a.zip", "--visibility", "all"], "--visibility all：只能是"),
    (["gradescope", "build", "{tmp}/a.zip", "--sandbox", "off"], "--sandbox off："),
    (["gradescope", "build", "{tmp}"], "已存在（加 --force 可覆盖它）"),
    (["classroom", "init"], "缺少以下参数：仓库文件夹"),
    (["classroom", "init", "{tmp}", "--bogus"], "无法识别的参数：--bogus"),
    (["classroom", "init", "{tmp}", "--fail-under", "most"], "参数 --fail-under："),
    (["classroom", "init", "{tmp}", "--fail-under", "120"], "--fail-under 120.0："),
    (["classroom", "init", "{tmp}", "--device", "gpu"], "--device gpu：只能是"),
    (["exercise"], "缺少以下参数：操作"),
    (["exercise", "check", "--bogus"], "无法识别的参数：--bogus"),
    (["exercise", "check", "--module"], "参数 --module：需要一个参数值"),
    (["exercise", "check", "--lang", "fr"], "--lang fr：只能是"),
]


@pytest.mark.parametrize("argv, part", INSTRUCTOR_REFUSALS,
                         ids=[" ".join(argv) for argv, _ in INSTRUCTOR_REFUSALS])
def test_every_refusal_of_the_instructors_command_is_chinese(chinese, capsys, tmp_path, argv,
                                                             part):
    argv = [argument.replace("{tmp}", str(tmp_path)) for argument in argv]
    code, out, err = run(instructor_main, argv, capsys)
    assert code == 2 and out == "", (out, err)
    assert err.startswith(("用法：autograder", "autograder")), err
    assert part in err, err
    assert english_in(err, argv) == [], err


@pytest.mark.parametrize("argv, expected", [
    ([], "the following arguments are required: TOOL"),
    (["nbgrader", "init"], "the following arguments are required: COURSE_DIR"),
    (["batch", "{tmp}", "--out", "{tmp}/out", "-j", "many"], "-j many: the number of students"),
    (["gradescope", "build", "{tmp}/a.zip", "--visibility", "all"], "--visibility all: choose"),
    (["gradescope", "build", "{tmp}"], "exists (pass --force to overwrite it)"),
    (["classroom", "init", "{tmp}", "--fail-under", "most"],
     "argument --fail-under: invalid float value: 'most'"),
    (["nbgrader", "init", "{tmp}", "--only", "nosuch"], "no exercise module nosuch (choose"),
])
def test_the_instructors_refusals_are_english_under_an_english_locale(english, capsys, tmp_path,
                                                                      argv, expected):
    argv = [argument.replace("{tmp}", str(tmp_path)) for argument in argv]
    code, _, err = run(instructor_main, argv, capsys)
    assert code == 2 and expected in err, err
    assert english_in(err, argv) != []

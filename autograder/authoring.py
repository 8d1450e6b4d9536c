"""`autograder exercise new NAME [--in PACK]`: a working exercise to start from.

It writes the five files of an exercise unit (see autograder.registry): a stub with one
function, its reference, the students' self-check, a hidden suite of two tests (its
values on the CPU, and where its result goes) and the unit's messages in English and
Chinese. As written, `autograder exercise check PACK --module NAME` passes: the reference
gets full marks, the stub none, and the suite kills every mutant of the reference.
"""

from __future__ import annotations

import re
from pathlib import Path

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

STUB = '''"""{name}: an exercise of the course. Replace this line with what the module teaches.

Fill in each function below; `python -m pytest test_{name}.py` checks small examples.
"""

import torch


def double(X):
    """Return 2 * X, a new tensor of X's shape, dtype and device.

    X: a floating-point tensor of any shape.
    Why: the smallest function a suite can grade; replace it with the week's own.
    """
    raise NotImplementedError()
'''

REFERENCE = '''"""{name}: the reference solution."""

import torch


def double(X):
    return 2 * X
'''

SELF_CHECK = '''"""Public self-checks for {name}.py: run `python -m pytest` in this folder."""

import torch
from {name} import double


def test_double_of_a_small_example():
    assert torch.equal(double(torch.tensor([1.0, -2.0])), torch.tensor([2.0, -4.0]))
'''

SUITE = '''"""Hidden suite for {name}.py: double."""

from __future__ import annotations

import torch

from autograder.checks import expect_placed, expect_tensor, values_right
from autograder.plugin import PLACEMENT_DEVICES, grades
from autograder.registry import reference

ref = reference("{name}")


def random_input(seed: int) -> torch.Tensor:
    return torch.randn(3, 4, generator=torch.Generator().manual_seed(seed))


@grades("double", points=1.0, public=True)
def test_double_values(student, device):
    """double returns twice its input"""
    X = random_input(1)
    out = student.call("double", X, device=device)
    expect_tensor(out, out.value, ref.double(X))


@grades("double", points=0.5, devices=PLACEMENT_DEVICES)
def test_double_stays_on_device(student, device):
    """double keeps its right result on the input's device"""
    X = random_input(2)
    out = student.call("double", X, device=device)
    expect_placed(out, out.value)
    with values_right("double"):
        expect_tensor(out, out.value, ref.double(X))
'''

UNIT = '''"""{name}: its messages in English and Chinese, and what else the grader knows of it."""

from autograder.registry import Mistake

MESSAGES = {{
    # The name of each test in the report: the test's docstring in English.
    "test.{name}.test_double_values": {{
        "en": "double returns twice its input",
        "zh": "double 返回输入的两倍",
    }},
    "test.{name}.test_double_stays_on_device": {{
        "en": "double keeps its right result on the input's device",
        "zh": "double 把正确的结果留在输入所在的设备上",
    }},
    # The notebook (autograder nbgrader init): the module's and each function's docstring
    # in Chinese; in English the stub's own are shown.
    "course.{name}.intro": {{
        "zh": "{name}：课程中的一个练习。请把这一行换成本模块要教的内容。\\n\\n"
              "填写下面的每个函数；`python -m pytest test_{name}.py` 会检查几个小例子。",
    }},
    "course.{name}.double.doc": {{
        "zh": "返回 2 * X：一个与 X 形状、数据类型和设备都相同的新张量。\\n\\n"
              "X：任意形状的浮点张量。\\n"
              "为什么：这是测试能评分的最小函数；请换成本周自己的函数。",
    }},
}}

# A fragment of the error text that a classic mistake raises, and its diagnosis.
KNOWN_ERRORS: list[tuple[str | None, str, str]] = []

# Classic mistakes: the reference with one definition replaced by the code, which must
# lose points with the diagnosis named.
MISTAKES = [
    Mistake("double-adds", "double", "wrong_values", """
    def double(X):
        return X + 2
"""),
]
'''


def new_exercise(name: str, pack: str | Path = ".", *, force: bool = False) -> list[Path]:
    """Write the exercise `name` into the pack folder `pack`; return the files written.

    Raises ValueError for a name that is not a lower-case Python name, FileExistsError
    where one of its files exists and not `force`."""
    if not _NAME.match(name):
        raise ValueError(name)
    root = Path(pack)
    files = {
        root / "assignments" / f"{name}.py": STUB,
        root / "assignments" / f"test_{name}.py": SELF_CHECK,
        root / "solutions" / f"{name}.py": REFERENCE,
        root / "exercises" / name / f"test_{name}.py": SUITE,
        root / "exercises" / name / "unit.py": UNIT,
    }
    existing = [path for path in files if path.exists()]
    if existing and not force:
        raise FileExistsError(existing[0])
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name), encoding="utf-8")
    return list(files)

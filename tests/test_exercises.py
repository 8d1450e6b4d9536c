"""The stubs and the reference solutions state the same contracts, and every module is graded."""

from __future__ import annotations

import ast

import pytest

from tests.helpers import ASSIGNMENTS, EXERCISES, MODULES, SOLUTIONS


def definitions(path) -> dict[str, ast.AST]:
    """Public functions and classes, and the methods of the classes, by qualified name."""
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            found[node.name] = node
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        found[f"{node.name}.{item.name}"] = item
    return found


def test_every_exercise_module_has_a_suite_a_stub_and_a_solution():
    stubs = {p.stem for p in ASSIGNMENTS.glob("*.py") if not p.stem.startswith(("test_", "_"))}
    solutions = {p.stem for p in SOLUTIONS.glob("*.py") if not p.stem.startswith("_")}
    suites = {p.stem.removeprefix("test_") for p in EXERCISES.glob("*/test_*.py")}
    assert stubs == solutions == suites == set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_stub_and_solution_share_signatures_and_docstrings(module):
    stub = definitions(ASSIGNMENTS / f"{module}.py")
    solution = definitions(SOLUTIONS / f"{module}.py")
    assert stub.keys() == solution.keys()
    for name, node in stub.items():
        assert ast.get_docstring(node) == ast.get_docstring(solution[name]), name
        if isinstance(node, ast.FunctionDef):
            assert ast.dump(node.args) == ast.dump(solution[name].args), name
            assert ast.dump(node.returns) == ast.dump(solution[name].returns), name


@pytest.mark.parametrize("module", MODULES)
def test_every_stub_body_raises_not_implemented(module):
    for name, node in definitions(ASSIGNMENTS / f"{module}.py").items():
        if isinstance(node, ast.FunctionDef):
            body = [s for s in node.body if not isinstance(s, ast.Expr)]  # the docstring
            assert len(body) == 1 and isinstance(body[0], ast.Raise), name
            assert ast.unparse(body[0].exc).startswith("NotImplementedError"), name

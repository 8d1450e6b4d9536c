"""Notebooks for the tests: course notebooks as students would hand them in."""

from __future__ import annotations

import copy
import io
import json
import re
import tokenize
from pathlib import Path

from autograder.course import build_notebook

SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION[ \t]*$",
                      re.MULTILINE | re.DOTALL)


def source_notebook(module: str) -> dict:
    """The instructor's notebook of `module`: the reference solutions, every check."""
    return build_notebook(module)


def nbgrader_meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def released(notebook: dict) -> dict:
    """What nbgrader's generate_assignment makes of a source notebook (for the tests that
    run without nbgrader): solution regions become a NotImplementedError."""
    release = copy.deepcopy(notebook)
    for cell in release["cells"]:
        if cell["cell_type"] != "code":
            continue
        cell["source"] = SOLUTION.sub(
            lambda m: f"{m.group(1)}# YOUR CODE HERE\n{m.group(1)}raise NotImplementedError()",
            cell["source"])
    return release


def unmarked(source: str) -> str:
    """A solution cell as a student who got it right would hand it in: no markers."""
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def answered(release: dict, source: dict, *, change: tuple[str, str, str] | None = None
             ) -> dict:
    """The release filled in with the solutions; `change` = (grade_id, old, new) edits one."""
    answers = {nbgrader_meta(c).get("grade_id"): c["source"] for c in source["cells"]
               if nbgrader_meta(c).get("solution")}
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            cell["source"] = unmarked(answers[grade_id])
            if change and change[0] == grade_id:
                assert change[1] in cell["source"], change
                cell["source"] = cell["source"].replace(change[1], change[2])
    return notebook


def write(notebook: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def identifiers() -> set[str]:
    """The names code uses: the exercises' stubs and solutions, torch, Python's builtins."""
    import builtins
    import keyword

    import torch

    from tests.helpers import MODULES

    root = Path(__file__).resolve().parent.parent
    names = set(dir(builtins)) | set(keyword.kwlist)
    for folder in ("assignments", "solutions"):
        for module in MODULES:
            text = (root / folder / f"{module}.py").read_text(encoding="utf-8")
            names |= {t.string for t in tokenize.generate_tokens(io.StringIO(text).readline)
                      if t.type == tokenize.NAME}
    for namespace in (torch, torch.Tensor, torch.nn, torch.nn.Module, torch.nn.Linear(1, 1),
                      torch.nn.functional, torch.optim, torch.cuda):
        names |= set(dir(namespace))
    return names


CODE = re.compile(r"```.*?```|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$", re.DOTALL)
ASCII_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def english_words(text: str, known: set[str]) -> list[str]:
    """The English words of `text`: outside code spans, code blocks and formulas, the
    words the messages' rule (autograder.wording) finds that are not a name code uses."""
    from autograder import wording

    return [word for word in wording.english_words(CODE.sub(" ", text))
            if word not in known]


def prose_of(notebook: dict) -> str:
    """What a student reads that is not code: markdown, and the comments and docstrings
    of the code cells (solution regions left out: the release holds nbgrader's
    ClearSolutions.code_stub there, which a Chinese course's config sets in Chinese)."""
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append(source_of(cell))
            continue
        code = SOLUTION.sub(r"\1raise NotImplementedError()", source_of(cell))
        tokens = tokenize.generate_tokens(io.StringIO(code + "\n").readline)
        parts += [t.string for t in tokens if t.type in (tokenize.COMMENT, tokenize.STRING)
                  and (t.type == tokenize.COMMENT or t.string.startswith('"""'))]
    return "\n".join(parts)

"""How much a diagnosis says: `--hints full` (the mistake and how to fix it) or `name`.

A diagnosis of the catalogue names the mistake in its first clause and then says why
and how to fix it, after a colon or a full stop:

    The step is batch_size times too large: divide the gradient by batch_size (...).
    sgd did not change the caller's tensors: `param = param - ...` only rebinds ...

At the level "name" only that first clause is shown, so a learner is told what is wrong
and works out the fix. The clause is cut from the catalogue's template, never from the
rendered text, so a value quoted in it (a line of the student's code holding a colon)
cannot move the cut. Messages that report what happened and hold no fix (an exception
the code raised, a crash, the values that differ) are shown whole at every level.
"""

from __future__ import annotations

from typing import Any

from autograder.messages import CATALOGUE, Diagnosis, render, render_template

HINT_LEVELS = ("full", "name")
# Reports of what happened, with no fix in them: the rest of the sentence is the facts.
WHOLE = frozenset({"raised", "import_failed", "import_exit", "import_timeout", "crashed",
                   "garbled", "wrong_values", "grader_error", "cell_timeout"})
WHOLE_FAMILIES = ("robustness.", "limit.")
_OPENING, _CLOSING = "([{（【", ")]}）】"
# Where the first clause ends: a colon or the end of a sentence, outside brackets and code.
_ENDS = {":": " ", ".": " ", "：": "", "。": ""}


def first_clause(template: str) -> str | None:
    """The part of `template` before its first colon or sentence end at the top level
    (outside brackets, {fields} and `code`), or None where it is one clause: nothing
    comes after its end."""
    depth, code = 0, False
    for i, char in enumerate(template):
        if char == "`":
            code = not code
        elif code:
            continue
        elif char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in _ENDS:
            after = template[i + 1: i + 2]
            if after and (not _ENDS[char] or after in (" ", "\n")):
                return template[:i].rstrip() or None
    return None


def shows_whole(key: str) -> bool:
    return key in WHOLE or key.startswith(WHOLE_FAMILIES)


def mistake_name(key: str, lang: str = "en", **params: Any) -> str:
    """The diagnosis `key` at the level "name": its first clause, as a sentence."""
    template = CATALOGUE[key].get(lang) or CATALOGUE[key]["en"]
    clause = None if shows_whole(key) else first_clause(template)
    if clause is None:
        return render(key, lang, **params)
    return render_template(clause + ("。" if lang == "zh" else "."), lang, **params)


def render_hint(diagnosis: Diagnosis, lang: str, hints: str = "full") -> str:
    """`diagnosis` in `lang` at the level `hints` (HINT_LEVELS)."""
    if hints == "name":
        return mistake_name(diagnosis.key, lang, **diagnosis.params)
    return diagnosis.render(lang)

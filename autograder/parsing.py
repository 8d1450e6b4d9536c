"""argparse in the reader's language: its own words ("usage:", "options:", its errors).

argparse looks each of its sentences up through its module's `_` and `ngettext` (GNU
gettext's functions) when it builds a parser, prints help or refuses an argument.
`speaking(lang)` points those two at the catalogue for as long as a command parses its
arguments, so that `grade --help` and every refusal of the command line read in Chinese
under a Chinese locale. Sentences of argparse's that the catalogue does not hold stay as
argparse wrote them.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from autograder.messages import CATALOGUE, LANGUAGES, default_language

# argparse's message ids (Python 3.10 to 3.13), each with its catalogue key. The
# catalogue's English is argparse's own text, with {name} where argparse has %(name)s.
ARGPARSE_KEYS = {
    "usage: ": "argparse.usage",
    "options": "argparse.options",
    "optional arguments": "argparse.options",  # Python 3.9's title of the same group
    "positional arguments": "argparse.positionals",
    "show this help message and exit": "argparse.help",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "the following arguments are required: %s": "argparse.required",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "expected %s argument": "argparse.expected_n",
    "expected %s arguments": "argparse.expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "invalid %(type)s value: %(value)r": "argparse.invalid_type",
    "not allowed with argument %s": "argparse.not_allowed",
    "one of the arguments %s is required": "argparse.one_of_required",
    "ignored explicit argument %r": "argparse.ignored_explicit",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
}
_NAMED = re.compile(r"%\((\w+)\)[sdr]")
_FIELD = re.compile(r"\{(\w+)\}")
# One lock: the swap of argparse's module globals is process-wide.
_lock = threading.RLock()


def help_text(lang: str) -> Callable[..., str]:
    """The catalogue's text of a key in `lang`, for argparse, which %-formats help: a %
    is kept as it is."""
    from autograder.messages import render

    def say(key: str, **params: Any) -> str:
        return render(key, lang, **params).replace("%", "%%")

    return say


def language_of(argv: Sequence[str] | None) -> str:
    """The language a command speaks: `--lang` where given and known, else the locale's."""
    argv = list(argv or [])
    for i, word in enumerate(argv):
        value = None
        if word == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif word.startswith("--lang="):
            value = word.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return default_language()


def translate(message_id: str, lang: str) -> str:
    """argparse's `message_id` in `lang`, as a %-format string argparse can fill in."""
    key = ARGPARSE_KEYS.get(message_id)
    if lang == "en" or key is None:
        return message_id
    return as_percent_format(CATALOGUE[key][lang], message_id)


def as_percent_format(template: str, message_id: str) -> str:
    """A catalogue template (str.format's {name}) in the %-format of argparse's
    `message_id`: each {name} becomes the id's own %(name)r or %(name)s, or its one
    positional %s; a literal % is doubled."""
    named = {match.group(1): match.group(0) for match in _NAMED.finditer(message_id)}
    positional = re.findall(r"%[sdr]", _NAMED.sub("", message_id.replace("%%", "")))

    def field(match: re.Match[str]) -> str:
        return named.get(match.group(1)) or (positional[0] if positional else match.group(0))

    return _FIELD.sub(field, template.replace("%", "%%"))


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """argparse's own words in `lang` while the block builds and runs a parser."""
    with _lock:
        saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

        def gettext(message: str) -> str:
            return translate(message, lang)

        def ngettext(singular: str, plural: str, count: int) -> str:
            return translate(singular if count == 1 else plural, lang)

        argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]

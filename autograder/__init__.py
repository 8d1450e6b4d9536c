"""The D2L autograder. `from autograder import check` is autograder.selfcheck.check,
imported only when asked for, so that `grade` starts without it."""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "check":
        from autograder.selfcheck import check

        return check
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")

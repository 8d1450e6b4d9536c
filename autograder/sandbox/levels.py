"""How much isolation a run asked for (the mode) and how much it got (the level).

The layers, strongest machine first:
- "user": workers run as an unprivileged uid with no capability (as root: a uid of
  their own; as an ordinary user: a user namespace whose capabilities they give up);
- "mount": a root file system of their own, read-only, without the grader's package,
  the project checkout, the home folders or the original submission, and a private,
  size-capped /tmp holding only the staged files;
- "pid": a pid namespace, whose end kills every process the submission started;
- "net": a network namespace without any interface.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from typing import Any

MODES = ("auto", "strict", "off")
LAYERS = ("user", "mount", "pid", "net")
# Tests simulate a machine that lacks layers: a comma-separated list of layer names.
SIMULATE_FAILURE_VARIABLE = "AUTOGRADER_SANDBOX_FAIL"


class SandboxUnavailable(Exception):
    """A layer that must be there could not be set up, because of the machine: nothing
    is graded. `kind` says which rule refused: "strict" (--sandbox strict wants every
    layer), "root" (run as root, the code never runs as root) or "lost" (a layer the
    machine gives, as its probe found, could not be set up this time)."""

    def __init__(self, layer: str, reason: str, kind: str = "strict"):
        super().__init__(layer, reason, kind)
        self.layer = layer
        self.reason = reason
        self.kind = kind

    def render(self, lang: str = "en") -> str:
        from autograder.messages import render

        key = "sandbox.refused" if self.kind == "strict" else f"sandbox.refused_{self.kind}"
        return render(key, lang, layer=layer_name(self.layer, lang), reason=self.reason)


@dataclass
class Isolation:
    """The layers a submission's workers got, and why each missing one is missing."""

    mode: str
    root: bool = False  # the grader ran as root: "user" is a uid of the workers' own
    reached: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # layer -> errno name or cause
    workdir: str | None = None  # the workers' folder inside the sandbox
    uid: int | None = None  # the uid workers drop to (as root)
    # The layers this machine gives, found by a probe that no submission influences
    # (None: not probed). Each must be reached, whatever the submission holds.
    machine: list[str] | None = None
    # The submission's own files broke a limit of a layer's set-up: nothing of it runs.
    # {"limit": "files" | "size" | "name" | "other", "value": the limit, or the errno name}
    refused: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "root": self.root, "reached": self.reached,
                "missing": self.missing, "workdir": self.workdir, "uid": self.uid,
                "machine": self.machine, "refused": self.refused}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Isolation:
        return cls(**data)

    def has(self, layer: str) -> bool:
        return layer in self.reached

    def require_all(self) -> None:
        """For --sandbox strict: raise SandboxUnavailable naming the first missing layer."""
        for layer in LAYERS:
            if layer not in self.reached:
                raise SandboxUnavailable(layer, self.missing.get(layer, "?"))

    def require(self) -> None:
        """Raise SandboxUnavailable unless workers may run with what was reached: in
        strict mode every layer; in any mode, every layer the machine gives, and, run as
        root, a uid of their own (workers never run as root)."""
        error = self.require_error()
        if error is not None:
            raise error

    def require_error(self) -> SandboxUnavailable | None:
        """What `require` raises, or None."""
        if self.mode == "off" or self.refused:
            return None
        if self.mode == "strict":
            try:
                self.require_all()
            except SandboxUnavailable as error:
                return error
        if self.root and not self.has("user"):
            return SandboxUnavailable("user", self.missing.get("user", "?"), "root")
        for layer in self.machine or ():
            if not self.has(layer):
                return SandboxUnavailable(layer, self.missing.get(layer, "?"), "lost")
        return None

    def line(self, lang: str = "en") -> str:
        """One line for the report: the level reached."""
        from autograder.messages import render

        if self.mode == "off":
            return render("sandbox.level_off", lang)
        separator = render("sandbox.separator", lang)
        reached = separator.join(layer_name(layer, lang, root=self.root) for layer in LAYERS
                                 if layer in self.reached)
        if not self.missing:
            return render("sandbox.level_full", lang, mode=self.mode, layers=reached)
        missing = separator.join(
            render("sandbox.missing_layer", lang, layer=layer_name(layer, lang, root=self.root),
                   reason=reason) for layer, reason in self.missing.items())
        return render("sandbox.level_partial", lang, mode=self.mode,
                      layers=reached or "-", missing=missing)


def layer_name(layer: str, lang: str, *, root: bool = True) -> str:
    from autograder.messages import render

    key = "user_root" if layer == "user" and root else ("user_namespace"
                                                         if layer == "user" else layer)
    return render(f"sandbox.layer.{key}", lang)


def reason_of(error: BaseException) -> str:
    """A short, untranslated cause: the errno's name, or the exception's type."""
    if isinstance(error, OSError) and error.errno in errno.errorcode:
        return errno.errorcode[error.errno]
    return type(error).__name__

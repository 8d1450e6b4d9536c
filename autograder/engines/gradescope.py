"""Gradescope's autograder bundle, and what runs in it.

    autograder gradescope build autograder.zip [--gpu] [--wheel FILE] [options of grade]

writes the zip Gradescope takes (https://gradescope-autograders.readthedocs.io/en/latest/specs/):

- setup.sh, run once as root when Gradescope builds the image: installs PyTorch (the CPU
  build from PyTorch's CPU index; the CUDA build from PyPI with --gpu), pinned to
  constraints.txt's release, then this package from the wheel in the zip;
- run_autograder, run for each submission: `python -m autograder.engines.gradescope`,
  which grades /autograder/submission into /autograder/results/results.json with the
  options chosen at build time (`run` below);
- the wheel, and constraints.txt (the torch pin, so the wheel's dependencies keep it).

Both scripts take the root from $AUTOGRADER_ROOT (default /autograder) and the Python
from $AUTOGRADER_PYTHON (default a virtual environment setup.sh makes in the root), so
that the bundle can be run outside Gradescope, as its test does.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from autograder.engines import TORCH_CPU_INDEX, build_wheel, torch_version
from autograder.messages import render
from autograder.options import DEFAULT_TIMEOUT, BadOption, check_options

ROOT_VARIABLE = "AUTOGRADER_ROOT"
PYTHON_VARIABLE = "AUTOGRADER_PYTHON"
DEFAULT_ROOT = "/autograder"
# Gradescope grades code it has never seen, each student in a sandbox with every layer
# the container allows: its seccomp profile may refuse namespaces (Docker's default
# refuses unshare, mount and pivot_root without CAP_SYS_ADMIN), and then the workers still
# run as a uid of their own, which cannot read the reference or the suites (see
# `hide_from_workers`), under the rlimits. "strict" (an instructor's choice at build time)
# refuses every submission on such a machine instead.
SANDBOX_MODES = ("auto", "strict")
EXECUTABLE = 0o755
# What a worker of another uid must not read where no mount namespace hides it.
HIDDEN_PACKAGES = ("autograder.reference", "autograder.exercises")
PACKS = "packs"  # the folder of the bundle holding the instructor's packs


def build_bundle(path: str | os.PathLike, *, gpu: bool = False,
                 wheel: str | os.PathLike | None = None, device: str = "all",
                 timeout: float = DEFAULT_TIMEOUT, lang: str = "en",
                 visibility: str = "visible", sandbox: str = "auto",
                 force: bool = False, assignment: str | None = None,
                 exercises: Sequence[str | os.PathLike] = ()) -> Path:
    """Write Gradescope's autograder zip at `path` and return it.

    gpu: install PyTorch's CUDA build (for a Gradescope GPU image) instead of the CPU one.
    wheel: this package's wheel to put in the zip; by default one is built from the
        checkout this package runs from.
    device, timeout, lang, visibility: how each submission is graded, as the options of
        `grade` of those names.
    sandbox: "auto" (every layer the container allows) or "strict" (refuse to grade
        where a layer is missing), as `grade --sandbox`.
    assignment: grade that assignment's modules, each counted (grade --assignment).
    exercises: folders of exercise packs, copied into the zip (PACKS/) and graded with,
        closed to the workers' uid as the installed reference and suites are.
    Raises BadOption for an option `grade` would refuse (and a sandbox other than those
    two), FileExistsError where `path` exists and not `force`.
    """
    check_options(device=device, timeout=timeout, lang=lang, visibility=visibility,
                  sandbox=sandbox)
    if sandbox not in SANDBOX_MODES:
        raise BadOption("engines.gradescope.bad_sandbox", value=sandbox)
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists (pass --force to overwrite it)")
    from autograder import registry

    registry.use_packs(exercises)
    registry.check_assignment(assignment)
    packs = {f"{PACKS}/{index}-{Path(folder).resolve().name}": Path(folder)
             for index, folder in enumerate(exercises)}
    flags = grade_flags(device=device, timeout=timeout, lang=lang, visibility=visibility,
                        sandbox=sandbox)
    flags += ["--assignment", assignment] if assignment else []
    for name in packs:
        flags += ["--exercises", name]
    with tempfile.TemporaryDirectory(prefix="autograder-bundle-") as scratch:
        wheel = Path(wheel) if wheel else build_wheel(scratch)
        version = torch_version()
        files = {
            "setup.sh": (setup_script(wheel.name, version, gpu=gpu), EXECUTABLE),
            "run_autograder": (run_script(flags), EXECUTABLE),
            "constraints.txt": (f"torch=={version}\n", 0o644),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, (text, mode) in files.items():
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.external_attr = (0o100000 | mode) << 16  # a regular file, its mode
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, text)
            bundle.write(wheel, wheel.name)
            for name, folder in packs.items():
                for file in sorted(folder.rglob("*")):
                    if file.is_file() and "__pycache__" not in file.parts:
                        bundle.write(file, f"{name}/{file.relative_to(folder).as_posix()}")
    return path


def grade_flags(*, device: str = "all", timeout: float = DEFAULT_TIMEOUT, lang: str = "en",
                visibility: str = "visible", sandbox: str = "auto") -> list[str]:
    """The options run_autograder grades each submission with."""
    flags = ["--device", device, "--timeout", f"{timeout:g}", "--lang", lang,
             "--visibility", visibility]
    if _grade_knows("--sandbox"):
        flags += ["--sandbox", sandbox]
    return flags


def setup_script(wheel_name: str, torch_release: str, *, gpu: bool = False) -> str:
    torch_source = "" if gpu else f" --index-url {TORCH_CPU_INDEX}"
    build = "CUDA build, from PyPI" if gpu else "CPU build, from PyTorch's CPU index"
    return f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: it installs
# PyTorch {torch_release} ({build})
# and d2l-autograder from the wheel beside this script.
# Written by `autograder gradescope build`.
set -euo pipefail
SOURCE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
ROOT="${{{ROOT_VARIABLE}:-{DEFAULT_ROOT}}}"
# A virtual environment of its own, which leaves the image's system Python (apt's, on
# Ubuntu 24.04 closed to pip) alone. Python 3.10 or newer: Ubuntu 22.04 or newer.
PYTHON="${{{PYTHON_VARIABLE}:-$ROOT/venv/bin/python}}"
if [ ! -x "$PYTHON" ]; then
  # A fresh image's package lists are empty: without an update, install finds nothing.
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3 python3-venv python3-pip
  python3 -m venv "$ROOT/venv"
fi
"$PYTHON" -m pip install "torch=={torch_release}"{torch_source}
"$PYTHON" -m pip install -c "$SOURCE/constraints.txt" "$SOURCE/{wheel_name}"
"$PYTHON" -c "import autograder.engines.gradescope"
# The wheel holds the reference and the suites: root's alone, as the installed copies are
# once run_autograder starts (where no mount namespace hides them from the workers).
[ ! -f "$SOURCE/{wheel_name}" ] || chmod 0600 "$SOURCE/{wheel_name}"
"""


def run_script(flags: list[str]) -> str:
    return f"""#!/usr/bin/env bash
# Gradescope runs this for each submission: it grades the files of
# $ROOT/submission into $ROOT/results/results.json. Written by `autograder gradescope build`.
set -euo pipefail
ROOT="${{{ROOT_VARIABLE}:-{DEFAULT_ROOT}}}"
PYTHON="${{{PYTHON_VARIABLE}:-$ROOT/venv/bin/python}}"
cd "$ROOT"
# -I: nothing of the working folder (where the submission is) or of PYTHON* variables.
exec "$PYTHON" -I -m autograder.engines.gradescope {shlex.join(flags)}
"""


def run(flags: list[str], root: str | os.PathLike | None = None) -> int:
    """Grade the submission under `root` (default $AUTOGRADER_ROOT, else /autograder) into
    root/results/results.json with `grade`'s options `flags`; return grade's exit code.

    An upload holding no exercise file still gets a results.json, scoring 0 and saying
    what to upload, rather than Gradescope's "the autograder failed"."""
    root = Path(root or os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT)
    results = root / "results" / "results.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    upload = find_upload(root / "submission")
    if upload is None:
        _write_nothing_graded(results, flags)
        return 0
    hide_from_workers(root)
    from autograder.cli import grade_main

    return grade_main([str(upload), "--json", str(results), *flags])


def hide_from_workers(root: Path | None = None) -> list[Path]:
    """Run as root, make the installed package's reference and suites folders root's
    alone (0700), and return them: the grader reads them as root, a worker's uid cannot,
    also where the container refuses the mount namespace that would hide them. Workers
    never import them (a worker imports what it runs before it drops its uid)."""
    import importlib.util

    closed: list[Path] = []
    package = Path(importlib.util.find_spec("autograder").origin).parent
    if os.geteuid() != 0 or (package.parent / "pyproject.toml").is_file():
        return closed  # a source checkout is its owner's, not the bundle's, to change
    for name in HIDDEN_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folder = Path(spec.origin).parent
            folder.chmod(0o700)
            closed.append(folder)
    packs = Path(root or os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT) / PACKS
    if packs.is_dir():  # the instructor's packs: their suites and references
        packs.chmod(0o700)
        closed.append(packs)
    return closed


def find_upload(folder: Path) -> Path | None:
    """The folder of the upload holding the exercises: the upload itself, or the one
    folder in it (a student who zipped their folder), or None."""
    from autograder.submission import NotASubmission, find_submission

    for candidate in (folder, *_only_subfolder(folder)):
        try:
            find_submission(candidate)
            return candidate
        except NotASubmission:
            continue
    return None


def _only_subfolder(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    inside = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    return inside if len(inside) == 1 and inside[0].is_dir() else []


def _write_nothing_graded(results: Path, flags: list[str]) -> None:
    from autograder import registry
    from autograder.cli import build_parser

    options = build_parser().parse_args(["upload", *flags])
    lang = options.lang or "en"
    message = render("engines.gradescope.no_submission", lang,
                     files=", ".join(f"{module}.py" for module in registry.names()))
    print(message)
    results.write_text(json.dumps({"score": 0.0, "output": message, "output_format": "text",
                                   "visibility": options.visibility, "tests": []},
                                  ensure_ascii=False, indent=2), encoding="utf-8")


def _grade_knows(option: str) -> bool:
    """Whether `grade` has `option`: --sandbox is passed from the release that has it."""
    from autograder.cli import build_parser

    return any(option in action.option_strings for action in build_parser()._actions)


def main(argv: list[str] | None = None) -> None:
    """run_autograder's command: `python -m autograder.engines.gradescope FLAGS...`."""
    code = run(sys.argv[1:] if argv is None else argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as `grade` does: nothing left to tear down but torch


if __name__ == "__main__":
    main()

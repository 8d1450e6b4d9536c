"""Gradescope's autograder bundle, run as Gradescope runs it: unpacked into a root, its
setup.sh installing the wheel in the zip into a fresh virtual environment, its
run_autograder grading a submission placed there into results.json.

Unlike on Gradescope, setup.sh finds its Python ($AUTOGRADER_PYTHON: a fresh virtual
environment that sees the test environment's torch, numpy, pytest and rich through a .pth
file) and pip may use no index ($PIP_NO_INDEX): its own pip commands run unchanged, torch
is "already satisfied" and the wheel is installed from the zip, and nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path

import pytest

from autograder.api import BadOption, cuda_available, grade
from autograder.cli import build_parser
from autograder.engines import TORCH_CPU_INDEX, torch_version
from autograder.engines.gradescope import build_bundle, grade_flags, setup_script
from autograder.messages import render
from tests.engine_helpers import SGD_NOT_DIVIDED, fresh_venv, offline_environment
from tests.helpers import ROOT, copy_solutions, mistake, with_function
from tests.test_report import assert_follows_the_specification
from tests.test_sandbox import outcomes


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The zip `autograder gradescope build` writes by default (its wheel built here)."""
    return build_bundle(tmp_path_factory.mktemp("bundle") / "autograder.zip")


@pytest.fixture(scope="module")
def gradescope(bundle) -> dict[str, str]:
    """An /autograder of our own, set up as Gradescope sets one up, and the environment
    variables that point the bundle's scripts at it. Like Gradescope's, every user may
    enter its folders (pytest's own temporary folders admit only their owner)."""
    base = Path(tempfile.mkdtemp(prefix="gradescope-"))
    base.chmod(0o755)
    try:
        yield _set_up(bundle, base / "autograder")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _set_up(bundle: Path, root: Path) -> dict[str, str]:
    source = root / "source"
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            archive.extract(info, source)
            (source / info.filename).chmod(info.external_attr >> 16 & 0o777)
    # Gradescope copies run_autograder to the root when it builds the image.
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    variables = {"AUTOGRADER_ROOT": str(root),
                 "AUTOGRADER_PYTHON": str(fresh_venv(root.parent / "venv"))}
    setup = subprocess.run(["bash", str(source / "setup.sh")], cwd=source, timeout=600,
                           env=offline_environment(**variables), capture_output=True, text=True)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    installed = subprocess.run([variables["AUTOGRADER_PYTHON"], "-I", "-c",
                                "import autograder; print(autograder.__file__)"],
                               check=True, capture_output=True, text=True).stdout
    assert installed.startswith(str(root.parent / "venv")), installed  # the zip's wheel
    return variables


def run_autograder(gradescope: dict[str, str], upload: Path | None,
                   command: tuple[str, ...] = ()) -> tuple[dict, str]:
    """Place `upload` (a folder, or nothing) in root/submission, run root/run_autograder
    (or `command`), and return results.json and what the run printed."""
    root = Path(gradescope["AUTOGRADER_ROOT"])
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
    if upload is None:
        (root / "submission").mkdir()
    else:
        shutil.copytree(upload, root / "submission")
    run = subprocess.run(list(command) or [str(root / "run_autograder")], cwd=root.parent,
                         timeout=600, env=offline_environment(**gradescope),
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((root / "results" / "results.json").read_text()), run.stdout


def entries(results: dict) -> list[tuple]:
    return [(t["name"], t["score"], t["max_score"], t["status"], t["output"], t["visibility"])
            for t in results["tests"]]


def test_the_solutions_get_full_marks_on_gradescope(gradescope, tmp_path):
    results, printed = run_autograder(gradescope, copy_solutions(tmp_path / "upload"))
    assert_follows_the_specification(results)
    assert results["score"] == results["max_score"] > 0
    assert {t["status"] for t in results["tests"]} == {"passed"}
    assert {t["visibility"] for t in results["tests"]} == {"visible"}
    assert results["output"] in printed  # the report, for the instructor, on stdout


def test_a_mistake_is_graded_as_grade_grades_it(gradescope, tmp_path):
    upload = tmp_path / "upload"
    # A student who zipped their folder: the exercises one folder down.
    submission = mistake(upload, "linear_regression", SGD_NOT_DIVIDED)
    assert submission == upload / "submission"
    results, _ = run_autograder(gradescope, upload)
    assert_follows_the_specification(results)
    expected = grade(submission, device="all", lang="en").to_gradescope()
    assert entries(results) == entries(expected)
    assert results["score"] == expected["score"] < results["max_score"] == expected["max_score"]
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["tags"][:2] == ["linear_regression", "sgd"] for t in failed)
    assert render("sgd.not_divided", "en") in failed[0]["output"]
    ran = {t["tags"][2] for t in results["tests"]}
    assert ran == ({"cpu", "cuda"} if cuda_available() else {"cpu", "placement"})  # no skipped cuda


def test_an_upload_without_exercises_scores_zero_and_says_what_to_upload(gradescope, tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "notes.txt").write_text("my homework\n")
    results, _ = run_autograder(gradescope, upload)
    assert_follows_the_specification(results)
    assert results["score"] == 0 and results["tests"] == []
    assert results["output"].startswith("Your upload holds no exercise file")
    assert "linear_regression.py" in results["output"]


def test_the_bundle_installs_the_pinned_cpu_torch_and_the_wheel(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        setup = archive.read("setup.sh").decode()
        run = archive.read("run_autograder").decode()
        constraints = archive.read("constraints.txt").decode()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    wheel = next(name for name in names if name.endswith(".whl"))
    assert {"setup.sh", "run_autograder", "constraints.txt", wheel} == names
    assert wheel.startswith("d2l_autograder-")
    assert all(modes[name] & stat.S_IXUSR for name in ("setup.sh", "run_autograder"))
    pinned = (ROOT / "constraints.txt").read_text().split("torch==")[1].split()[0]
    assert torch_version() == pinned and constraints == f"torch=={pinned}\n"
    assert f'pip install "torch=={pinned}" --index-url {TORCH_CPU_INDEX}' in setup
    assert f'"$SOURCE/{wheel}"' in setup
    assert 0 < setup.index("apt-get update") < setup.index("apt-get install")
    assert run.rstrip().endswith(" ".join(grade_flags()))


def test_gradescope_grades_in_auto_by_default_and_strict_when_built_so(bundle, tmp_path):
    has_sandbox = any("--sandbox" in action.option_strings for action in build_parser()._actions)
    assert has_sandbox and grade_flags()[-2:] == ["--sandbox", "auto"]
    with zipfile.ZipFile(bundle) as archive:
        assert archive.read("run_autograder").decode().rstrip().endswith("--sandbox auto")
        wheel = next(name for name in archive.namelist() if name.endswith(".whl"))
        archive.extract(wheel, tmp_path)
    strict = build_bundle(tmp_path / "strict.zip", wheel=tmp_path / wheel, sandbox="strict")
    with zipfile.ZipFile(strict) as archive:
        assert archive.read("run_autograder").decode().rstrip().endswith("--sandbox strict")
    with pytest.raises(BadOption, match="--sandbox off"):
        build_bundle(tmp_path / "off.zip", wheel=tmp_path / wheel, sandbox="off")


# -- in a container that refuses namespaces ---------------------------------------------

# Each attack is a statement that succeeds only where the worker may do it.
CONTAINER_ATTACKS = {
    "read_reference": "open({reference!r}).read()",
    "import_reference": "__import__('importlib').import_module('autograder.reference.activations')",
    "read_suites": "open({suite!r}).read()",
    "read_the_wheel": "open({wheel!r}, 'rb').read()",
    "write_the_graders_venv": "open({probe!r}, 'w').write('x = 1')",
    "open_etc_passwd_for_writing": "open('/etc/passwd', 'a').close()",  # writes nothing
    "be_root": "assert __import__('os').geteuid() == 0",
}
# relu tries each, prints how it went, and answers wrongly so that its output is reported.
CONTAINER_RELU = """
def relu(X):
    for name, statement in {attacks!r}.items():
        try:
            exec(statement, {{}})
            print("ATTACK", name, "worked")
        except Exception as error:
            print("ATTACK", name, "blocked", type(error).__name__)
    return X
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope runs the bundle as root")
@pytest.mark.parametrize("mode", ["auto", "off"])
def test_the_bundle_grades_in_a_container_that_refuses_namespaces(gradescope, tmp_path, mode):
    """Under a seccomp profile like Docker's default (no unshare, mount, pivot_root), the
    bundle still grades every student, with what remains: a uid of the workers' own,
    which reads neither the reference nor the suites and writes nothing of the grader's.
    The control: the same attacks work with --sandbox off."""
    python = gradescope["AUTOGRADER_PYTHON"]
    package = Path(subprocess.run([python, "-I", "-c", "import autograder; print(autograder"
                                   ".__file__)"], check=True, capture_output=True,
                                  text=True).stdout.strip()).parent
    probe = package / f"container_probe_{uuid.uuid4().hex[:8]}.py"
    wheel = next(Path(gradescope["AUTOGRADER_ROOT"], "source").glob("*.whl"))
    values = {"wheel": str(wheel), "reference": str(package / "reference" / "activations.py"),
              "suite": str(package / "exercises" / "activations" / "test_activations.py"),
              "probe": str(probe)}
    attacks = {name: text.format(**values) for name, text in CONTAINER_ATTACKS.items()}
    upload = with_function(copy_solutions(tmp_path / "upload"), "activations",
                           CONTAINER_RELU.format(attacks=attacks))
    container = (sys.executable, str(ROOT / "tests" / "container.py"))
    root = Path(gradescope["AUTOGRADER_ROOT"])
    command = ((*container, str(root / "run_autograder")) if mode == "auto" else
               (*container, python, "-I", "-m", "autograder.engines.gradescope",
                "--device", "cpu", "--sandbox", "off"))
    try:
        results, _ = run_autograder(gradescope, upload, command)
    finally:
        written = probe.exists()
        probe.unlink(missing_ok=True)
    assert_follows_the_specification(results)
    relu = [t for t in results["tests"] if t["tags"][1] == "relu"]
    seen = outcomes(relu[0]["output"])
    if mode == "off":
        assert seen == {name: "worked" for name in CONTAINER_ATTACKS}, seen
        return
    assert seen == {name: "blocked" for name in CONTAINER_ATTACKS}, seen
    assert not written
    isolation = results["extra_data"]["isolation"]
    assert isolation.startswith("Isolation (auto): " + render("sandbox.layer.user_root", "en"))
    for layer in ("mount", "pid", "net"):
        assert render(f"sandbox.layer.{layer}", "en") in isolation.split("missing:")[1]
    # Every function but relu is the reference's: the workers still import and run.
    assert all(t["status"] == "passed" for t in results["tests"] if t not in relu)


# Stand-ins for a fresh image's apt-get and python3, which only write down how they were
# called; the venv python3 makes does the same.
FAKE_APT_GET = '#!/bin/sh\necho "apt-get $*" >> "$CALLS"\n'
FAKE_PYTHON3 = """#!/bin/sh
echo "python3 $*" >> "$CALLS"
mkdir -p "$3/bin"
printf '#!/bin/sh\\necho "venv-python $*" >> "$CALLS"\\n' > "$3/bin/python"
chmod +x "$3/bin/python"
"""


def test_setup_sh_on_a_fresh_image_updates_the_package_lists_before_installing(tmp_path):
    """A fresh image has no Python of its own and empty package lists: setup.sh runs
    apt-get update, then apt-get install, then makes the virtual environment."""
    fakes, calls, root = tmp_path / "bin", tmp_path / "calls.txt", tmp_path / "autograder"
    fakes.mkdir()
    for name, text in (("apt-get", FAKE_APT_GET), ("python3", FAKE_PYTHON3)):
        (fakes / name).write_text(text)
        (fakes / name).chmod(0o755)
    script = tmp_path / "setup.sh"
    script.write_text(setup_script("d2l_autograder-1-py3-none-any.whl", torch_version()))
    environment = {"PATH": f"{fakes}:/usr/bin:/bin", "CALLS": str(calls),
                   "AUTOGRADER_ROOT": str(root)}
    done = subprocess.run(["bash", str(script)], env=environment, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    seen = calls.read_text().splitlines()
    assert seen[:3] == ["apt-get update", "apt-get install -y python3 python3-venv python3-pip",
                        f"python3 -m venv {root}/venv"]
    assert seen[3].startswith(f'venv-python -m pip install torch=={torch_version()}')


def test_gpu_bundles_install_the_cuda_build_and_options_reach_run_autograder(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        wheel = next(name for name in archive.namelist() if name.endswith(".whl"))
        archive.extract(wheel, tmp_path)
    gpu = build_bundle(tmp_path / "gpu.zip", gpu=True, wheel=tmp_path / wheel,
                       visibility="after_published", lang="zh", timeout=10)
    with zipfile.ZipFile(gpu) as archive:
        setup = archive.read("setup.sh").decode()
        run = archive.read("run_autograder").decode()
    assert f'pip install "torch=={torch_version()}"\n' in setup and "--index-url" not in setup
    assert "--visibility after_published" in run and "--lang zh" in run
    assert "--timeout 10" in run


def test_build_refuses_what_grade_refuses_and_keeps_an_existing_zip(tmp_path):
    with pytest.raises(BadOption, match="--visibility"):
        build_bundle(tmp_path / "a.zip", visibility="students", wheel=tmp_path / "x.whl")
    with pytest.raises(BadOption, match="--timeout"):
        build_bundle(tmp_path / "a.zip", timeout=0, wheel=tmp_path / "x.whl")
    existing = tmp_path / "b.zip"
    existing.write_text("keep me")
    with pytest.raises(FileExistsError):
        build_bundle(existing, wheel=tmp_path / "x.whl")
    assert existing.read_text() == "keep me"

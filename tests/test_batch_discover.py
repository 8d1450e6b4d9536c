"""Finding the students of a class in each form SUBMISSIONS may take, and what is skipped."""

from __future__ import annotations

import io
import json
import os
import random
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.batch import discover
from autograder.batch.discover import (
    MAX_ID_BYTES,
    MAX_ID_CHARS,
    MAX_ZIP_BYTES,
    MAX_ZIP_ENTRIES,
    Skipped,
    Student,
    content_digest,
    find_students,
    safe_id,
)
from autograder.messages import render
from autograder.submission import NotASubmission, _size, find_submission
from tests.helpers import MODULES, SOLUTIONS, copy_solutions
from tests.notebook_helpers import write

FILES = ", ".join(f"{module}.py" for module in MODULES)
NO_MODULE = render("batch.discover.no_module", files=FILES)


def solutions() -> dict[str, bytes]:
    """The reference modules, as a student would zip them: name -> bytes."""
    return {p.name: p.read_bytes() for p in SOLUTIONS.glob("*.py") if p.name != "__init__.py"}


def make_zip(path: Path, members: dict[str, bytes | str], prefix: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            bundle.writestr(prefix + name, data)
    return path


def notebook() -> dict:
    """A minimal notebook holding one code cell: enough to be found."""
    return {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                       "outputs": [], "source": "x = 1\n"}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def discovered(submissions: Path, tmp_path: Path, lang: str = "en"):
    return find_students(submissions, scratch=tmp_path / "scratch", lang=lang)


def by_id(students: list[Student]) -> dict[str, Student]:
    return {s.id: s for s in students}


def reasons(skipped: list[Skipped]) -> dict[str, str]:
    return {s.path.name: s.reason for s in skipped}


def unpacked_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


# -- the four forms -------------------------------------------------------------------------

def test_a_folder_of_student_folders(tmp_path):
    submissions = tmp_path / "class"
    copy_solutions(submissions / "bob")
    copy_solutions(submissions / "alice")
    copy_solutions(submissions / "dave" / "homework")  # one folder down
    (submissions / "carol").mkdir()  # nothing in it
    (submissions / "README.txt").write_text("grading notes")
    (submissions / ".DS_Store").write_bytes(b"\0")  # hidden: not listed at all
    (submissions / "__MACOSX").mkdir()

    students, skipped = discovered(submissions, tmp_path)

    assert [s.id for s in students] == ["alice", "bob", "dave"]
    alice, dave = by_id(students)["alice"], by_id(students)["dave"]
    assert alice.path == (submissions / "alice").absolute() == alice.source.absolute()
    assert dave.path == (submissions / "dave" / "homework").absolute()
    assert dave.source == submissions / "dave" and dave.name == "dave"
    assert set(find_submission(alice.path).modules) == set(MODULES)
    assert reasons(skipped) == {"carol": NO_MODULE,
                                "README.txt": render("batch.discover.stray_file")}
    assert list((tmp_path / "scratch").iterdir()) == []  # folders are graded where they are


def nbgrader_course(root: Path, students: dict[str, list[str]]) -> Path:
    """What `nbgrader collect` leaves: submitted/<student>/<assignment>/<assignment>.ipynb."""
    (root / "source").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    for student, assignments in students.items():
        for module in assignments:
            write(notebook(), root / "submitted" / student / module / f"{module}.ipynb")
    return root


@pytest.mark.parametrize("given", ["course root", "submitted"])
def test_an_nbgrader_tree(tmp_path, given):
    course = nbgrader_course(tmp_path / "course", {
        "alice": ["linear_regression", "softmax_regression"], "bob": ["activations"]})
    (course / "submitted" / "eve").mkdir()  # collected nothing
    submissions = course if given == "course root" else course / "submitted"

    students, skipped = discovered(submissions, tmp_path)

    assert [s.id for s in students] == ["alice", "bob"]
    alice = by_id(students)["alice"]
    assert alice.path == (course / "submitted" / "alice").absolute()
    assert sorted(find_submission(alice.path).notebooks) == ["linear_regression",
                                                            "softmax_regression"]
    assert reasons(skipped) == {"eve": NO_MODULE}


def test_a_folder_named_submitted_among_students_is_a_student(tmp_path):
    submissions = tmp_path / "class"
    copy_solutions(submissions / "submitted")
    copy_solutions(submissions / "alice")
    students, _ = discovered(submissions, tmp_path)
    assert [s.id for s in students] == ["alice", "submitted"]


def test_per_student_zips_are_unpacked_under_scratch(tmp_path):
    submissions = tmp_path / "downloads"
    flat = {**solutions(), "README.md": "notes", "data/big.csv": "1,2\n"}
    make_zip(submissions / "alice.zip", flat)
    make_zip(submissions / "bob.ZIP", solutions(), prefix="bob_hw1/")  # one top folder
    make_zip(submissions / "carol.zip", solutions(), prefix="carol/week 1/")  # two down
    make_zip(submissions / "dan.zip", solutions(), prefix="a/b/c/")  # three: too deep
    notebooks = {f"{m}/{m}.ipynb": json.dumps(notebook()) for m in MODULES[:2]}
    make_zip(submissions / "erin.zip", {**notebooks, "__MACOSX/._linear_regression.py": "x"})
    # A Windows tool's zip: "\\" between the parts of a name.
    windows = {f"hw\\{name}": source for name, source in solutions().items()}
    make_zip(submissions / "fay.zip", windows)

    students, skipped = discovered(submissions, tmp_path)

    scratch = tmp_path / "scratch"
    assert [s.id for s in students] == ["alice", "bob", "carol", "erin", "fay"]
    found = by_id(students)
    assert found["alice"].path == (scratch / "alice").absolute()
    assert found["alice"].source == submissions / "alice.zip"
    # Only what grading reads is unpacked.
    assert unpacked_files(scratch / "alice") == set(solutions())
    assert found["bob"].path == (scratch / "bob" / "bob_hw1").absolute()
    assert found["carol"].path == (scratch / "carol" / "carol" / "week 1").absolute()
    assert unpacked_files(scratch / "erin") == set(notebooks)
    assert sorted(find_submission(found["erin"].path).notebooks) == MODULES[:2]
    assert found["fay"].path == (scratch / "fay" / "hw").absolute()
    assert reasons(skipped) == {"dan.zip": NO_MODULE}
    # Nothing is left of the zip that was skipped, nor of the unpacking.
    assert sorted(p.name for p in scratch.iterdir()) == ["alice", "bob", "carol", "erin", "fay"]


def test_a_second_run_replaces_what_the_first_unpacked(tmp_path):
    submissions = tmp_path / "downloads"
    make_zip(submissions / "alice.zip", solutions())
    discovered(submissions, tmp_path)
    (tmp_path / "scratch" / "alice" / "stale.py").write_text("left by the first run")
    students, _ = discovered(submissions, tmp_path)
    assert unpacked_files(students[0].path) == set(solutions())


GRADESCOPE_METADATA = """\
submission_1001:
  :submitters:
  - :name: Ada Lovelace
    :sid: '1815'
    :email: ada@example.edu
  :created_at: 2024-03-01 10:00:00.000000000 -08:00
  :score: 10.0
  :history:
  - :submitters:
    - :sid: 'not-this-one'
submission_1002:
  :submitters:
  - :name: Alan Turing
    :email: alan.turing@example.edu
  - :name: Partner
    :sid: '999'
  :created_at: 2024-03-01 11:00:00.000000000 -08:00
submission_1003:
  :submitters:
  - :name: No Identity
  :created_at: 2024-03-01 12:00:00.000000000 -08:00
"""


def gradescope_export(root: Path, metadata: str = GRADESCOPE_METADATA) -> Path:
    """Gradescope's "Export Submissions": the metadata beside one folder per submission."""
    copy_solutions(root / "submission_1001")
    copy_solutions(root / "submission_1002" / "my_project")  # the student uploaded a folder
    copy_solutions(root / "submission_1003")
    (root / "submission_1004").mkdir()  # nothing graded
    (root / "submission_metadata.yml").write_text(metadata)
    return root


EXPECTED_GRADESCOPE_IDS = {"1815": "submission_1001", "alan.turing": "submission_1002",
                           "submission_1003": "submission_1003"}


def gradescope_ids(students: list[Student]) -> dict[str, str]:
    return {s.id: s.source.name for s in students}


@pytest.mark.parametrize("reader", ["yaml", "lines"])
def test_a_gradescope_export_names_students_by_sid_then_email(tmp_path, monkeypatch, reader):
    if reader == "lines":
        monkeypatch.setitem(sys.modules, "yaml", None)  # as where PyYAML is not installed
    else:
        pytest.importorskip("yaml")
    export = gradescope_export(tmp_path / "assignment_77_export")

    students, skipped = discovered(export, tmp_path)

    assert gradescope_ids(students) == EXPECTED_GRADESCOPE_IDS
    found = by_id(students)
    assert found["alan.turing"].path == (export / "submission_1002" / "my_project").absolute()
    assert found["1815"].name == "1815"
    assert reasons(skipped) == {"submission_1004": NO_MODULE}  # the metadata is not listed


def test_gradescope_metadata_that_yaml_refuses_is_read_by_lines(tmp_path):
    # Ruby may tag what it writes; safe_load refuses tags it does not know.
    tagged = GRADESCOPE_METADATA.replace(
        "  :score: 10.0\n", "  :results: !ruby/hash:ActiveSupport::HashWithIndifferentAccess\n"
                            "    score: 10.0\n")
    export = gradescope_export(tmp_path / "export", tagged)
    students, _ = discovered(export, tmp_path)
    assert gradescope_ids(students) == EXPECTED_GRADESCOPE_IDS


def test_an_export_unzipped_into_a_folder_of_its_own(tmp_path):
    gradescope_export(tmp_path / "downloads" / "assignment_77_export")
    students, _ = discovered(tmp_path / "downloads", tmp_path)
    assert gradescope_ids(students) == EXPECTED_GRADESCOPE_IDS


def test_folders_and_zips_mix_in_one_folder(tmp_path):
    submissions = tmp_path / "class"
    copy_solutions(submissions / "alice")
    make_zip(submissions / "bob.zip", solutions())
    students, skipped = discovered(submissions, tmp_path)
    assert [(s.id, s.source.name) for s in students] == [("alice", "alice"), ("bob", "bob.zip")]
    assert skipped == []


# -- unsafe zips ----------------------------------------------------------------------------

def zip_with(path: Path, name: str, data: bytes = b"x = 1\n", *, mode: int | None = None,
             modules: bool = True) -> Path:
    """A zip of the solutions (or not), plus one entry written as given."""
    with zipfile.ZipFile(path, "w") as bundle:
        for module, source in (solutions().items() if modules else []):
            bundle.writestr(module, source)
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.create_system = 3  # Unix, so that the mode counts
            info.external_attr = mode << 16
        bundle.writestr(info, data)
    return path


@pytest.mark.parametrize("name", ["../evil.py", "../../evil.txt", "/ABSOLUTE/evil.py",
                                  "..\\evil.py", "C:/evil.py", "ok/../../evil.py",
                                  "line\nbreak.py"])
def test_a_zip_with_a_name_that_leaves_its_folder_is_not_unpacked(tmp_path, name):
    submissions = tmp_path / "class"
    submissions.mkdir()
    absolute = name.replace("/ABSOLUTE", str(tmp_path))
    zip_with(submissions / "mallory.zip", absolute)

    students, skipped = discovered(submissions, tmp_path)

    assert students == []
    shown = absolute.replace("\n", "?")
    assert reasons(skipped) == {"mallory.zip": render("batch.discover.zip_unsafe",
                                                      member=shown)}
    assert not any(p.name == "evil.py" for p in tmp_path.rglob("*"))
    assert list((tmp_path / "scratch").iterdir()) == []


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_name_used_twice_in_a_zip_is_refused(tmp_path):
    submissions = tmp_path / "class"
    submissions.mkdir()
    zip_with(submissions / "mallory.zip", "linear_regression.py", b"def sgd(): pass\n")
    _, skipped = discovered(submissions, tmp_path)
    assert reasons(skipped) == {"mallory.zip": render("batch.discover.zip_unsafe",
                                                      member="linear_regression.py")}


def test_links_and_devices_in_a_zip_are_never_written(tmp_path):
    submissions = tmp_path / "class"
    submissions.mkdir()
    outside = tmp_path / "secret.py"
    outside.write_text("SECRET = 1\n")
    zip_with(submissions / "alice.zip", "helper.py", str(outside).encode(),
             mode=stat.S_IFLNK | 0o777)
    zip_with(submissions / "bob.zip", "pipe.py", b"", mode=stat.S_IFIFO | 0o644)
    # The only module is a link out: nothing of the zip can be graded.
    zip_with(submissions / "mallory.zip", "linear_regression.py", str(outside).encode(),
             mode=stat.S_IFLNK | 0o777, modules=False)

    students, skipped = discovered(submissions, tmp_path)

    assert [s.id for s in students] == ["alice", "bob"]
    for student in students:
        assert unpacked_files(student.path) == set(solutions())
        assert not any(p.is_symlink() for p in student.path.rglob("*"))
    assert reasons(skipped) == {"mallory.zip": NO_MODULE}


def test_a_zip_with_too_many_entries_is_not_unpacked(tmp_path):
    submissions = tmp_path / "class"
    submissions.mkdir()
    count = MAX_ZIP_ENTRIES + 1
    with zipfile.ZipFile(submissions / "bomb.zip", "w", zipfile.ZIP_STORED) as bundle:
        for number in range(count - len(solutions())):
            bundle.writestr(f"f/{number}.txt", b"")
        for module, source in solutions().items():
            bundle.writestr(module, source)

    students, skipped = discovered(submissions, tmp_path)

    assert students == []
    assert reasons(skipped) == {"bomb.zip": render("batch.discover.zip_too_many", count=count,
                                                   limit=MAX_ZIP_ENTRIES)}


def test_a_zip_that_would_unpack_past_the_limit_is_not_unpacked(tmp_path):
    # A real bomb at the real limit: zeros deflate about a thousand to one.
    submissions = tmp_path / "class"
    submissions.mkdir()
    size = MAX_ZIP_BYTES + 1
    with zipfile.ZipFile(submissions / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for module, source in solutions().items():
            bundle.writestr(module, source)
        with bundle.open("zeros.py", "w") as stream:
            chunk = b"\0" * 2**20
            for _ in range(size // len(chunk)):
                stream.write(chunk)
            stream.write(b"\0" * (size % len(chunk)))
    assert (submissions / "bomb.zip").stat().st_size < MAX_ZIP_BYTES // 100
    total = size + sum(len(source) for source in solutions().values())

    students, skipped = discovered(submissions, tmp_path)

    assert students == []
    assert reasons(skipped) == {"bomb.zip": render("batch.discover.zip_too_large",
                                                   size=_size(total),
                                                   limit=_size(MAX_ZIP_BYTES))}
    assert list((tmp_path / "scratch").iterdir()) == []


def test_large_files_that_grading_does_not_read_do_not_count(tmp_path):
    submissions = tmp_path / "class"
    submissions.mkdir()
    with zipfile.ZipFile(submissions / "alice.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for module, source in solutions().items():
            bundle.writestr(module, source)
        bundle.writestr("data/weights.bin", b"\0" * (MAX_ZIP_BYTES + 1))
    students, _ = discovered(submissions, tmp_path)
    assert [s.id for s in students] == ["alice"]


def damaged_zips(folder: Path) -> dict[str, str]:
    """name -> how it is damaged."""
    rng = random.Random(0)
    (folder / "noise.zip").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (folder / "empty.zip").write_bytes(b"")
    whole = make_zip(folder / "whole.zip", solutions()).read_bytes()
    (folder / "whole.zip").unlink()
    (folder / "truncated.zip").write_bytes(whole[: len(whole) // 2])
    # A flipped byte inside a member's compressed data: its CRC no longer matches.
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as bundle:
        bundle.writestr("linear_regression.py", b"def sgd(params, lr, batch_size): pass\n")
    data = bytearray(stored.getvalue())
    data[data.index(b"def sgd")] ^= 0x01
    (folder / "bad_crc.zip").write_bytes(bytes(data))
    return {"noise.zip": "noise", "empty.zip": "empty", "truncated.zip": "truncated",
            "bad_crc.zip": "crc"}


def test_a_damaged_zip_is_skipped_with_the_reason(tmp_path):
    submissions = tmp_path / "class"
    submissions.mkdir()
    damaged = damaged_zips(submissions)
    students, skipped = discovered(submissions, tmp_path)
    assert students == []
    unreadable = render("batch.discover.zip_unreadable")
    assert reasons(skipped) == dict.fromkeys(damaged, unreadable)
    assert list((tmp_path / "scratch").iterdir()) == []


# -- digests --------------------------------------------------------------------------------

def test_the_digest_follows_the_content_and_only_the_content(tmp_path):
    submissions = tmp_path / "class"
    copy_solutions(submissions / "alice")
    copy_solutions(submissions / "bob")
    make_zip(submissions / "carol.zip", solutions())
    (submissions / "bob" / "notes.md").write_text("not read by grading")

    first, _ = find_students(submissions, scratch=tmp_path / "one")
    again, _ = find_students(submissions, scratch=tmp_path / "two")
    digests = {s.id: s.digest for s in first}

    assert digests == {s.id: s.digest for s in again}
    # The same files give the same digest, in a folder or a zip, whatever else lies there.
    assert len(set(digests.values())) == 1
    assert all(len(d) == 64 and int(d, 16) >= 0 for d in digests.values())

    module = submissions / "alice" / "activations.py"
    source = bytearray(module.read_bytes())
    source[len(source) // 2] ^= 0x20  # one byte
    module.write_bytes(bytes(source))
    changed, _ = find_students(submissions, scratch=tmp_path / "three")
    assert by_id(changed)["alice"].digest != digests["alice"]
    assert by_id(changed)["bob"].digest == digests["bob"]


def test_the_digest_tells_files_apart_by_name_and_notebooks_count(tmp_path):
    one = copy_solutions(tmp_path / "one")
    other = copy_solutions(tmp_path / "other")
    (other / "activations.py").rename(other / "activation.py")
    assert content_digest(one) != content_digest(other)
    before = content_digest(one)
    write(notebook(), one / "concise" / "concise.ipynb")
    assert content_digest(one) != before
    before = content_digest(one)
    (one / "__pycache__").mkdir()
    (one / "__pycache__" / "cached.py").write_text("x = 1\n")  # staging never reads it
    assert content_digest(one) == before


def test_the_digest_never_opens_a_fifo(tmp_path):
    folder = copy_solutions(tmp_path / "alice")
    os.mkfifo(folder / "pipe.py")
    assert len(content_digest(folder)) == 64  # returns: the FIFO was not opened


LINREG = "linear_regression"


def answered_linreg(path: Path) -> Path:
    """The course notebook of linear_regression, answered right."""
    from tests.notebook_helpers import answered, released, source_notebook

    source = source_notebook(LINREG)
    write(answered(released(source), source), path)
    return path


def test_the_digest_reads_nothing_behind_a_link_out_and_counts_the_link(tmp_path):
    bob = tmp_path / "class" / "bob"
    write(notebook(), bob / LINREG / f"{LINREG}.ipynb")
    write(notebook(), tmp_path / "class" / "carol" / LINREG / f"{LINREG}.ipynb")
    alice = copy_solutions(tmp_path / "class" / "alice")
    (alice / f"{LINREG}.py").unlink()
    (alice / LINREG).symlink_to(f"../bob/{LINREG}")
    secret = tmp_path / "secret.py"
    secret.write_text("ANSWER = 1\n")
    (alice / "peek.py").symlink_to(secret)
    before = content_digest(alice)
    changed = notebook()
    changed["cells"][0]["source"] = "x = 2\n"
    write(changed, bob / LINREG / f"{LINREG}.ipynb")
    secret.write_text("ANSWER = 2\n")
    assert content_digest(alice) == before  # what lies outside is never read
    (alice / LINREG).unlink()
    (alice / LINREG).symlink_to(f"../carol/{LINREG}")  # another target: another grade
    assert content_digest(alice) != before


def test_the_digest_counts_a_notebook_behind_a_link_inside_and_past_4_mb(tmp_path):
    alice = tmp_path / "alice"
    drafts = alice / ".drafts" / LINREG / f"{LINREG}.ipynb"  # a folder staging never walks
    write(notebook(), drafts)
    (alice / LINREG).symlink_to(f".drafts/{LINREG}")  # find_submission follows it: inside
    before = content_digest(alice)
    changed = notebook()
    changed["cells"][0]["source"] = "x = 2\n"
    write(changed, drafts)
    assert content_digest(alice) != before
    large = notebook()
    large["cells"][0]["source"] = "#" * (5 * 2**20) + "\nx = 1\n"  # a notebook may be 16 MB
    write(large, drafts)
    before = content_digest(alice)
    large["cells"][0]["source"] = large["cells"][0]["source"].replace("x = 1", "x = 2")
    write(large, drafts)
    assert content_digest(alice) != before


def test_a_link_at_depth_to_another_students_notebooks_is_found_and_refused(tmp_path):
    submissions = tmp_path / "class"
    answered_linreg(submissions / "bob" / LINREG / f"{LINREG}.ipynb")
    src = submissions / "alice" / "project" / "src"  # zipped her project folder: two down
    src.mkdir(parents=True)
    (src / LINREG).symlink_to(f"../../../bob/{LINREG}")
    students, skipped = discovered(submissions, tmp_path)
    alice = by_id(students)["alice"]
    assert alice.path == src.absolute() and skipped == []
    submission = find_submission(alice.path)
    assert submission.plan() == {}
    assert submission.refused[f"{LINREG}.py"].key == "robustness.symlink_outside"


def test_a_class_run_gives_no_student_another_students_notebook_through_a_link(tmp_path):
    from autograder.batch import grade_class

    course = nbgrader_course(tmp_path / "course", {})
    submitted = course / "submitted"
    answered_linreg(submitted / "bob" / LINREG / f"{LINREG}.ipynb")
    (submitted / "alice").mkdir()
    (submitted / "alice" / LINREG).symlink_to(f"../bob/{LINREG}")
    run = grade_class(course, out=tmp_path / "out", jobs=1, device="cpu", lang="en")
    rows = {record.student: record for record in run.records}
    earned, worth = rows["bob"].modules[LINREG]
    assert earned == worth > 0
    assert rows["alice"].graded and rows["alice"].modules[LINREG] == [0, worth]
    results = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())
    assert {t["output"] for t in results["tests"] if t["name"].startswith(LINREG)} == {
        f"{LINREG} is a symbolic link to ../bob/{LINREG}, outside the submission, "
        "and was refused."}


# -- ids ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("alice", "alice"), ("Alice Smith", "Alice Smith"), ("张三", "张三"),
    ("a:b", "a_b"), ("tab\there", "tab_here"), ("rtl\u202eevil", "rtl_evil"),
    ("..hidden", "hidden"), ("..", "student"), ("trailing. ", "trailing"),
    ("e\u0301", "\u00e9"), ("a\\b", "a_b"),
])
def test_ids_are_safe_folder_names(name, expected):
    assert safe_id(name) == expected


def test_long_names_are_bounded_in_characters_and_bytes():
    assert len(safe_id("a" * 500)) == MAX_ID_CHARS
    chinese = safe_id("张" * 500)
    assert len(chinese.encode()) <= MAX_ID_BYTES and chinese == "张" * len(chinese)


def test_ids_are_unique_and_an_unchanged_name_keeps_its_own(tmp_path):
    submissions = tmp_path / "class"
    for name in ("a:b", "a_b", "Alice", "alice", "class.md", "z" * 200, "z" * 201):
        copy_solutions(submissions / name)
    make_zip(submissions / "alice.zip", solutions())  # the same name as the folder
    copy_solutions(submissions / "a_b-2")  # a real name that a suffix must not take

    students, skipped = discovered(submissions, tmp_path)

    assert skipped == []
    ids = {(s.source.name, s.id) for s in students}
    long_id = "z" * MAX_ID_CHARS
    assert ids == {("a_b", "a_b"), ("a_b-2", "a_b-2"), ("a:b", "a_b-3"),
                   ("Alice", "Alice"), ("alice", "alice-2"), ("alice.zip", "alice-3"),
                   ("class.md", "class.md-2"),
                   ("z" * 200, long_id), ("z" * 201, long_id[:-2] + "-2")}
    assert len({s.id.casefold() for s in students}) == len(students)
    assert [s.id for s in students] == sorted(s.id for s in students)
    assert by_id(students)["a_b-3"].name == "a:b"


def test_a_skipped_entry_takes_no_id(tmp_path):
    submissions = tmp_path / "class"
    (submissions / "alice").mkdir(parents=True)  # empty
    make_zip(submissions / "alice.zip", solutions())
    students, skipped = discovered(submissions, tmp_path)
    assert [(s.id, s.source.name) for s in students] == [("alice", "alice.zip")]
    assert reasons(skipped) == {"alice": NO_MODULE}


# -- what is skipped, and SUBMISSIONS itself ------------------------------------------------

def test_links_are_not_followed_out_of_submissions(tmp_path):
    elsewhere = copy_solutions(tmp_path / "elsewhere")
    submissions = tmp_path / "class"
    copy_solutions(submissions / "alice")
    (submissions / "bob").symlink_to(elsewhere)
    make_zip(tmp_path / "carol.zip", solutions())
    (submissions / "carol.zip").symlink_to(tmp_path / "carol.zip")
    (submissions / "dave").mkdir()
    (submissions / "dave" / "homework").symlink_to(elsewhere)  # a link one folder down

    students, skipped = discovered(submissions, tmp_path)

    assert [s.id for s in students] == ["alice"]
    link = render("batch.discover.symlink")
    assert reasons(skipped) == {"bob": link, "carol.zip": link, "dave": NO_MODULE}


def test_a_folder_with_two_candidate_submissions_is_not_guessed(tmp_path):
    submissions = tmp_path / "class"
    copy_solutions(submissions / "alice" / "v1")
    copy_solutions(submissions / "alice" / "v2")
    _, skipped = discovered(submissions, tmp_path)
    assert reasons(skipped) == {"alice": render("batch.discover.ambiguous", folders="v1, v2")}


def test_exercise_files_at_the_top_say_what_submissions_should_hold(tmp_path):
    submissions = copy_solutions(tmp_path / "alice")  # one student's folder, not a class
    students, skipped = discovered(submissions, tmp_path)
    assert students == []
    assert set(reasons(skipped)) == set(solutions())
    assert set(reasons(skipped).values()) == {render("batch.discover.top_level_module")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_submissions_that_is_not_a_folder_raises_one_line(tmp_path, lang):
    missing = tmp_path / "nowhere"
    with pytest.raises(NotASubmission) as raised:
        discovered(missing, tmp_path, lang)
    assert str(raised.value) == render("batch.discover.missing", lang, path=missing)
    a_file = tmp_path / "grades.zip"
    a_file.write_bytes(b"")
    with pytest.raises(NotASubmission) as raised:
        discovered(a_file, tmp_path, lang)
    assert str(raised.value) == render("batch.discover.not_a_folder", lang, path=a_file)
    assert "\n" not in str(raised.value)


def test_a_scratch_folder_overlapping_submissions_is_refused(tmp_path):
    submissions = copy_solutions(tmp_path / "class" / "alice").parent
    with pytest.raises(ValueError):
        find_students(submissions, scratch=submissions / "scratch")
    with pytest.raises(ValueError):
        find_students(submissions, scratch=tmp_path)


def test_reasons_are_in_the_runs_language(tmp_path):
    submissions = tmp_path / "class"
    (submissions / "carol").mkdir(parents=True)
    (submissions / "README.txt").write_text("notes")
    (submissions / "noise.zip").write_bytes(b"not a zip")
    zip_with(submissions / "mallory.zip", "../evil.py")

    _, skipped = discovered(submissions, tmp_path, lang="zh")

    assert reasons(skipped) == {
        "carol": render("batch.discover.no_module", "zh", files=FILES),
        "README.txt": render("batch.discover.stray_file", "zh"),
        "noise.zip": render("batch.discover.zip_unreadable", "zh"),
        "mallory.zip": render("batch.discover.zip_unsafe", "zh", member="../evil.py"),
    }
    for reason in reasons(skipped).values():
        assert any("\u4e00" <= c <= "\u9fff" for c in reason) and "\n" not in reason


def test_finding_students_imports_neither_torch_nor_the_students_code(tmp_path):
    submissions = tmp_path / "class"
    planted = tmp_path / "imported"
    copy_solutions(submissions / "alice")
    # Code that would leave a mark if it ever ran.
    (submissions / "alice" / "activations.py").write_text(
        f"open({str(planted)!r}, 'w').close()\n")
    make_zip(submissions / "bob.zip", {"linear_regression.py":
                                       f"open({str(planted)!r}, 'w').close()\n"})
    script = (f"import sys\nfrom autograder.batch.discover import find_students\n"
              f"students, _ = find_students({str(submissions)!r}, "
              f"scratch={str(tmp_path / 'scratch')!r})\n"
              f"assert [s.id for s in students] == ['alice', 'bob'], students\n"
              f"assert 'torch' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(discover.__file__)
                   .parents[2])
    assert not planted.exists()

"""Finding the students of a class: what `autograder batch SUBMISSIONS` grades.

SUBMISSIONS may be, and may mix:

- a folder of student folders, SUBMISSIONS/<student>/*.py (or notebooks);
- an nbgrader tree, submitted/<student>/<assignment>/<assignment>.ipynb: the folder
  submitted/ itself, or the course root that holds it;
- per-student .zip files, as a learning platform's download gives them (alice.zip);
- a Gradescope "Export Submissions" folder: submission_metadata.yml beside one
  submission_<number>/ folder per submission.

In each student's folder or zip the exercise modules may lie at the top, or one or two
folders down (a student who zipped their project folder): the shallowest folder that
`autograder.submission.find_submission` accepts is the one graded.

Nothing here imports or runs student code: folders are listed, zips are read as data
and only their .py and .ipynb files are written out, under `scratch`. Symbolic links are
never followed out of SUBMISSIONS, nor, in grading and in the content hash, out of a
student's folder (see autograder.submission). Whatever is not a submission comes back as Skipped,
with a reason in the run's language; only a SUBMISSIONS that is not a folder raises.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from autograder import registry
from autograder.messages import render
from autograder.submission import (
    _MAX_FILE_BYTES,
    MAX_NOTEBOOK_BYTES,
    NotASubmission,
    _link_out,
    _size,
    find_submission,
)
from autograder.submission import (
    MAX_DEPTH as MAX_FOLDER_DEPTH,
)

GRADESCOPE_METADATA = "submission_metadata.yml"
# What a course root holds beside submitted/ (nbgrader's own layout): its presence says
# that submitted/ is nbgrader's folder of students, not a student named "submitted".
NBGRADER_MARKS = ("nbgrader_config.py", "gradebook.db", "source", "release", "autograded",
                  "feedback")
# The files a class run writes at the top of OUT: no student's folder may take their name.
RESERVED_IDS = frozenset({"grades.csv", "class.html", "class.md"})
MAX_ID_CHARS = 100
MAX_ID_BYTES = 200  # a folder name's limit is 255 bytes; room for a suffix and a margin
# The deepest folder, below a student's folder or zip, that may hold the exercise modules.
MAX_DEPTH = 2
# A zip is read only within these limits (zip bombs): its entries, and the size of what
# would be unpacked, as its directory declares (zipfile never inflates a member past it).
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_BYTES = 64 * 2**20
UNPACKED_SUFFIXES = (".py", ".ipynb")  # all that grading reads of a submission
_IGNORED = ("__MACOSX", "__pycache__")  # a Mac's resource forks, Python's caches
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Student:
    """A submission found in SUBMISSIONS."""

    id: str  # unique in the class, safe as a folder name under OUT
    path: Path  # the folder to hand to autograder.submission.find_submission
    source: Path  # what SUBMISSIONS holds: the student's folder, .zip, or Gradescope folder
    digest: str  # sha256 of the content grading reads (see content_digest)
    name: str = ""  # the name the id was made from, before it was made safe and unique


@dataclass
class Skipped:
    """An entry of SUBMISSIONS that is not graded, and why (one line)."""

    path: Path
    reason: str


@dataclass
class _Found:
    name: str  # what the id is made from
    source: Path
    path: Path  # the folder holding the exercise modules
    unpacked: Path | None = None  # the zip's folder under scratch, to be named after the id


def find_students(submissions: str | os.PathLike, *, scratch: str | os.PathLike,
                  lang: str = "en") -> tuple[list[Student], list[Skipped]]:
    """The students of SUBMISSIONS, sorted by id, and the entries skipped, sorted by path.

    A zip is unpacked into scratch/<id>/ (what was there is replaced); folders are used
    where they are. Ids come from the folder or file name (Gradescope's: the submitter's
    sid, else the local part of their email, else the folder name), made safe as a folder
    name (see safe_id). Two submissions whose ids would be equal (ignoring case, as a
    Mac's or Windows' disk does) are both graded: the first, in the order of their names,
    keeps the id, and the next ones get "-2", "-3"... A name already safe wins over one
    that had to be changed, and a suffixed id never takes another student's own.

    Raises NotASubmission (one line, in `lang`) when SUBMISSIONS is not a folder, and
    ValueError when `scratch` and SUBMISSIONS overlap (scratch/<id> is replaced).
    """
    root, gradescope = _root(Path(submissions), lang)
    scratch = Path(scratch)
    _check_apart(Path(submissions), scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    names = _gradescope_names(root) if gradescope else {}
    found: list[_Found] = []
    skipped: list[Skipped] = []
    for entry in _entries(root, lang):
        if gradescope and entry.name == GRADESCOPE_METADATA:
            continue
        result = _examine(entry, names.get(entry.name), scratch, lang)
        if isinstance(result, Skipped):
            skipped.append(result)
        elif result is not None:
            found.append(result)
    students = [_student(item, id_, scratch) for item, id_ in _assign_ids(found)]
    return (sorted(students, key=lambda s: s.id),
            sorted(skipped, key=lambda s: s.path.name))


def safe_id(name: str) -> str:
    """`name` made safe as a folder name on any disk: NFC; no separator, control or
    invisible formatting character, nor one Windows forbids (each becomes "_"); no leading
    dot or space, no trailing dot or space; at most MAX_ID_CHARS characters and
    MAX_ID_BYTES bytes of UTF-8. "student" where nothing is left."""
    text = unicodedata.normalize("NFC", name)
    text = "".join("_" if _unsafe_character(c) else c for c in text)
    text = text.lstrip(". ").rstrip(". ")
    return _bounded(text) or "student"


def content_digest(folder: str | os.PathLike) -> str:
    """sha256 (hex) of what grading can read of `folder`: every .py and .ipynb file under
    it, by relative path and content, in sorted order.

    Folders that staging skips (hidden ones, __pycache__) are left out. A link counts by
    its target (a link to a folder too), and what lies behind it counts only where the
    whole way to it stays inside `folder`: nothing outside is read, as grading reads
    nothing outside. Of a file, only the first bytes up to its staging limit count: one
    over it is refused whatever it holds. A FIFO or device counts by its kind and is
    never opened.
    """
    root = Path(folder)
    digest = hashlib.sha256(b"autograder-batch-digest-2\0")
    for relative in sorted(set(_graded_files(root))):
        for kind, data in _content(relative, root):
            digest.update(f"{kind}\0{relative}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


# -- SUBMISSIONS and its entries ------------------------------------------------------------

def _root(path: Path, lang: str) -> tuple[Path, bool]:
    """The folder whose entries are the students, and whether it is a Gradescope export."""
    if not path.exists():
        raise NotASubmission(render("batch.discover.missing", lang, path=path))
    if not path.is_dir():
        raise NotASubmission(render("batch.discover.not_a_folder", lang, path=path))
    if _real_file(path / GRADESCOPE_METADATA):
        return path, True
    visible = _visible(path, lang)
    submitted = path / "submitted"
    if _real_folder(submitted) and (len(visible) == 1 or any(
            os.path.lexists(path / mark) for mark in NBGRADER_MARKS)):
        return submitted, False
    # An export unzipped into a folder of its own: SUBMISSIONS/assignment_123_export/.
    if len(visible) == 1 and _real_folder(visible[0]) \
            and _real_file(visible[0] / GRADESCOPE_METADATA):
        return visible[0], True
    return path, False


def _check_apart(submissions: Path, scratch: Path) -> None:
    """Refuse a scratch folder inside SUBMISSIONS or around it: replacing scratch/<id>
    would then delete a student's folder, or SUBMISSIONS itself."""
    one, other = submissions.resolve(), scratch.resolve()
    if one.is_relative_to(other) or other.is_relative_to(one):
        raise ValueError(f"the scratch folder {scratch} and the submissions {submissions} "
                         "overlap: choose a scratch folder outside them")


def _visible(folder: Path, lang: str) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if not _ignored(p.name)]
    except OSError as error:
        raise NotASubmission(f"{folder}: {render('batch.discover.unreadable', lang)}") \
            from error


def _entries(root: Path, lang: str) -> list[Path]:
    return sorted(_visible(root, lang), key=lambda p: p.name)


def _ignored(name: str) -> bool:
    """Hidden files (.DS_Store, .git) and a Mac's __MACOSX: never a student, never said."""
    return name.startswith(".") or name in _IGNORED


def _real_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _real_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _examine(entry: Path, gradescope_name: str | None, scratch: Path,
             lang: str) -> _Found | Skipped | None:
    """What one entry of SUBMISSIONS is: a student, or skipped with the reason."""
    if entry.is_symlink():
        return Skipped(entry, render("batch.discover.symlink", lang))
    if entry.is_dir():
        found = _exercise_folder(entry, lang)
        if isinstance(found, str):
            return Skipped(entry, found)
        return _Found(gradescope_name or entry.name, entry, found)
    if entry.is_file() and entry.suffix.lower() == ".zip":
        return _examine_zip(entry, scratch, lang)
    if entry.name in _module_files():
        return Skipped(entry, render("batch.discover.top_level_module", lang))
    return Skipped(entry, render("batch.discover.stray_file", lang))


def _examine_zip(archive: Path, scratch: Path, lang: str) -> _Found | Skipped:
    # Hidden, so that it never meets a student's id (ids never start with a dot).
    unpacked = Path(tempfile.mkdtemp(prefix=".unpack-", dir=scratch))
    problem = _unzip(archive, unpacked, lang)
    found = problem if problem is not None else _exercise_folder(unpacked, lang)
    if isinstance(found, str):
        shutil.rmtree(unpacked, ignore_errors=True)
        return Skipped(archive, found)
    return _Found(archive.name[:-len(".zip")], archive, found, unpacked)


def _module_files() -> set[str]:
    return {f"{module}{suffix}" for module in registry.names() for suffix in UNPACKED_SUFFIXES}


# -- the folder holding the exercise modules ------------------------------------------------

def _exercise_folder(folder: Path, lang: str) -> Path | str:
    """The shallowest folder, `folder` or up to MAX_DEPTH below, that holds exercise
    modules; or the reason there is none, or no single one."""
    level = [folder]
    try:
        for _ in range(MAX_DEPTH + 1):
            accepted = [candidate for candidate in level if _holds_modules(candidate)]
            if len(accepted) == 1:
                return accepted[0]
            if accepted:
                names = ", ".join(p.relative_to(folder).as_posix() for p in accepted)
                return render("batch.discover.ambiguous", lang, folders=names)
            level = [child for parent in level for child in _subfolders(parent)]
    except OSError:
        return render("batch.discover.unreadable", lang)
    files = ", ".join(f"{module}.py" for module in registry.names())
    return render("batch.discover.no_module", lang, files=files)


def _holds_modules(folder: Path) -> bool:
    try:
        find_submission(folder)
    except NotASubmission:
        return False
    return True


def _subfolders(folder: Path) -> list[Path]:
    """The folders in `folder`, links to folders excepted, in order of name."""
    return sorted((p for p in folder.iterdir() if not _ignored(p.name) and _real_folder(p)),
                  key=lambda p: p.name)


# -- zips -----------------------------------------------------------------------------------

def _unzip(archive: Path, target: Path, lang: str) -> str | None:
    """Write the .py and .ipynb files of `archive` under `target`; None, or why not.

    Nothing is written unless every entry's name is safe and the limits hold. Links,
    FIFOs and devices are never written, hidden files and __MACOSX are left out, and
    each file is created anew (O_EXCL, O_NOFOLLOW) under `target` only.
    """
    try:
        with zipfile.ZipFile(archive) as bundle:
            entries = bundle.infolist()
            problem = _check_entries(entries, lang)
            if problem is not None:
                return problem
            for entry in entries:
                if _unpacked(entry):
                    _write_entry(bundle, entry, target)
    # The zip is a student's data: whatever zipfile, zlib, bz2 or lzma raise while reading
    # it (a damaged file, a bad CRC, encryption, an unknown method) means it cannot be read.
    except Exception:
        return render("batch.discover.zip_unreadable", lang)
    return None


def _check_entries(entries: list[zipfile.ZipInfo], lang: str) -> str | None:
    if len(entries) > MAX_ZIP_ENTRIES:
        return render("batch.discover.zip_too_many", lang, count=len(entries),
                      limit=MAX_ZIP_ENTRIES)
    seen: set[str] = set()
    for entry in entries:
        name = _entry_name(entry)
        # A name used twice: which of the two would be graded is the zip tool's choice.
        if name is None or (_unpacked(entry) and name in seen):
            return render("batch.discover.zip_unsafe", lang, member=_printable(entry.filename))
        seen.add(name)
    total = sum(entry.file_size for entry in entries if _unpacked(entry))
    if total > MAX_ZIP_BYTES:
        return render("batch.discover.zip_too_large", lang, size=_size(total),
                      limit=_size(MAX_ZIP_BYTES))
    return None


def _entry_name(entry: zipfile.ZipInfo) -> str | None:
    """The entry's relative path with "/" between parts, or None where it is unsafe:
    absolute, a Windows drive, "..", or a control character. Windows' zips may use "\\"."""
    name = entry.filename.replace("\\", "/")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if name.startswith("/") or _CONTROL.search(name) or not parts \
            or ".." in parts or re.match(r"[A-Za-z]:", parts[0]):
        return None
    return "/".join(parts)


def _unpacked(entry: zipfile.ZipInfo) -> bool:
    """Whether the entry is written out: a regular .py or .ipynb file, not hidden."""
    name = _entry_name(entry)
    if name is None or entry.is_dir() or not name.endswith(UNPACKED_SUFFIXES):
        return False
    if any(_ignored(part) for part in name.split("/")):
        return False
    mode = entry.external_attr >> 16
    # A Unix zip keeps the file's type: a link or device is left out, never written.
    return entry.create_system != 3 or stat.S_IFMT(mode) in (0, stat.S_IFREG)


def _write_entry(bundle: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    name = _entry_name(entry)
    assert name is not None  # _check_entries refused the zip otherwise
    path = target.joinpath(*name.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    with bundle.open(entry) as source, os.fdopen(os.open(path, flags, 0o644), "wb") as out:
        # zipfile stops at the size the zip declares, which _check_entries bounded.
        shutil.copyfileobj(source, out, 2**20)


def _printable(name: str) -> str:
    return _CONTROL.sub("?", name)[:200]


# -- Gradescope -----------------------------------------------------------------------------

def _gradescope_names(root: Path) -> dict[str, str]:
    """submission folder -> the name its id is made from: the first submitter's sid, else
    the local part of their email. Folders the metadata does not name keep their name."""
    try:
        text = (root / GRADESCOPE_METADATA).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    names = {}
    for folder, submitter in _submitters(text).items():
        sid = str(submitter.get("sid") or "").strip()
        email = str(submitter.get("email") or "").strip()
        name = sid or email.split("@")[0].strip()
        if name:
            names[folder] = name
    return names


def _submitters(text: str) -> dict[str, dict[str, object]]:
    """folder -> the first submitter's fields (":sid" read as "sid"), by PyYAML where it is
    installed and reads the file, else by a reading of the few lines that matter."""
    try:
        import yaml

        data = yaml.safe_load(text)
    except Exception:  # not installed, or a tag safe_load refuses (Ruby's !ruby/...)
        return _submitters_by_lines(text)
    found: dict[str, dict[str, object]] = {}
    if not isinstance(data, dict):
        return found
    for folder, submission in data.items():
        people = submission.get(":submitters") if isinstance(submission, dict) else None
        if isinstance(people, list) and people and isinstance(people[0], dict):
            found[str(folder)] = {str(k).lstrip(":"): v for k, v in people[0].items()}
    return found


_KEY = re.compile(r"(?:-\s+)?:?([A-Za-z_]+):\s*(.*)$")


def _submitters_by_lines(text: str) -> dict[str, dict[str, object]]:
    """The first submitter of each folder, from YAML as Gradescope (Ruby) writes it:

        submission_123:
          :submitters:
          - :name: Ada Lovelace
            :sid: '1815'
            :email: ada@example.edu
          :created_at: ...
    """
    found: dict[str, dict[str, object]] = {}
    for folder, lines in _top_level_blocks(text):
        person = _first_submitter(lines)
        if person:
            found[folder] = person
    return found


def _top_level_blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    folder, lines = None, []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            if folder is not None:
                yield folder, lines
            key = line.rstrip()
            folder = key[:-1].strip().strip("'\"") if key.endswith(":") else None
            lines = []
        elif folder is not None:
            lines.append(line)
    if folder is not None:
        yield folder, lines


def _first_submitter(lines: list[str]) -> dict[str, object]:
    """The fields of the first item of the :submitters: list among a folder's lines."""
    child = min((_indent(line) for line in lines), default=0)
    person: dict[str, object] = {}
    inside = False
    item_indent = None
    for line in lines:
        indent, body = _indent(line), line.strip()
        if not inside:
            inside = indent == child and body.rstrip() in (":submitters:", "submitters:")
            continue
        if indent < child or (indent == child and not body.startswith("-")):
            break  # the list has ended
        if body.startswith("-"):
            if item_indent is not None:
                break  # the second submitter: the first one's fields are all read
            item_indent = indent + 2
        elif indent != item_indent:
            continue  # deeper: not a field of the submitter
        match = _KEY.match(body)
        if match and match.group(2):
            person[match.group(1)] = match.group(2).strip().strip("'\"")
    return person


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# -- ids ------------------------------------------------------------------------------------

def _unsafe_character(character: str) -> bool:
    category = unicodedata.category(character)
    # Cc: control characters; Cf: invisible ones (a right-to-left override, a zero width
    # space) that make two ids look alike; Zl, Zp: line and paragraph separators.
    return character in '/\\<>:"|?*' or category in ("Cc", "Cf", "Zl", "Zp")


def _bounded(text: str, room: int = 0) -> str:
    """`text` cut to leave `room` characters (and as many bytes) under the limits."""
    text = text[:MAX_ID_CHARS - room]
    while len(text.encode()) > MAX_ID_BYTES - room:
        text = text[:-1]
    return text.rstrip(". ")


def _assign_ids(found: list[_Found]) -> list[tuple[_Found, str]]:
    """A unique id for each submission (see find_students for the rule)."""
    order = sorted(found, key=lambda f: (safe_id(f.name) != f.name, f.name, f.source.name))
    taken = {name.casefold() for name in RESERVED_IDS}
    assigned: list[tuple[_Found, str]] = []
    pending: list[_Found] = []
    for item in order:
        id_ = safe_id(item.name)
        if id_.casefold() in taken:
            pending.append(item)
        else:
            taken.add(id_.casefold())
            assigned.append((item, id_))
    for item in pending:
        base, number = safe_id(item.name), 2
        while (id_ := f"{_bounded(base, len(f'-{number}'))}-{number}").casefold() in taken:
            number += 1
        taken.add(id_.casefold())
        assigned.append((item, id_))
    return assigned


def _student(item: _Found, id_: str, scratch: Path) -> Student:
    path = item.path
    if item.unpacked is not None:
        home = scratch / id_
        _remove(home)  # an earlier run's copy of this student's zip
        item.unpacked.rename(home)
        path = home / item.path.relative_to(item.unpacked)
    return Student(id_, path.absolute(), item.source, content_digest(path), item.name)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


# -- the digest -----------------------------------------------------------------------------

def _graded_files(root: Path) -> Iterator[str]:
    """Every .py and .ipynb file under `root`, in the folders staging walks, and every
    link to a folder there, by relative path; and a notebook that find_submission looks
    up through a link to its folder (<module>/<module>.ipynb)."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "__pycache__"))]
        here = Path(folder).relative_to(root)
        if len(here.parts) >= MAX_FOLDER_DEPTH:  # as staging: not entered
            dirs[:] = []
        # os.walk does not enter a link to a folder; where grading does not either, the
        # link itself still counts: pointing it elsewhere changes what is graded.
        yield from ((here / d).as_posix() for d in dirs if Path(folder, d).is_symlink())
        yield from ((here / n).as_posix() for n in names if n.endswith(UNPACKED_SUFFIXES))
    for module in registry.names():
        if (root / module).is_symlink() and os.path.lexists(root / module / f"{module}.ipynb"):
            yield f"{module}/{module}.ipynb"


def _content(relative: str, root: Path) -> Iterator[tuple[str, bytes]]:
    """What counts of one path: ("link", target) for a link, then ("file", its first
    bytes) for a regular file whose way stays inside root, or its kind alone. A link on
    the way out of root counts by its target and nothing behind it is read."""
    path = root / relative
    try:
        if path.is_symlink():
            yield "link", os.fsencode(os.readlink(path))
        link = _link_out(Path(os.path.realpath(root)), relative)
        if link is not None:
            if link != path:
                yield "link out", os.fsencode(os.readlink(link))
            return
        info = path.stat()
    except (OSError, RuntimeError):  # a dangling or looping link, no permission
        yield "unreadable", b""
        return
    if stat.S_ISDIR(info.st_mode):
        return  # a link to a folder inside: its files count where they lie
    if not stat.S_ISREG(info.st_mode):
        yield "special", b""
        return
    # Of a file, only what staging reads: beyond it, a file is refused whatever it holds.
    limit = MAX_NOTEBOOK_BYTES if relative.endswith(".ipynb") else _MAX_FILE_BYTES
    try:
        # O_NONBLOCK: should it have become a FIFO meanwhile, opening it does not hang.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            yield "file", stream.read(limit + 1)
    except OSError:
        yield "unreadable", b""

"""The `autograder` command: tools for instructors.

    autograder nbgrader init COURSE_DIR [--course-id ID] [--timeout S] [--device D]
                                        [--call-timeout S] [--only MODULE] [--lang L]
                                        [--force]

writes an nbgrader course made from the exercises (see autograder.course).
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from autograder import course

    parser = argparse.ArgumentParser(prog="autograder",
                                     description="Instructor tools of the D2L autograder.")
    tools = parser.add_subparsers(dest="tool", required=True, metavar="TOOL")
    nbgrader = tools.add_parser("nbgrader", help="run the exercises as an nbgrader course")
    actions = nbgrader.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init", help="write nbgrader_config.py and one source notebook per exercise module",
        description="Write an nbgrader course: COURSE_DIR/nbgrader_config.py and "
                    "COURSE_DIR/source/<module>/<module>.ipynb for each exercise module.")
    init.add_argument("course_dir", metavar="COURSE_DIR")
    init.add_argument("--course-id", default=course.DEFAULT_COURSE_ID,
                      help=f"nbgrader's course id (default: {course.DEFAULT_COURSE_ID})")
    init.add_argument("--timeout", type=int, default=course.DEFAULT_CELL_TIMEOUT,
                      metavar="S", help="seconds nbgrader lets one cell run "
                      f"(default: {course.DEFAULT_CELL_TIMEOUT})")
    init.add_argument("--device", default=course.DEFAULT_DEVICE,
                      choices=["cpu", "cuda", "meta", "all"],
                      help="where the test cells run the student's code, as `grade --device` "
                      f"(default: {course.DEFAULT_DEVICE})")
    init.add_argument("--call-timeout", type=float, default=course.DEFAULT_CALL_TIMEOUT,
                      metavar="S", help="seconds each call into the student's code may take, "
                      f"as `grade --timeout` (default: {course.DEFAULT_CALL_TIMEOUT:g})")
    init.add_argument("--only", action="append", metavar="MODULE",
                      help="make an assignment of this module only (repeatable)")
    init.add_argument("--lang", default="en", choices=list(course.LANGUAGES),
                      help="language of the notebooks and of the diagnoses in the feedback "
                      "(default: en)")
    init.add_argument("--sandbox", choices=["auto", "strict", "off"], default="auto",
                      help="how the test cells isolate the student's code, as "
                      "`grade --sandbox` (default: auto)")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    args = parser.parse_args(argv)

    try:
        written = course.build_course(
            args.course_dir, course_id=args.course_id, timeout=args.timeout,
            device=args.device, call_timeout=args.call_timeout, modules=args.only,
            force=args.force, lang=args.lang,
            sandbox=args.sandbox)
    except (FileExistsError, ValueError) as error:
        print(f"autograder: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    first = written[1].parent.name if len(written) > 1 else "<assignment>"
    print(f"\nNext:\n  cd {args.course_dir}\n  nbgrader generate_assignment {first} --force"
          "\nand see README.md, \"For instructors (nbgrader)\".")
    return 0


if __name__ == "__main__":
    sys.exit(main())

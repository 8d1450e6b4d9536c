"""What a class run keeps of each student: the row of grades.csv and the mistakes made.

A StudentRecord is plain data, written as OUT/<student>/record.json, so that a later
run can reuse it for a student whose submission did not change (see autograder.batch).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Mistake:
    """One failed test's diagnosis, as the student's report gave it."""

    module: str  # "linear_regression"
    function: str  # "sgd"
    key: str  # the catalogue key of the diagnosis, e.g. "sgd.no_batch_division"
    message: str  # the diagnosis, rendered in the run's language
    device: str = "cpu"


@dataclass
class StudentRecord:
    student: str  # the id, from the folder or file name
    source: str  # what was graded: the folder, zip or notebook tree, as given
    digest: str  # content hash of the submission and the options it was graded with
    status: str = "graded"  # "graded", or "error: <one line>" when grading itself failed
    score: float = 0.0
    max_score: float = 0.0
    # "module.function" -> [earned, worth], and module -> [earned, worth]
    functions: dict[str, list[float]] = field(default_factory=dict)
    modules: dict[str, list[float]] = field(default_factory=dict)
    mistakes: list[Mistake] = field(default_factory=list)
    seconds: float = 0.0  # wall time of this student's grading

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    @property
    def graded(self) -> bool:
        return self.status == "graded"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudentRecord:
        fields = dict(data)
        fields["mistakes"] = [Mistake(**m) for m in fields.get("mistakes", [])]
        return cls(**fields)

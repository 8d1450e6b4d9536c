"""The feedback page: the report as one HTML file, with the student's curves drawn over the book's.

data.py collects what to draw while the grading run's workers are alive (grade(...,
pictures=True)); page.py writes the page; plots.py draws it with matplotlib, an optional
extra imported only when pictures are drawn.
"""

from __future__ import annotations

from autograder.feedback.page import page_html, write_html

__all__ = ["page_html", "write_html"]

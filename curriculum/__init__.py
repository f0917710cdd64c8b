"""Courses as YAML: the format, its loader and validator, and the bundled courses."""

from curriculum.loader import load_course
from curriculum.model import Course, Point, Section, Topic, source_text
from curriculum.problems import CourseInvalid, Problem
from curriculum.registry import bundled_course_dirs, course_path, resolve_course

__all__ = [
    "Course",
    "CourseInvalid",
    "Point",
    "Problem",
    "Section",
    "Topic",
    "bundled_course_dirs",
    "course_path",
    "load_course",
    "resolve_course",
    "source_text",
]

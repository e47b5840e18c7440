"""The hand-made school and flash-mentoring meeting of tests/planning/fixtures.py."""

from tests.planning.fixtures import meeting, school  # noqa: F401 (fixtures)

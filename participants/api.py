"""REST endpoints for people, mentors, mentees and pairs."""

from ninja import Router

router = Router(tags=["Участники"])

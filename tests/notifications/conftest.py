import copy
from pathlib import Path

import pytest

from notifications.services import Message
from tests.factories import PersonFactory
from tests.notifications.smtp import LocalSMTPServer

TEMPLATES_DIR = Path(__file__).parent / "templates"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "qcluster: starts a real django-q2 cluster in a subprocess (about 30 s)")


@pytest.fixture(autouse=True)
def notice_templates(settings):
    """The test-only template `test_notice`, so tests do not depend on other apps' texts."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates
    settings.SITE_URL = "https://school.example"
    settings.DEFAULT_FROM_EMAIL = "Школа наставничества <noreply@school.example>"


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, first_name="Мария", patronymic="Петровна",
                         last_name="Иванова", email="maria@school.example")


@pytest.fixture
def notice():
    """A Message of the test template to a person; keyword arguments override its fields."""

    def make(person, key="test:1", **fields):
        fields.setdefault("kind", "event_reminder")
        fields.setdefault("context", {"title": "Современный урок"})
        return Message(recipient_id=person.pk, dedup_key=key, template="test_notice", **fields)

    return make


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost with Django's SMTP backend pointed at it."""
    with LocalSMTPServer() as server:
        for name, value in server.django_settings().items():
            setattr(settings, name, value)
        yield server

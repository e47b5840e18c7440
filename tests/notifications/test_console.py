"""Mail on the console in development: a sign-in link stands out, other letters do not flood."""

import pytest

from notifications import services
from notifications.delivery import deliver_due
from notifications.signin import send_signin_link
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def console_mail(settings):
    settings.EMAIL_BACKEND = "notifications.console.EmailBackend"


def test_a_signin_letter_shows_as_a_framed_link(capsys, person):
    send_signin_link(person.email, next_url="/cabinet/")

    deliver_due()

    out = capsys.readouterr().out
    assert "╔" in out and "╚" in out
    assert f"Ссылка для входа для {person.email}:" in out
    assert "https://school.example/signin/link/?sesame=" in out
    assert "next=%2Fcabinet%2F" in out
    assert "Content-Type" not in out and "Здравствуйте" not in out


def test_other_letters_are_one_line_per_batch_not_printed(capsys, settings, municipality,
                                                         notice):
    settings.NOTIFICATIONS_BATCH_SIZE = 20
    people = [PersonFactory(municipality=municipality) for _ in range(45)]
    services.enqueue([notice(person, key=f"test:{n}") for n, person in enumerate(people)])

    outcome = deliver_due()

    out = capsys.readouterr().out
    assert outcome.sent == 45
    lines = out.strip().splitlines()
    assert len(lines) == 3  # 20 + 20 + 5
    assert lines[0].startswith("Отправлено писем: 20 (в консоль не выводятся")
    assert lines[-1].startswith("Отправлено писем: 5 ")
    assert "https://school.example/admin/notifications/notification/" in lines[0]
    assert "Современный урок" not in out and "Content-Type" not in out


def test_the_development_default_is_this_console(monkeypatch):
    import importlib

    import config.settings

    monkeypatch.delenv("EMAIL_HOST", raising=False)
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    try:
        assert importlib.reload(config.settings).EMAIL_BACKEND == \
            "notifications.console.EmailBackend"
    finally:
        importlib.reload(config.settings)

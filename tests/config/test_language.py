"""The project speaks Russian only: a browser that asks for English still gets Russian pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_is_russian_for_an_english_browser(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    text = response.content.decode()
    assert 'lang="ru"' in text
    assert "Войти" in text
    assert "Log in" not in text
    assert response.headers.get("Content-Language", "ru") == "ru"


def test_admin_index_is_russian_for_an_english_browser(client, superuser):
    client.force_login(superuser)

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")

    text = response.content.decode()
    assert "Администрирование" in text or "Управление" in text
    assert "Site administration" not in text
    assert "Log out" not in text


def test_pages_are_russian_for_an_english_browser(client):
    response = client.get("/signin/", HTTP_ACCEPT_LANGUAGE="en")

    assert 'lang="ru"' in response.content.decode()
    assert "Вход" in response.content.decode()

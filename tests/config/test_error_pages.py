"""Error pages are Russian, name the problem and link back, with DEBUG off."""

import pytest
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_russian_404_with_links_back(client):
    response = client.get("/нет-такой-страницы/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ru">' in page and "Страница не найдена" in page
    assert 'href="/events/"' in page and 'href="/cabinet/"' in page
    assert "Not Found" not in page


@pytest.mark.parametrize(("view", "title"), [
    (defaults.server_error, "Ошибка на сервере"),
    (lambda request: defaults.permission_denied(request, Exception()), "Нет доступа"),
    (lambda request: defaults.bad_request(request, Exception()), "Неверный запрос"),
])
def test_other_error_pages_are_russian(view, title):
    response = view(RequestFactory().get("/"))
    page = response.content.decode()
    assert '<html lang="ru">' in page and title in page
    assert "Server Error" not in page and "Forbidden" not in page and "Bad Request" not in page


def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon(client):
    from django.contrib.staticfiles import finders

    for path in ("/events/", "/нет-такой-страницы/"):
        page = client.get(path).content.decode()
        assert '<link rel="icon" href="/static/favicon.svg"' in page
    assert finders.find("favicon.svg")

"""The curator's admin of practices: Russian, inside the municipality, edits through the service."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_user
from tests.practices.builders import bulk_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_of(curator):
    client = Client()
    client.force_login(curator)
    return client


def test_curator_lists_own_practices_only(admin_of, practice, other_municipality):
    other = make_user("other", role="Наставник", municipality=other_municipality).person
    [foreign] = bulk_published(other_municipality, other, 1)

    listing = admin_of.get(reverse("admin:practices_practice_changelist")).content.decode()

    assert "Наставнические практики" in listing
    assert practice.title in listing and foreign.title not in listing
    assert admin_of.get(reverse("admin:practices_practice_change",
                                args=[foreign.pk])).status_code == 302


def test_curator_edits_the_card_through_the_service(admin_of, practice):
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    page = admin_of.get(url).content.decode()
    assert "Информационная карта" in page and "Рассмотрения практик" in page

    response = admin_of.post(url, {
        "title": "Новая\x00 тема\r\n", "author_name": practice.author_name,
        "author_email": "", "author_phone": "8 (914) 111-22-33",
        "organisation": practice.organisation_id or "", "position": "", "years_in_position": "",
        "topic": "", "form": "", "role_model": "", "goal": "", "plan": "", "result": "",
        "note": "Записка", "content": "Содержание",
        "materials-TOTAL_FORMS": "0", "materials-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0"})

    assert response.status_code == 302, response.content.decode()[:3000]
    practice.refresh_from_db()
    assert practice.title == "Новая тема" and practice.author_phone == "+79141112233"


def test_practices_are_not_added_in_the_admin(admin_of):
    assert admin_of.get(reverse("admin:practices_practice_add")).status_code == 403

"""The mentor's and the curator's pages: package, edit, attach, consent, submit, decide."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from notifications.models import Notification
from practices import services
from practices.models import Material, Practice
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_mentor_sees_the_finished_program_and_packages_it(program, mentor):
    client = signed_in(mentor.user)

    page = client.get("/practices/").content.decode()
    assert "Упаковать в практику: Адаптация молодого учителя математики" in page

    response = client.post(f"/practices/from-program/{program.pk}/")
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/practices/{practice.pk}/"
    assert "Упаковать в практику" not in client.get("/practices/").content.decode()


def test_an_oversized_upload_on_the_page_shows_a_russian_error_and_stores_nothing(
        practice, mentor, media, settings):
    settings.PRACTICE_MATERIAL_MAX_MB = 1
    client = signed_in(mentor.user)

    response = client.post(f"/practices/{practice.pk}/materials/", {
        "kind": "media", "title": "Видео урока",
        "file": SimpleUploadedFile("урок.mp4", b"\x00\x00\x00\x18ftyp" + b"0" * 2**20)})

    assert response.status_code == 422
    assert "больше 1 МБ: такой файл не принимается" in response.content.decode()
    assert not Material.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_mentor_attaches_gives_consent_and_submits_on_the_page(practice, mentor):
    client = signed_in(mentor.user)

    client.post(f"/practices/{practice.pk}/materials/", {
        "kind": "observation", "file": SimpleUploadedFile("лист.pdf", PDF)})
    client.post(f"/practices/{practice.pk}/consent/", {"agreed": "1"})
    client.post(f"/practices/{practice.pk}/submit/")

    practice.refresh_from_db()
    assert practice.materials.count() == 1 and practice.contacts_consent_at is not None
    assert practice.status == "submitted"
    material = practice.materials.get()
    download = client.get(f"/practices/{practice.pk}/materials/{material.pk}/")
    assert b"".join(download.streaming_content) == PDF


def test_curator_returns_from_the_queue_and_the_author_gets_a_letter(practice, mentor, curator):
    services.submit(practice, by=mentor.user)
    client = signed_in(curator)

    queue = client.get("/practices/review/").content.decode()
    assert practice.title in queue and "школьный уровень" in queue
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert "Решение: школьный уровень" in page

    response = client.post(f"/practices/{practice.pk}/return/",
                           {"comment": "Добавьте лист наблюдений"})

    assert response.status_code == 302
    assert Notification.objects.get(kind="practice_returned").recipient == mentor
    assert "Добавьте лист наблюдений" in signed_in(mentor.user).get(
        f"/practices/{practice.pk}/").content.decode()


def test_a_mentor_does_not_see_the_decision_form_nor_may_post_it(practice, mentor):
    services.submit(practice, by=mentor.user)
    client = signed_in(mentor.user)

    assert "Решение:" not in client.get(f"/practices/{practice.pk}/").content.decode()
    response = client.post(f"/practices/{practice.pk}/accept/", {"comment": ""})

    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.accepted_level == ""


def test_another_mentor_gets_404_for_the_practice_page(practice, municipality):
    stranger = make_user("stranger", role="Наставник", municipality=municipality)

    assert signed_in(stranger).get(f"/practices/{practice.pk}/").status_code == 404


def test_mentor_creates_a_practice_from_scratch(mentor):
    client = signed_in(mentor.user)
    form = client.get("/practices/new/").content.decode()
    assert 'value="Зорина Анна Викторовна"' in form

    response = client.post("/practices/new/", {
        "title": "Флеш-наставничество", "author_name": "Зорина Анна Викторовна",
        "author_phone": "+7 914 123-45-67", "note": "Записка"})

    practice = Practice.objects.get()
    assert response.status_code == 302 and practice.program is None
    assert practice.author_phone == "+79141234567"


def test_pages_need_sign_in(client, practice):
    response = client.get(f"/practices/{practice.pk}/")

    assert response.status_code == 302 and "/signin/" in response["Location"]

"""The mentor's portfolio: who sees it (others get a 404), projects and contests with a proof
link or file, and files refused for size or type with a Russian message and nothing stored."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from participants import roles
from participants.models import MentorProfile, PersonalProgram
from portfolio import services
from portfolio.models import Achievement
from tests.factories import MentoringGroupFactory, make_user
from tests.portfolio.conftest import API, signed_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 diploma"


def _files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _add(client, mentor, **extra):
    body = {"kind": "contest", "level": "regional", "title": "«Учитель года»",
            "date": "2027-02-01", **extra}
    return client.post(f"{API}/mentors/{mentor.pk}/achievements", body)


def test_mentor_adds_a_contest_with_a_file_and_downloads_it(mentor, mentor_user, media):
    upload = SimpleUploadedFile("диплом.pdf", PDF, content_type="application/pdf")
    response = _add(signed_in(mentor_user), mentor, evidence_file=upload)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["level"], body["title"]) == ("contest", "regional",
                                                            "«Учитель года»")
    download = signed_in(mentor_user).get(body["evidence_file_url"])
    assert b"".join(download.streaming_content) == PDF
    assert len(_files(media)) == 1


@pytest.mark.parametrize("name, content, message", [
    ("диплом.pdf", b"%PDF-" + b"0" * (10 * 2**20), "больше 10 МБ"),
    ("диплом.exe", b"MZ\x90\x00", "допускаются PDF, JPG, PNG"),
    ("диплом.pdf", b"MZ\x90\x00 not a pdf", "не соответствует расширению .pdf"),
])
def test_upload_over_the_limit_or_of_a_forbidden_type_is_refused_and_nothing_is_stored(
        mentor, mentor_user, media, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _add(signed_in(mentor_user), mentor, evidence_file=upload,
                    evidence_url="https://school.example/diploma")

    assert response.status_code == 422
    assert message in response.json()["message"]
    assert not Achievement.objects.exists()
    assert _files(media) == []


def test_upload_refused_on_the_page_too(mentor, mentor_user, media):
    upload = SimpleUploadedFile("фото.png", b"GIF89a", content_type="image/png")
    response = signed_in(mentor_user).post(f"/portfolio/{mentor.pk}/achievements/", {
        "kind": "project", "level": "school", "title": "Проект", "date": "2027-02-01",
        "evidence_file": upload})

    assert response.status_code == 422
    assert "не соответствует расширению .png" in response.content.decode()
    assert not Achievement.objects.exists() and _files(media) == []


def test_a_record_needs_a_proof(mentor, mentor_user):
    response = _add(signed_in(mentor_user), mentor)
    assert response.status_code == 422
    assert response.json()["message"] == "Приложите подтверждение: ссылку или файл."


def test_curator_adds_and_removes_a_record_with_its_file(mentor, curator, media,
                                                        django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("справка.pdf", PDF, content_type="application/pdf")
    item = services.add_achievement(mentor, kind="project", level="municipal", title="Проект",
                                    date=datetime.date(2027, 1, 1), evidence_file=upload,
                                    by=curator)
    assert len(_files(media)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(curator).delete(f"{API}/achievements/{item.pk}")

    assert response.status_code == 204
    assert not Achievement.objects.exists() and _files(media) == []


def test_portfolio_page_lists_what_the_mentor_did(mentor, mentor_user, municipality):
    group = MentoringGroupFactory(municipality=municipality, mentor=mentor)
    PersonalProgram.objects.create(group=group, goal="Освоить мультитекст урока",
                                   start_date=datetime.date(2026, 10, 1),
                                   end_date=datetime.date(2027, 3, 1))
    services.add_achievement(mentor, kind="experience", level="regional",
                             title="Доклад на краевой конференции",
                             date=datetime.date(2026, 11, 1),
                             evidence_url="https://pkiro.example/conf")

    page = signed_in(mentor_user).get(f"/portfolio/{mentor.pk}/?from=2026-09-01&to=2027-08-31")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Освоить мультитекст урока" in text and "Доклад на краевой конференции" in text
    assert "всего 6 баллов" in text  # program 3 + regional talk 3


def test_who_sees_a_portfolio(mentor, mentor_user, curator, other_curator, superuser,
                              municipality, mentee_user):
    colleague = make_user("colleague", role=roles.MENTOR, municipality=municipality)
    MentorProfile.objects.create(person=colleague.person)
    url = f"/portfolio/{mentor.pk}/"

    for user in (mentor_user, curator, superuser):
        assert signed_in(user).get(url).status_code == 200
    for user in (other_curator, colleague, mentee_user):
        assert signed_in(user).get(url).status_code == 404
        assert signed_in(user).get(f"{API}/mentors/{mentor.pk}/portfolio").status_code == 404


def test_another_municipality_is_absent_everywhere(mentor, other_curator, curator):
    item = services.add_achievement(mentor, kind="project", level="school", title="Проект",
                                    date=datetime.date(2027, 1, 1),
                                    evidence_url="https://school.example/p")
    client = signed_in(other_curator)

    assert client.get(f"/portfolio/achievements/{item.pk}/evidence/").status_code == 404
    assert client.delete(f"{API}/achievements/{item.pk}").status_code == 404
    assert client.post(f"/portfolio/{mentor.pk}/achievements/", {}).status_code == 404
    names = [m["name"] for s in client.get(f"{API}/points-summary").json()["schools"]
             for m in s["mentors"]]
    assert mentor.full_name not in names
    assert mentor.full_name in [m["name"] for s in signed_in(curator).get(
        f"{API}/points-summary").json()["schools"] for m in s["mentors"]]
    assert client.get(f"{API}/points-summary?municipality_id={mentor.municipality_id}"
                      ).status_code == 404


def test_a_mentor_reads_no_points_summary(mentor_user):
    assert signed_in(mentor_user).get("/points/").status_code == 403
    assert signed_in(mentor_user).get(f"{API}/points-summary").status_code == 403


def test_hostile_title_is_cleaned(mentor, mentor_user):
    response = _add(signed_in(mentor_user), mentor, title="Конкурс\x00\r\n\u202eтекст 🎓",
                    evidence_url="https://school.example/x")
    assert response.status_code == 201
    assert Achievement.objects.get().title == "Конкурс текст 🎓"
    assert _add(signed_in(mentor_user), mentor, title="x" * 5000,
                evidence_url="https://school.example/x").status_code == 422
    assert _add(signed_in(mentor_user), mentor, evidence_url="javascript:alert(1)"
                ).status_code == 422


def test_erasure_redacts_records_and_erase_deletes_them_with_files(
        mentor, media, django_capture_on_commit_callbacks):
    from participants.erasure import forget

    named = services.add_achievement(mentor, kind="project", level="school",
                                     title="Проект: Фёдорова Елена Львовна",
                                     date=datetime.date(2027, 1, 1),
                                     evidence_url="https://school.example/p")
    forget(mentor)
    named.refresh_from_db()
    assert "Фёдоров" not in named.title

    upload = SimpleUploadedFile("справка.pdf", PDF, content_type="application/pdf")
    services.add_achievement(mentor, kind="contest", level="regional", title="Конкурс",
                             date=datetime.date(2027, 1, 1), evidence_file=upload)
    with django_capture_on_commit_callbacks(execute=True):
        forget(mentor, erase=True)
    assert not Achievement.objects.exists() and _files(media) == []

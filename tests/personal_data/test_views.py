"""«Мои данные» (personal_data): a person sees and downloads what is kept about them."""

import json
import shutil

import pytest

from events import services as event_services
from participants.signin import user_for_person
from tests.factories import EventFactory, MenteeRecordFactory, PersonFactory
from tests.pdf_text import needs_pdftotext, pdf_text


@pytest.fixture
def person(municipality):
    person = PersonFactory(municipality=municipality, last_name="Зорькина", first_name="Ангелина",
                           email="zorkina@school.example", phone="+79990001122")
    MenteeRecordFactory(person=person, reason="burnout", notes="просит помочь с классом")
    event_services.register(EventFactory(municipality=municipality, title="Современный урок"),
                            person)
    return person


@pytest.fixture
def signed_in(client, person):
    client.force_login(user_for_person(person))
    return client


def test_cabinet_links_to_my_data_page_showing_what_is_kept(signed_in, municipality):
    stranger = PersonFactory(municipality=municipality, email="stranger@school.example")

    assert "/cabinet/my-data/" in signed_in.get("/cabinet/").content.decode()
    page = signed_in.get("/cabinet/my-data/")
    text = page.content.decode()

    assert page.status_code == 200
    for shown in ("zorkina@school.example", "+79990001122", "Современный урок",
                  "профессиональное выгорание", "просит помочь с классом"):
        assert shown in text
    assert stranger.email not in text
    assert "no-store" in page["Cache-Control"]


def test_my_data_downloads_as_json(signed_in):
    response = signed_in.get("/cabinet/my-data.json")

    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    body = json.loads(response.content)
    sections = {s["title"]: s for s in body["sections"]}
    assert ["E-mail", "zorkina@school.example"] in sections["Личные данные"]["rows"]
    assert sections["Мероприятия"]["rows"][0][0] == "Современный урок"


@needs_pdftotext
def test_my_data_downloads_as_pdf_with_cyrillic_text(signed_in, tmp_path):
    response = signed_in.get("/cabinet/my-data.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path, layout=False)
    assert "Зорькина" in text and "zorkina@school.example" in text
    assert "Современный урок" in text


def test_my_data_needs_sign_in(client, db):
    assert client.get("/cabinet/my-data.json")["Location"].startswith("/signin/")


@pytest.fixture
def certificates(person, municipality):
    """Two certificates of the person, the second revoked; and one of somebody else."""
    from events.certificates import services as certificate_services
    from events.models import Attendance

    issued = []
    for title in ("Анализ урока", "Наставник как тьютор"):
        event = EventFactory(municipality=municipality, title=title)
        for someone in (person, PersonFactory(municipality=municipality)):
            Attendance.objects.create(event=event, person=someone, present=True)
        issued.append(certificate_services.issue(person, event=event))
    certificate_services.revoke(issued[1], reason="выдан по ошибке", by=None)
    return issued


def test_my_data_lists_my_certificates_with_their_state(signed_in, certificates, tmp_path):
    body = json.loads(signed_in.get("/cabinet/my-data.json").content)
    section = {s["title"]: s for s in body["sections"]}["Сертификаты"]
    rows = {row[3]: row for row in section["rows"]}
    assert len(rows) == 2  # nobody else's
    first, second = (rows[c.printed_code] for c in certificates)
    assert "Анализ урока" in first[1] and first[4].endswith(", действителен")
    assert "академических часа" in first[2]
    assert ", отозван " in second[4] and second[4].endswith(": выдан по ошибке")
    if shutil.which("pdftotext"):
        text = pdf_text(signed_in.get("/cabinet/my-data.pdf").content, tmp_path, layout=False)
        words = " ".join(text.split())
        assert "Сертификаты" in words and "мероприятии «Анализ урока»" in words
        assert certificates[0].printed_code in words  # on one line, to be copied

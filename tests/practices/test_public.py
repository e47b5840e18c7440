"""The public bank, as an anonymous visitor sees it: published practices only; the author's
e-mail and phone only with the author's consent; search and filters; Open Graph; Atom; embed."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practices import services
from practices.models import Practice
from tests.factories import MentorProfileFactory, TopicFactory, make_user
from tests.practices.builders import bulk_published
from tests.practices.conftest import publish

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def author(municipality, username, email, phone):
    user = make_user(username, role="Наставник", municipality=municipality)
    person = user.person
    person.email, person.phone = email, phone
    person.save()
    MentorProfileFactory(person=person)
    return person


def card(person, title):
    practice = services.create_practice(person, by=person.user, data={
        "title": title, "note": f"Записка: {title}", "content": "Коуч-сессии"})
    return practice


@pytest.fixture
def bank(municipality, curator):
    """One published practice of each consent, and one of each unpublished state."""
    agreed = author(municipality, "agreed", "open@school.example", "+79140000001")
    silent = author(municipality, "silent", "secret@school.example", "+79140000002")
    drafter = author(municipality, "drafter", "draft@school.example", "+79140000003")
    shown = card(agreed, "Открытая практика с контактами")
    services.set_contacts_consent(shown, by=agreed.user, agreed=True)
    publish(shown, curator)
    hidden_contacts = publish(card(silent, "Практика без согласия на контакты"), curator)
    services.add_material(hidden_contacts, by=curator, kind="observation", title="Лист",
                          upload=SimpleUploadedFile("лист.pdf", PDF))
    card(drafter, "Черновик не для банка")
    submitted = card(drafter, "Поданная, не принятая")
    services.submit(submitted, by=drafter.user)
    returned = card(drafter, "Возвращённая практика")
    services.submit(returned, by=drafter.user)
    services.return_practice(returned, by=curator, comment="Доработать")
    withdrawn = card(silent, "Согласие отозвано")
    services.set_contacts_consent(withdrawn, by=silent.user, agreed=True)
    services.set_contacts_consent(withdrawn, by=silent.user, agreed=False)
    publish(withdrawn, curator)
    return {"shown": shown, "hidden_contacts": hidden_contacts}


def public_texts(client, municipality):
    """Every public page and feed of the municipality, fetched anonymously."""
    pages = ["/bank/", f"/bank/{municipality.pk}/", f"/bank/{municipality.pk}/?q=практика",
             f"/bank/{municipality.pk}/?level=school", f"/bank/{municipality.pk}/feed.atom",
             f"/bank/{municipality.pk}/embed/"]
    pages += [f"/bank/practices/{p.pk}/" for p in Practice.objects.published()]
    texts = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    return "\n".join(texts)


def digits(text):
    return re.sub(r"\D", "", text)


def test_public_pages_and_feed_never_show_unconsented_contacts_or_unpublished_practices(
        client, municipality, bank):
    text = public_texts(client, municipality)

    assert "open@school.example" in text and "+79140000001" in text
    for secret in ("secret@school.example", "draft@school.example", "Черновик не для банка",
                   "Поданная, не принятая", "Возвращённая практика"):
        assert secret.lower() not in text.lower(), secret
    for phone in ("9140000002", "9140000003"):
        assert phone not in digits(text), phone
    assert "Практика без согласия на контакты" in text and "Согласие отозвано" in text


def test_unpublished_practice_and_its_materials_are_404_for_everyone_outside(
        client, municipality, mentor, curator):
    practice = card(mentor, "Черновик")
    material = services.add_material(practice, by=mentor.user, kind="other",
                                     upload=SimpleUploadedFile("a.pdf", PDF))

    assert client.get(f"/bank/practices/{practice.pk}/").status_code == 404
    assert client.get(f"/bank/practices/{practice.pk}/materials/{material.pk}/").status_code == 404
    assert client.get(f"/practices/{practice.pk}/materials/{material.pk}/").status_code == 302


def test_a_published_practices_file_is_served_from_the_storage(client, bank):
    practice = bank["hidden_contacts"]
    material = practice.materials.get()

    response = client.get(f"/bank/practices/{practice.pk}/materials/{material.pk}/")

    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_practice_page_has_open_graph_tags(client, bank):
    practice = bank["shown"]

    html = client.get(f"/bank/practices/{practice.pk}/").content.decode()

    assert '<meta property="og:title" content="Открытая практика с контактами">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="http://testserver/bank/practices/{practice.pk}/">' \
        in html
    assert 'property="og:description" content="Записка: Открытая практика' in html


def test_atom_feed_lists_published_practices_with_links(client, municipality, bank):
    response = client.get(f"/bank/{municipality.pk}/feed.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(response.content).findall("a:entry", ns)
    titles = {e.find("a:title", ns).text for e in entries}
    assert titles == {"Открытая практика с контактами", "Практика без согласия на контакты",
                      "Согласие отозвано"}
    links = {e.find("a:link", ns).get("href") for e in entries}
    assert f"http://testserver/bank/practices/{bank['shown'].pk}/" in links


def test_only_the_embed_page_may_be_framed(client, municipality, settings, bank):
    settings.PRACTICE_EMBED_ANCESTORS = ["https://uo.example.ru"]

    embed = client.get(f"/bank/{municipality.pk}/embed/")
    listing = client.get(f"/bank/{municipality.pk}/")

    assert "frame-ancestors https://uo.example.ru" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors 'none'" in listing["Content-Security-Policy"]
    assert listing["X-Frame-Options"] == "DENY"
    assert "Открытая практика с контактами" in embed.content.decode()


def test_filters_narrow_the_list(client, municipality, mentor, curator):
    topic = TopicFactory(name="Современный урок")
    school_only, municipal = bulk_published(municipality, mentor, 2, level="school")
    Practice.objects.filter(pk=municipal.pk).update(accepted_level="municipal", topic=topic,
                                                    role_model="young_experienced")

    def titles(query):
        html = client.get(f"/bank/{municipality.pk}/?{query}").content.decode()
        return set(re.findall(r"Практика № \d+", html))

    assert titles("") == {"Практика № 0", "Практика № 1"}
    assert titles("level=municipal") == {"Практика № 1"}
    assert titles("level=school") == {"Практика № 0", "Практика № 1"}
    assert titles(f"topic={topic.pk}") == {"Практика № 1"}
    assert titles("role_model=young_experienced") == {"Практика № 1"}
    assert titles("form=student_student") == set()
    assert titles(f"school={mentor.organisation_id}") == {"Практика № 0", "Практика № 1"}
    assert titles(f"year={school_only.published_at.year}") >= {"Практика № 0"}
    assert titles("year=1999") == set()
    assert titles("q=ПРАКТИКА № 1") == {"Практика № 1"}
    assert titles("topic=abc&year=99999999999999999999&level=%00") == {
        "Практика № 0", "Практика № 1"}


def test_another_municipalitys_practices_are_not_in_this_bank(
        client, municipality, other_municipality, mentor):
    other = make_user("other", role="Наставник", municipality=other_municipality).person
    bulk_published(other_municipality, other, 1)

    html = client.get(f"/bank/{municipality.pk}/").content.decode()

    assert "Практика № 0" not in html


@pytest.mark.parametrize("size", [3, 45])
def test_bank_page_reads_a_fixed_number_of_queries(
        client, municipality, mentor, size, django_assert_num_queries):
    bulk_published(municipality, mentor, size, topic=TopicFactory(name="Тема"))
    client.get(f"/bank/{municipality.pk}/")  # warm the session-less path

    # municipality, count, page, topics, schools, years: the same at any size.
    with django_assert_num_queries(6):
        response = client.get(f"/bank/{municipality.pk}/?page=2")
    assert response.status_code == 200

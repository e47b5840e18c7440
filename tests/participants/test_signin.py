"""Sign-in by a one-time e-mail link (participants/signin.py, events/signin_views.py), the
first-sign-in consent page and the staff password page."""

import re

from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from notifications.delivery import deliver_due
from notifications.models import Notification
from participants import roles
from participants.models import Consent, ConsentText
from tests.factories import PersonFactory


def _text(response):
    return " ".join(response.content.decode().split())


def _link_in(message):
    return re.search(r"https?://[^/\s]+(/signin/link/\S+)", message.body).group(1)


def _request_and_deliver(client, email, **data):
    response = client.post("/signin/", {"email": email, **data})
    deliver_due()
    return response


def test_signin_mails_a_link_that_signs_the_person_in(client, municipality):
    person = PersonFactory(municipality=municipality, email="anna@school.example")

    response = _request_and_deliver(client, "Anna@School.example", next="/cabinet/")

    assert "Если адрес есть в базе, мы отправили ссылку" in _text(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@school.example"]
    link = _link_in(mail.outbox[0])

    page = client.get(link)  # what a mail scanner does: it must not spend the token
    assert "Войти" in _text(page)
    assert "_auth_user_id" not in client.session

    token, next_url = page.context["token"], page.context["next"]
    response = client.post("/signin/link/", {"sesame": token, "next": next_url})

    assert response["Location"] == "/cabinet/"
    person.refresh_from_db()
    user = person.user
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.username == "anna@school.example" and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [roles.PARTICIPANT]
    assert client.get("/cabinet/").status_code == 200


def test_signin_request_sends_nothing_inline_and_creates_no_account(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")

    client.post("/signin/", {"email": "anna@school.example"})

    # The page only queued a letter: no SMTP in the request, no account before the link is used.
    assert mail.outbox == []
    assert Notification.objects.filter(kind="signin_link").count() == 1
    assert not User.objects.exists()


def test_signin_outbox_row_holds_no_working_token(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")
    client.post("/signin/", {"email": "anna@school.example"})

    row = Notification.objects.get(kind="signin_link")

    assert "sesame" not in str(row.context) and "new:" not in str(row.context)


def test_signin_link_works_only_once(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")
    _request_and_deliver(client, "anna@school.example")
    token = client.get(_link_in(mail.outbox[0])).context["token"]
    client.post("/signin/link/", {"sesame": token})
    client.logout()

    response = client.post("/signin/link/", {"sesame": token})

    assert response.status_code == 400
    assert "Ссылка устарела или уже использована" in _text(response)
    assert "_auth_user_id" not in client.session


def test_second_signin_of_a_person_with_an_account_works_once(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")
    _request_and_deliver(client, "anna@school.example")
    client.post("/signin/link/", {"sesame": client.get(_link_in(mail.outbox[0])).context["token"]})
    client.logout()
    _request_and_deliver(client, "anna@school.example")
    token = client.get(_link_in(mail.outbox[1])).context["token"]

    assert client.post("/signin/link/", {"sesame": token}).status_code == 302
    client.logout()
    assert client.post("/signin/link/", {"sesame": token}).status_code == 400


def test_signin_unknown_email_gets_the_same_answer_and_no_mail(client, db):
    response = _request_and_deliver(client, "nobody@school.example")

    assert "Если адрес есть в базе, мы отправили ссылку" in _text(response)
    assert mail.outbox == []
    assert not User.objects.exists()


def test_signin_same_email_in_two_municipalities_sends_one_link_each(
        client, municipality, other_municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")
    PersonFactory(municipality=other_municipality, email="anna@school.example")

    _request_and_deliver(client, "anna@school.example")

    assert len(mail.outbox) == 2
    bodies = " ".join(message.body for message in mail.outbox)
    assert municipality.name in bodies and other_municipality.name in bodies
    assert not User.objects.exists()


def test_signin_link_is_not_sent_to_accounts_with_a_password(client, curator):
    _request_and_deliver(client, curator.person.email)

    assert mail.outbox == []


def test_signin_ignores_a_next_address_on_another_site(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")

    _request_and_deliver(client, "anna@school.example", next="https://evil.example/")

    assert "evil" not in mail.outbox[0].body


def test_staff_password_login_page_signs_in(client, curator):
    response = client.post("/login/", {"username": "curator", "password": "pass-12345"})

    assert response["Location"] == "/events/"
    assert int(client.session["_auth_user_id"]) == curator.pk



def test_staff_links_of_the_signin_page_keep_the_address_asked_for(client, curator):
    page = client.get("/evaluation/", follow=True)

    text = page.content.decode()
    assert 'href="/login/?next=/evaluation/"' in text
    assert 'href="/admin/login/?next=/evaluation/"' in text
    response = client.post("/login/?next=/evaluation/", {
        "username": "curator", "password": "pass-12345", "next": "/evaluation/"})
    assert response["Location"] == "/evaluation/"


def test_staff_links_drop_a_next_address_on_another_site(client, db):
    text = client.get("/signin/?next=https://evil.example/").content.decode()

    assert "evil" not in text
    assert 'href="/login/"' in text


# --- consent at first sign-in ----------------------------------------------------------------

def _consent_text():
    return ConsentText.objects.create(version="2025-1", text="Я даю согласие на обработку.",
                                      effective_from=timezone.localdate())


def test_person_added_without_consent_is_asked_at_first_signin(client, municipality):
    text = _consent_text()
    person = PersonFactory(municipality=municipality, email="anna@school.example",
                           awaits_consent=True)
    _request_and_deliver(client, "anna@school.example", next="/events/")

    response = client.post("/signin/link/",
                           {"sesame": client.get(_link_in(mail.outbox[0])).context["token"],
                            "next": "/events/"})
    assert response["Location"] == "/signin/consent/?next=%2Fevents%2F"
    page = client.get(response["Location"])
    assert "Я даю согласие на обработку." in _text(page) and "Даю согласие" in _text(page)

    response = client.post("/signin/consent/", {"next": "/events/"})

    assert response["Location"] == "/events/"
    person.refresh_from_db()
    assert not person.awaits_consent
    consent = Consent.objects.get(person=person)
    assert (consent.text, consent.source, consent.withdrawn_at) == (text, "web", None)
    assert consent.given_at is not None and consent.recorded_by == person.user


def test_person_with_consent_goes_straight_on(client, municipality):
    _consent_text()
    PersonFactory(municipality=municipality, email="anna@school.example")
    _request_and_deliver(client, "anna@school.example")

    response = client.post("/signin/link/",
                           {"sesame": client.get(_link_in(mail.outbox[0])).context["token"]})

    assert response["Location"] == "/cabinet/"

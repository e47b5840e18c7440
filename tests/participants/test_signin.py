"""Sign-in by a one-time e-mail link (participants/signin.py) and the staff password page."""

import re

from django.contrib.auth.models import User
from django.core import mail

from participants import roles
from tests.factories import PersonFactory


def _text(response):
    return " ".join(response.content.decode().split())


def _link_in(message):
    return re.search(r"http://testserver(/signin/link/\S+)", message.body).group(1)


def test_signin_mails_a_link_that_signs_the_person_in(client, municipality):
    person = PersonFactory(municipality=municipality, email="anna@school.example")

    response = client.post("/signin/", {"email": "Anna@School.example", "next": "/cabinet/"})

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


def test_signin_link_works_only_once(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")
    client.post("/signin/", {"email": "anna@school.example"})
    token = client.get(_link_in(mail.outbox[0])).context["token"]
    client.post("/signin/link/", {"sesame": token})
    client.logout()

    response = client.post("/signin/link/", {"sesame": token})

    assert response.status_code == 400
    assert "Ссылка устарела или уже использована" in _text(response)
    assert "_auth_user_id" not in client.session


def test_signin_unknown_email_gets_the_same_answer_and_no_mail(client, db):
    response = client.post("/signin/", {"email": "nobody@school.example"})

    assert "Если адрес есть в базе, мы отправили ссылку" in _text(response)
    assert mail.outbox == []
    assert not User.objects.exists()


def test_signin_same_email_in_two_municipalities_sends_one_link_each(
        client, municipality, other_municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")
    PersonFactory(municipality=other_municipality, email="anna@school.example")

    client.post("/signin/", {"email": "anna@school.example"})

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count("/signin/link/?sesame=") == 2
    assert municipality.name in body and other_municipality.name in body
    assert User.objects.count() == 2


def test_signin_link_is_not_sent_to_accounts_with_a_password(client, curator):
    client.post("/signin/", {"email": curator.person.email})

    assert mail.outbox == []


def test_signin_ignores_a_next_address_on_another_site(client, municipality):
    PersonFactory(municipality=municipality, email="anna@school.example")

    client.post("/signin/", {"email": "anna@school.example", "next": "https://evil.example/"})

    assert "evil" not in mail.outbox[0].body


def test_staff_password_login_page_signs_in(client, curator):
    response = client.post("/login/", {"username": "curator", "password": "pass-12345"})

    assert response["Location"] == "/events/"
    assert int(client.session["_auth_user_id"]) == curator.pk

"""The token of an API call, its user and their person in one hand-written statement
(participants.token_sql) read as the ORM reads them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from participants import roles, services, token_sql
from participants.models import ApiToken
from tests.factories import make_user


def values(instance):
    return {field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields}


def _digest(raw):
    return services._token_digest(raw)


def _used_just_now(user):
    """A raw token whose use was written a moment ago: reading it writes nothing."""
    token, raw = services.issue_api_token(user, name="Интеграция")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return raw


def test_token_user_person_and_municipality_read_as_the_orm_reads_them(curator):
    token, raw = services.issue_api_token(curator, name="Интеграция")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    expected = ApiToken.objects.select_related("user__person__municipality").get(pk=token.pk)

    found = token_sql.active_token(_digest(raw))

    assert values(found) == values(expected)
    assert isinstance(found.last_used_at, datetime.datetime) and found.last_used_at.tzinfo
    assert values(found.user) == values(expected.user)
    assert values(found.person) == values(expected.user.person)
    assert values(found.person.municipality) == values(expected.user.person.municipality)
    assert found.user.person is found.person


def test_the_user_comes_with_their_municipality_and_asks_nothing_more(
        curator, django_assert_num_queries):
    raw = _used_just_now(curator)
    with django_assert_num_queries(1):
        user = services.user_for_token(raw)
        assert roles.linked_person(user).municipality.pk == curator.person.municipality_id
        assert roles.municipality_id_of(user) == curator.person.municipality_id


def test_an_account_without_a_participant_has_no_person(db, django_assert_num_queries):
    raw = _used_just_now(make_user("integration"))
    with django_assert_num_queries(1):
        user = services.user_for_token(raw)
        assert roles.linked_person(user) is None
        assert roles.municipality_id_of(user) is None


def test_revoked_tokens_and_inactive_users_are_not_found(curator, municipality):
    revoked, revoked_raw = services.issue_api_token(curator, name="старый")
    services.revoke_api_token(revoked)
    leaver = make_user("leaver", role=roles.PARTICIPANT, municipality=municipality)
    _token, inactive_raw = services.issue_api_token(leaver, name="Интеграция")
    get_user_model().objects.filter(pk=leaver.pk).update(is_active=False)

    assert token_sql.active_token(_digest(revoked_raw)) is None
    assert token_sql.active_token(_digest(inactive_raw)) is None
    assert token_sql.active_token(_digest("никогда не выдавался")) is None


@pytest.mark.parametrize("raw", ["\x00", "a\x00b", "=HYPERLINK(\"x\")", "1" * 20, "\u202e" * 50,
                                 "😀" * 10, "x" * 5000, "a\r\nb"])
def test_a_hostile_bearer_token_is_a_clean_401(client, db, raw):
    response = client.get("/api/v1/events", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401

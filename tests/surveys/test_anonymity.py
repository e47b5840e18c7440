"""Anonymous rounds attacked as a DBA would: plain SQL over the real tables, no secret key.

The data is made the way the service makes it: the same six teachers (each from their own school)
answer a named round and an anonymous round; the invitations went out through the outbox; one
teacher only saved a draft. Every column an anonymous response (and its answers) keeps is tried
as a join to a person, an invitation, a named response or an outbox row.
"""

import hashlib
import re

import pytest
from django.db import connection
from django.test import override_settings

from surveys import services
from surveys.models import Invitation, Response
from surveys.suppression import MIN_GROUP
from tests.factories import OrganisationFactory, PersonFactory
from tests.surveys.conftest import full_answers, make_questionnaire, make_round

pytestmark = pytest.mark.django_db
TOKEN_IN_URL = re.compile(r"/s/([A-Za-z0-9_\-]+)/")


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def teachers(municipality):
    # Each from their own school; one young specialist among experienced teachers.
    return [PersonFactory(municipality=municipality,
                          organisation=OrganisationFactory(municipality=municipality),
                          experience_years=1 if n == 0 else 10 + n) for n in range(6)]


@pytest.fixture
def rounds(teachers):
    """A named and an anonymous round of the same people, invited, answered, one draft."""
    named_form, anonymous_form = make_questionnaire(), make_questionnaire(anonymous=True)
    named, anonymous = make_round(named_form, teachers), make_round(anonymous_form, teachers)
    for round in (named, anonymous):
        services.open_round(round)
    for n, person in enumerate(teachers):
        services.save_answers(Invitation.objects.get(round=named, person=person),
                              full_answers(named_form), submit=True)
        invitation = Invitation.objects.get(round=anonymous, person=person)
        if n < 4:
            answers = {**full_answers(anonymous_form), "text": f"ответ {n}"}
            services.save_answers(invitation, answers, submit=True)
        elif n == 4:
            services.save_answers(invitation, {"text": "черновик"}, submit=False)
    return named, anonymous


def anonymous_rows(round):
    return sql("SELECT * FROM surveys_response WHERE round_id = %s", [round.pk])


def test_the_setup_has_anonymous_rows_and_a_draft(rounds):
    _named, anonymous = rounds
    rows = anonymous_rows(anonymous)
    assert len(rows) == 5
    assert sum(row["submitted_at"] is None for row in rows) == 1


def test_no_anonymous_row_keeps_a_person(rounds):
    _named, anonymous = rounds
    assert [row for row in anonymous_rows(anonymous) if row["person_id"] is not None] == []


def test_key_of_an_anonymous_row_joins_no_response_of_another_round(rounds):
    _named, anonymous = rounds
    joined = sql(
        "SELECT a.id, o.person_id FROM surveys_response a JOIN surveys_response o "
        "ON o.respondent_key = a.respondent_key AND o.round_id <> a.round_id "
        "WHERE a.round_id = %s", [anonymous.pk])
    assert joined == []


def _keyless_derivations(value):
    """What a DBA without the secret can compute from a column: the value and its hashes."""
    text = str(value)
    return {text, hashlib.sha256(text.encode()).hexdigest(), hashlib.md5(text.encode()).hexdigest(),
            hashlib.sha1(text.encode()).hexdigest()}


def test_key_of_an_anonymous_row_follows_from_no_invitation_or_person(rounds, teachers):
    _named, anonymous = rounds
    known = set()
    for row in sql("SELECT id, token, person_id FROM surveys_invitation"):
        for value in (row["id"], row["token"], row["person_id"], f"person:{row['person_id']}"):
            known |= _keyless_derivations(value)
    keys = {row["respondent_key"] for row in anonymous_rows(anonymous)}
    assert keys & known == set()


def test_outbox_rows_name_the_person_but_their_token_opens_no_anonymous_row(rounds):
    _named, anonymous = rounds
    keys = {row["respondent_key"] for row in anonymous_rows(anonymous)}
    letters = sql("SELECT recipient_id, context FROM notifications_notification "
                  "WHERE subject_key = %s", [f"round:{anonymous.pk}"])
    assert letters  # the outbox does hold the links, with the person they went to
    for letter in letters:
        text = str(letter["context"])
        assert not any(key in text for key in keys)
        for token in TOKEN_IN_URL.findall(text):
            assert _keyless_derivations(token) & keys == set()


def test_school_and_experience_of_an_anonymous_row_narrow_it_to_nobody(rounds):
    """Each row's candidates — invitees of the round who answered and share its school and
    experience group — must be all who answered: the attributes must tell no one apart."""
    _named, anonymous = rounds
    invitees = sql(
        "SELECT p.id, p.organisation_id, p.experience_years FROM surveys_invitation i "
        "JOIN participants_person p ON p.id = i.person_id "
        "WHERE i.round_id = %s AND i.answered_at IS NOT NULL", [anonymous.pk])
    for row in anonymous_rows(anonymous):
        if row["submitted_at"] is None:
            continue
        candidates = [p for p in invitees
                      if row["organisation_id"] in (None, p["organisation_id"])
                      and row["is_young_specialist"] in (None, (p["experience_years"] < 3))]
        assert len(candidates) == len(invitees) >= MIN_GROUP - 1


def test_times_of_anonymous_rows_tell_no_respondent_apart(rounds):
    _named, anonymous = rounds
    rows = [row for row in anonymous_rows(anonymous) if row["submitted_at"] is not None]
    assert len({row["submitted_at"] for row in rows}) == 1
    assert len({row["updated_at"] for row in anonymous_rows(anonymous)}) == 1


def test_answers_of_anonymous_rows_keep_only_the_response_link(rounds):
    _named, anonymous = rounds
    columns = {column.name for column in connection.introspection.get_table_description(
        connection.cursor(), "surveys_answer")}
    assert columns == {"id", "response_id", "question_id", "topic_id", "number", "choices",
                       "text"}


# --- the person can still reach their own answer, and only with the server's secret -----------

def test_the_link_finds_the_response_by_a_keyed_hash_of_the_token(rounds, teachers):
    _named, anonymous = rounds
    invitation = Invitation.objects.get(round=anonymous, person=teachers[4])
    response = services.response_of(invitation)
    assert [a.text for a in response.answers.all() if a.text] == ["черновик"]
    with override_settings(SECRET_KEY="another-secret-" + "x" * 40):
        assert services.response_of(invitation) is None  # without the key, no way back


def test_an_anonymous_answer_is_edited_in_place_through_the_link(rounds, teachers):
    _named, anonymous = rounds
    invitation = Invitation.objects.get(round=anonymous, person=teachers[0])
    answers = {**full_answers(anonymous.questionnaire), "text": "передумал"}
    services.save_answers(invitation, answers, submit=True)
    assert Response.objects.filter(round=anonymous, submitted_at__isnull=False).count() == 4
    texts = sql("SELECT a.text FROM surveys_answer a JOIN surveys_response r "
                "ON r.id = a.response_id WHERE r.round_id = %s AND a.text <> ''", [anonymous.pk])
    assert sorted(row["text"] for row in texts) == ["ответ 1", "ответ 2", "ответ 3",
                                                     "передумал", "черновик"]

"""Observation visits: the mentor fills the municipality's map for one pair; the pair and the
curator see the visits over time; the curator edits the map, versions keep old answers."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from portfolio import services
from portfolio.models import ObservationVisit
from surveys import services as surveys
from surveys.errors import Forbidden, QuestionnaireLocked
from surveys.models import Questionnaire, Round
from surveys.questions import field_name
from tests.portfolio.conftest import API, map_answers, signed_in

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _post_visit(client, pair, **answers):
    mentee = pair.mentees.get()
    questions = services.observation_map(pair.municipality).questions.all()
    filled = map_answers(**answers)
    return client.post(f"/observations/pairs/{pair.pk}/new/", {
        "mentee": mentee.pk, "kind": "lesson", "date": YESTERDAY.isoformat(),
        "school_class": "5 «Б»", "subject": "Математика",
        **{field_name(q): filled[q.code] for q in questions}})


def test_mentor_records_a_visit_and_the_pair_and_curator_see_it(pair, mentor_user, mentee_user,
                                                                curator):
    response = _post_visit(signed_in(mentor_user), pair)

    assert response.status_code == 302
    visit = ObservationVisit.objects.get()
    assert (visit.mentor, visit.mentee, visit.subject, visit.school_class, visit.date) == (
        pair.mentor, pair.mentees.get(), "Математика", "5 «Б»", YESTERDAY)
    assert visit.round.mentoring_group_id == pair.pk
    assert visit.round.audience == Round.Audience.MENTORING_GROUPS
    assert visit.response.person == pair.mentor
    for user in (mentee_user, curator, mentor_user):
        page = signed_in(user).get(f"/observations/pairs/{pair.pk}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Продумать этап рефлексии." in text and "Математика" in text


def test_the_visit_round_is_closed_so_the_sweep_invites_nobody(pair, mentor_user):
    _post_visit(signed_in(mentor_user), pair)
    round = ObservationVisit.objects.get().round

    assert not round.is_open()
    assert surveys.open_due_rounds() == 0
    assert not Notification.objects.filter(dedup_key__contains=f"round-{round.pk}").exists()


def test_missing_criterion_is_refused_and_nothing_is_recorded(pair, mentor_user):
    response = _post_visit(signed_in(mentor_user), pair, group_work="")

    assert response.status_code == 422
    assert "Ответьте на этот вопрос." in response.content.decode()
    assert not ObservationVisit.objects.exists()
    assert not Round.objects.exists()


def test_visit_in_the_future_is_refused(pair, mentor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(services.Invalid, match="будущем"):
        services.record_visit(pair, mentee=pair.mentees.get(), date=tomorrow, school_class="5",
                              subject="Чтение", answers=map_answers(), by=mentor.user)


def test_another_mentor_cannot_record_a_visit_of_this_pair(pair, municipality):
    from participants import roles
    from tests.factories import make_user

    stranger = make_user("stranger", role=roles.MENTOR, municipality=municipality)
    assert signed_in(stranger).get(f"/observations/pairs/{pair.pk}/new/").status_code == 404
    with pytest.raises(services.access.Forbidden):
        services.record_visit(pair, mentee=pair.mentees.get(), date=YESTERDAY, school_class="5",
                              subject="Чтение", answers=map_answers(), by=stranger)


def test_api_records_and_lists_visits_with_answers(pair, mentor_user, mentee_user):
    body = {"group_id": pair.pk, "mentee_id": pair.mentees.get().pk, "kind": "mutual",
            "date": YESTERDAY.isoformat(), "school_class": "7 А", "subject": "Русский язык",
            "answers": {**map_answers(), "design": 5}}
    created = signed_in(mentor_user).post(f"{API}/observation-visits", body,
                                          content_type="application/json")

    assert created.status_code == 201, created.content
    assert created.json()["answers"]["design"] == 5
    seen_by_mentee = signed_in(mentee_user).get(f"{API}/observation-visits").json()
    assert [v["subject"] for v in seen_by_mentee["items"]] == ["Русский язык"]
    mine = signed_in(mentor_user).get(f"{API}/observation-visits?group_id={pair.pk}").json()
    assert [v["kind"] for v in mine["items"]] == ["mutual"]


def test_api_refuses_an_answer_off_the_scale_with_a_message_per_criterion(pair, mentor_user):
    body = {"group_id": pair.pk, "mentee_id": pair.mentees.get().pk,
            "date": YESTERDAY.isoformat(), "school_class": "7 А", "subject": "Русский язык",
            "answers": {**map_answers(), "design": 12}}
    response = signed_in(mentor_user).post(f"{API}/observation-visits", body,
                                           content_type="application/json")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_answers"
    assert "design" in response.json()["details"]["errors"]
    assert not ObservationVisit.objects.exists()


def test_curator_edits_own_map_and_a_map_with_answers_takes_a_new_version(
        pair, municipality, mentor, curator, other_curator):
    own = services.observation_map(municipality)
    assert own.municipality == municipality and own.purpose == Questionnaire.Purpose.OBSERVATION
    question = own.questions.get(code="creativity")
    with pytest.raises(Forbidden):
        surveys.save_question(own, by=other_curator, question=question, text="Чужая правка")
    surveys.save_question(own, by=curator, question=question,
                          text="Развиваются творческие способности учеников на уроке")
    services.record_visit(pair, mentee=pair.mentees.get(), date=YESTERDAY, school_class="5",
                          subject="Чтение", answers=map_answers(), by=mentor.user)
    with pytest.raises(QuestionnaireLocked):
        surveys.save_question(own, by=curator, question=question, text="Поздно")

    revised = surveys.revise_questionnaire(own, by=curator)

    assert revised.municipality == municipality and services.current_map(municipality) == revised
    services.record_visit(pair, mentee=pair.mentees.get(), date=YESTERDAY, school_class="5",
                          subject="Чтение", answers=map_answers(creativity="5"), by=mentor.user)
    first, second = ObservationVisit.objects.order_by("pk")
    assert (first.round.questionnaire, second.round.questionnaire) == (own, revised)
    shared = Questionnaire.objects.get(family=services.TEMPLATE_FAMILY)
    # The shared template stays as shipped: the curator changed only their own copy.
    assert (shared.questions.get(code="creativity").text
            == "Развиваются творческие способности учеников")


def test_curator_edits_own_map_in_the_admin_but_not_the_shared_template(municipality, curator):
    own = services.observation_map(municipality)
    shared = Questionnaire.objects.get(family=services.TEMPLATE_FAMILY)
    client = signed_in(curator)

    assert client.get(f"/admin/surveys/questionnaire/{own.pk}/change/").status_code == 200
    page = client.get(f"/admin/surveys/questionnaire/{shared.pk}/change/").content.decode()
    assert 'name="title"' not in page  # read-only for a curator
    assert 'name="title"' in client.get(
        f"/admin/surveys/questionnaire/{own.pk}/change/").content.decode()


def test_another_municipality_cannot_see_the_pair_or_its_map(pair, other_curator, municipality):
    own = services.observation_map(municipality)
    client = signed_in(other_curator)

    assert client.get(f"/observations/pairs/{pair.pk}/").status_code == 404
    assert client.get(f"/admin/surveys/questionnaire/{own.pk}/change/").status_code in (302, 404)


def test_cabinet_links_the_portfolio_and_the_pair(pair, mentor_user, mentee_user):
    mentor_page = signed_in(mentor_user).get("/cabinet/").content.decode()
    mentee_page = signed_in(mentee_user).get("/cabinet/").content.decode()

    assert f"/portfolio/{pair.mentor_id}/" in mentor_page
    assert f"/observations/pairs/{pair.pk}/" in mentor_page
    assert f"/observations/pairs/{pair.pk}/" in mentee_page
    assert "/portfolio/" not in mentee_page


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_visit_list_and_history_take_the_same_queries_for_1_and_4_visits(pair, mentor,
                                                                         curator):
    client = signed_in(curator)
    record = lambda: services.record_visit(  # noqa: E731
        pair, mentee=pair.mentees.get(), date=YESTERDAY, school_class="5", subject="Чтение",
        answers=map_answers(), by=mentor.user)
    record()
    urls = (f"{API}/observation-visits", f"/observations/pairs/{pair.pk}/")
    one = [_count_queries(client, url) for url in urls]
    for _ in range(3):
        record()
    four = [_count_queries(client, url) for url in urls]

    assert one == four
    body = client.get(f"{API}/observation-visits").json()
    assert body["count"] == 4 and body["items"][0]["answers"]["group_work"] == 5


def test_a_round_cannot_use_another_municipality_s_own_map(municipality, other_municipality):
    theirs = services.observation_map(other_municipality)
    with pytest.raises(services.Invalid, match="другого муниципалитета"):
        surveys.create_round(theirs, audience=Round.Audience.MENTORS, municipality=municipality)

"""The demo's bank of practices and portfolios: what a new user of `make run` opens first."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from django.utils import timezone

from notifications.models import Notification
from participants import demo as participants_demo
from participants.models import MentoringGroup
from portfolio import demo as portfolio_demo
from portfolio.access import period_of
from portfolio.models import Achievement, ObservationVisit
from portfolio.points import points_summary
from practices import demo as practices_demo
from practices.models import Level, Material, Practice, Review
from surveys.models import Answer
from tests.practices.test_public import digits, public_texts

pytestmark = pytest.mark.django_db
ACCEPTED = {d.title for d in practices_demo.PRACTICES if d.state in Level.values}
NOT_ACCEPTED = {d.title for d in practices_demo.PRACTICES} - ACCEPTED


@pytest.fixture
def khanka():
    municipality = participants_demo.load().municipality
    practices_demo.load()
    portfolio_demo.load()
    return municipality


def test_demo_bank_lists_the_accepted_practices_and_not_the_others(client, khanka):
    text = public_texts(client, khanka)

    assert len(ACCEPTED) == 3 and len(NOT_ACCEPTED) == 3
    for title in ACCEPTED:
        assert title in text, title
    for title in NOT_ACCEPTED:
        assert title not in text, title
    # Every state of the workflow is there for the curator to see, the regional one by admin.
    assert set(Practice.objects.values_list("status", flat=True)) == set(Practice.Status.values)
    regional = Review.objects.accepted().get(level=Level.REGIONAL)
    assert regional.reviewer.username == "admin"
    assert Review.objects.get(outcome=Review.Outcome.RETURNED).comment


def test_demo_bank_shows_contacts_only_of_the_author_who_agreed(client, khanka):
    text = public_texts(client, khanka)

    agreed = Practice.objects.published().filter(contacts_consent_at__isnull=False)
    assert agreed.exists() and all(p.author_email and p.author_email in text for p in agreed)
    silent = Practice.objects.filter(contacts_consent_at__isnull=True).select_related("author")
    assert silent.published().exists()
    for practice in silent:
        assert practice.author.email.lower() not in text.lower(), practice
        if practice.author.phone:
            assert practice.author.phone[2:] not in digits(text), practice


def test_demo_materials_are_stored_files_served_by_the_bank(client, khanka):
    files = Material.objects.exclude(file="")
    assert {m.file.name.rsplit(".", 1)[1] for m in files} == {"pdf", "png"}
    for material in files:
        if material.practice.accepted_level:
            response = client.get(f"/bank/practices/{material.practice_id}/materials/"
                                  f"{material.pk}/")
            body = b"".join(response.streaming_content)
            assert response.status_code == 200 and body[:4] in (b"%PDF", b"\x89PNG")


def test_demo_points_summary_is_not_zero(client, khanka):
    today = timezone.localdate(timezone=khanka.zone)

    summary = points_summary(khanka, period_of(None, None, today=today))

    authors = set(Practice.objects.published().values_list("author_id", flat=True))
    scored = {m.person_id: m.total for s in summary.schools for m in s.mentors}
    assert summary.total > 0
    assert all(scored.get(pk, 0) > 0 for pk in authors)
    client.force_login(User.objects.get(username="curator"))
    assert client.get("/points/").status_code == 200


def test_demo_visits_show_progress_month_by_month(client, khanka):
    today = timezone.localdate(timezone=khanka.zone)
    pairs = MentoringGroup.objects.filter(municipality=khanka).order_by("pk")[:portfolio_demo.PAIRS]
    for pair in pairs:
        visits = ObservationVisit.objects.filter(group=pair).order_by("date")
        past = [d for d in portfolio_demo.VISIT_DAYS
                if pair.start_date + datetime.timedelta(days=d) <= today]
        marks = [Answer.objects.filter(response=v.response).aggregate(s=Sum("number"))["s"]
                 for v in visits]

        assert len(marks) == len(past), pair
        assert marks == sorted(marks) and (len(marks) < 2 or marks[0] < marks[-1]), pair
    client.force_login(pairs[0].mentor.user)
    assert client.get(f"/observations/pairs/{pairs[0].pk}/").status_code == 200
    assert Achievement.objects.exclude(evidence_url="").count() == len(portfolio_demo.RECORDS)


def test_second_demo_load_adds_nothing(khanka):
    models = (Practice, Review, Material, ObservationVisit, Achievement, Notification)
    before = {model.__name__: model.objects.count() for model in models}

    practices_demo.load()
    portfolio_demo.load()

    assert {model.__name__: model.objects.count() for model in models} == before

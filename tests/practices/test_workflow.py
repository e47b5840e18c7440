"""The review per level (school → municipal → regional): who decides which level, dates and
reviewer kept, a returned practice goes back to its author by mail through the outbox."""

import pytest

from config.errors import Conflict, Forbidden, Invalid
from notifications.models import Notification
from practices import services
from practices.models import Level, Practice, Review
from tests.factories import make_user
from tests.practices.conftest import publish

pytestmark = pytest.mark.django_db


def test_author_submits_to_the_school_level_first(practice, mentor):
    review = services.submit(practice, by=mentor.user)

    practice.refresh_from_db()
    assert review.level == Level.SCHOOL and review.submitted_by == mentor.user
    assert review.submitted_at is not None and review.outcome == Review.Outcome.PENDING
    assert practice.status == Practice.Status.SUBMITTED


def test_a_card_without_its_description_is_not_submitted(practice, mentor):
    services.update_card(practice, by=mentor.user, data={"content": ""})

    with pytest.raises(Invalid, match="содержание практики"):
        services.submit(practice, by=mentor.user)
    assert not Review.objects.exists()


def test_a_practice_under_review_is_not_submitted_twice(practice, mentor):
    services.submit(practice, by=mentor.user)

    with pytest.raises(Conflict, match="уже на рассмотрении"):
        services.submit(practice, by=mentor.user)


def test_curator_accepts_the_school_level_with_date_and_reviewer(practice, mentor, curator):
    services.submit(practice, by=mentor.user)

    review = services.accept(practice, by=curator, comment="Хорошо")

    practice.refresh_from_db()
    assert review.outcome == Review.Outcome.ACCEPTED and review.reviewer == curator
    assert review.decided_at is not None and review.comment == "Хорошо"
    assert practice.accepted_level == Level.SCHOOL and practice.published_at == review.decided_at
    assert practice.status == Practice.Status.ACCEPTED


def test_levels_are_climbed_in_order_and_accepting_can_forward_to_the_next(
        practice, mentor, curator):
    services.submit(practice, by=mentor.user)
    services.accept(practice, by=curator, forward=True)

    municipal = practice.reviews.pending().get()
    assert municipal.level == Level.MUNICIPAL and municipal.submitted_by == curator
    services.accept(practice, by=curator)

    practice.refresh_from_db()
    assert practice.accepted_level == Level.MUNICIPAL
    assert [(r.level, r.outcome) for r in practice.reviews.order_by("id")] == [
        ("school", "accepted"), ("municipal", "accepted")]


def test_the_mentor_may_not_accept_even_their_own_practice(practice, mentor):
    services.submit(practice, by=mentor.user)

    with pytest.raises(Forbidden, match="куратор муниципалитета"):
        services.accept(practice, by=mentor.user)


def test_curator_of_another_municipality_may_not_decide(practice, mentor, other_curator):
    services.submit(practice, by=mentor.user)

    with pytest.raises(Forbidden):
        services.accept(practice, by=other_curator)
    with pytest.raises(Forbidden):
        services.return_practice(practice, by=other_curator, comment="нет")


def test_the_regional_level_is_decided_by_a_regional_expert_not_the_curator(
        practice, curator, regional_expert):
    publish(practice, curator, level_count=2)
    services.submit(practice, by=curator)

    with pytest.raises(Forbidden, match="региональный эксперт"):
        services.accept(practice, by=curator)
    services.accept(practice, by=regional_expert)

    practice.refresh_from_db()
    assert practice.accepted_level == Level.REGIONAL
    with pytest.raises(Conflict, match="региональном уровне"):
        services.submit(practice, by=curator)


def test_a_superuser_decides_any_level(practice, superuser):
    for _level in Level.values:
        services.submit(practice, by=superuser)
        services.accept(practice, by=superuser)

    practice.refresh_from_db()
    assert practice.accepted_level == Level.REGIONAL


def test_regional_expert_may_not_decide_the_school_level(practice, mentor, regional_expert):
    services.submit(practice, by=mentor.user)

    with pytest.raises(Forbidden):
        services.accept(practice, by=regional_expert)


def test_returned_practice_goes_back_to_its_author_with_the_comment_by_mail(
        practice, mentor, curator):
    services.submit(practice, by=mentor.user)

    review = services.return_practice(practice, by=curator,
                                      comment="Добавьте результаты диагностики")

    practice.refresh_from_db()
    assert practice.status == Practice.Status.RETURNED and practice.accepted_level == ""
    assert review.outcome == Review.Outcome.RETURNED and review.reviewer == curator
    letter = Notification.objects.get(kind="practice_returned")
    assert letter.recipient == mentor
    assert letter.context["comment"] == "Добавьте результаты диагностики"
    assert letter.context["practice_url"] == f"/practices/{practice.pk}/"


def test_returned_letter_renders_in_russian_with_the_comment(practice, mentor, curator):
    from notifications.models import Preference
    from notifications.rendering import render

    services.submit(practice, by=mentor.user)
    services.return_practice(practice, by=curator, comment="Добавьте фото")
    letter = Notification.objects.get(kind="practice_returned")

    rendered = render(letter, Preference.objects.get_or_create(person=mentor)[0])

    assert "возвращена на доработку" in rendered.subject
    assert "Добавьте фото" in rendered.text and f"/practices/{practice.pk}/" in rendered.text


def test_the_author_edits_a_returned_practice_and_submits_it_again(practice, mentor, curator):
    services.submit(practice, by=mentor.user)
    with pytest.raises(Forbidden, match="на рассмотрении"):
        services.update_card(practice, by=mentor.user, data={"title": "Другая"})
    services.return_practice(practice, by=curator, comment="Уточните тему")

    services.update_card(practice, by=mentor.user, data={"title": "Уточнённая тема"})
    review = services.submit(practice, by=mentor.user)

    assert review.level == Level.SCHOOL
    assert practice.reviews.count() == 2


def test_return_needs_a_comment(practice, mentor, curator):
    services.submit(practice, by=mentor.user)

    with pytest.raises(Invalid, match="что доработать"):
        services.return_practice(practice, by=curator, comment=" \x00 ")


def test_nothing_to_decide_without_a_submission(practice, curator):
    with pytest.raises(Conflict, match="не на рассмотрении"):
        services.accept(practice, by=curator)


def test_only_the_author_agrees_to_show_contacts_and_the_consent_is_recorded(
        practice, mentor, curator):
    with pytest.raises(Forbidden, match="сам автор"):
        services.set_contacts_consent(practice, by=curator, agreed=True)

    services.set_contacts_consent(practice, by=mentor.user, agreed=True)
    practice.refresh_from_db()
    assert practice.contacts_consent_at is not None
    assert "опубликованы в открытом банке" in practice.contacts_consent_text

    services.set_contacts_consent(practice, by=curator, agreed=False)
    practice.refresh_from_db()
    assert practice.contacts_consent_at is None and practice.contacts_consent_text == ""


def test_a_stranger_cannot_submit_someone_elses_practice(practice, municipality):
    stranger = make_user("stranger", role="Наставник", municipality=municipality)

    with pytest.raises(Forbidden):
        services.submit(practice, by=stranger)

"""Pages: the participant's choice page behind a personal link, the curator's pages."""

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import MentoringGroup
from planning.matching import services
from planning.models import FlashChoice
from tests.planning.fixtures import participant

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def opened(meeting, curator):
    event, young = meeting
    services.open_flash_choices(event, by=curator)
    return event, young


def test_choice_page_lists_the_other_side_and_saves_the_order(opened, school):
    event, (zaytseva, _ilyina) = opened
    me = participant(event, zaytseva)
    broad, near = participant(event, school["broad"]), participant(event, school["near"])
    url = reverse("flash_choice", kwargs={"token": me.token})
    page = Client().get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store, private"
    text = page.content.decode()
    assert school["broad"].full_name in text and school["near"].full_name in text
    assert "Ильина" not in text  # the same side is not offered
    response = Client().post(url, {f"rank_{near.pk}": "1", f"rank_{broad.pk}": "2",
                                   "consent": "1"})
    assert response.status_code == 302
    assert list(FlashChoice.objects.filter(chooser=me).values_list("chosen_id", flat=True)) == [
        near.pk, broad.pk]


def test_choice_page_refuses_the_same_number_twice(opened, school):
    event, (zaytseva, _ilyina) = opened
    me = participant(event, zaytseva)
    broad, near = participant(event, school["broad"]), participant(event, school["near"])
    response = Client().post(reverse("flash_choice", kwargs={"token": me.token}),
                             {f"rank_{near.pk}": "1", f"rank_{broad.pk}": "1", "consent": "1"})
    assert response.status_code == 422
    assert "Один и тот же номер" in response.content.decode()
    assert not FlashChoice.objects.filter(chooser=me).exists()


def test_unknown_link_is_a_russian_404(db):
    response = Client().get(reverse("flash_choice", kwargs={"token": "x" * 32}))
    assert response.status_code == 404
    assert "Ссылка не найдена" in response.content.decode()


def test_curator_confirms_a_flash_pair_on_the_results_page(opened, school, curator):
    event, (zaytseva, _ilyina) = opened
    broad, z = participant(event, school["broad"]), participant(event, zaytseva)
    services.record_flash_choices(broad, [z.pk], consent=True)
    services.record_flash_choices(z, [broad.pk], consent=True)
    client = signed_in(curator)
    page = client.get(reverse("planning_flash", kwargs={"event_id": event.pk}))
    assert "Подтвердить пару" in page.content.decode()
    client.post(reverse("planning_flash_confirm", kwargs={"event_id": event.pk}),
                {"mentor": broad.pk, "mentee": z.pk})
    assert MentoringGroup.objects.filter(mentor=school["broad"],
                                         memberships__mentee=zaytseva).exists()


def test_curator_forms_a_suggested_pair_on_the_suggestions_page(school, curator):
    client = signed_in(curator)
    page = client.get(reverse("planning_suggestions"))
    assert "1 из 3 мест занято" in page.content.decode()
    client.post(reverse("planning_confirm_suggestion"),
                {"mentee": school["mentee"].pk, "mentor": school["broad"].pk, "consent": "1"})
    group = MentoringGroup.objects.get(memberships__mentee=school["mentee"])
    assert group.mentor == school["broad"] and group.mentor_consent_at is not None


def test_results_of_another_municipality_are_not_found(opened, other_curator):
    event, _young = opened
    response = signed_in(other_curator).get(
        reverse("planning_flash", kwargs={"event_id": event.pk}))
    assert response.status_code == 404


def test_mentor_cannot_open_the_suggestions_page(school, mentor_user):
    assert signed_in(mentor_user).get(reverse("planning_suggestions")).status_code == 403


def test_suggestions_page_links_the_results_of_past_flash_meetings(opened, curator):
    event, _young = opened
    page = signed_in(curator).get(reverse("planning_suggestions")).content.decode()
    assert reverse("planning_flash", kwargs={"event_id": event.pk}) in page

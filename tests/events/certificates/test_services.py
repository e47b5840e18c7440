from decimal import Decimal

import pytest

from config.errors import Conflict, Forbidden, Invalid
from events.certificates import services
from events.certificates.models import Certificate, normalise_code
from notifications.models import Notification
from tests.events.certificates.conftest import attend
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_issue_counts_hours_of_attended_events_only(maria, held, track):
    attend(maria, held[:2])
    attend(maria, held[2:3], present=False)
    attend(maria, held[3:])

    certificate = services.issue(maria, track=track)

    assert certificate.hours == Decimal("5.5")
    assert certificate.events_attended == 3
    assert certificate.holder_name == "Иванова Мария Петровна"
    assert certificate.holder_name_dative == "Ивановой Марии Петровне"
    assert "Анализ современного урока" in certificate.activity


def test_issue_twice_returns_the_same_certificate_and_one_mail(maria, held, track):
    attend(maria, held)

    first = services.issue(maria, track=track)
    second = services.issue(maria, track=track)

    assert first.pk == second.pk
    mails = Notification.objects.filter(kind="certificate_issued", recipient=maria)
    assert mails.count() == 1
    assert mails.get().dedup_key == f"certificate:{first.pk}:issued"


def test_mail_queued_once_even_if_enqueued_again(maria, held, track):
    from notifications.services import enqueue

    attend(maria, held)
    certificate = services.issue(maria, track=track)

    enqueue([services.ready_message(certificate)])

    assert Notification.objects.filter(kind="certificate_issued").count() == 1


def test_issue_refused_without_attendance(maria, held, track):
    with pytest.raises(Invalid):
        services.issue(maria, track=track)
    assert not Certificate.objects.exists()


def test_issue_refused_to_curator_of_another_municipality(maria, held, track, other_curator):
    attend(maria, held)
    with pytest.raises(Forbidden):
        services.issue(maria, track=track, by=other_curator)


def test_batch_takes_those_with_three_quarters_of_held_events(municipality, held, track):
    all_four, three, two = (PersonFactory(municipality=municipality, last_name=name)
                            for name in ("Астахова", "Борисов", "Волкова"))
    attend(all_four, held)
    attend(three, held[:3])
    attend(two, held[:2])

    certificates = services.issue_batch(track=track, min_share=Decimal("0.75"))

    assert [c.person_id for c in certificates] == [all_four.pk, three.pk]
    assert [c.hours for c in certificates] == [Decimal("7.5"), Decimal("6")]


def test_batch_again_adds_only_newcomers_and_keeps_numbers(municipality, held, track):
    first = PersonFactory(municipality=municipality, last_name="Астахова")
    attend(first, held)
    [before] = services.issue_batch(track=track)
    late = PersonFactory(municipality=municipality, last_name="Борисов")
    attend(late, held[:3])

    after = services.issue_batch(track=track)

    assert [c.pk for c in after][0] == before.pk
    assert [c.number for c in after] == [1, 2]
    assert Notification.objects.filter(kind="certificate_issued").count() == 2


def test_batch_for_an_event_takes_everyone_present(municipality, held):
    came, absent = PersonFactory(municipality=municipality), PersonFactory(
        municipality=municipality)
    attend(came, held[:1])
    attend(absent, held[:1], present=False)

    certificates = services.issue_batch(event=held[0])

    assert [c.person_id for c in certificates] == [came.pk]
    assert certificates[0].hours == Decimal("2")


def test_revoke_marks_and_a_new_one_can_be_issued(maria, held, track, curator):
    attend(maria, held)
    certificate = services.issue(maria, track=track, by=curator)

    services.revoke(certificate, reason="ошибка в данных", by=curator)
    with pytest.raises(Conflict):
        services.revoke(certificate, by=curator)
    again = services.issue(maria, track=track, by=curator)

    assert again.pk != certificate.pk and again.code != certificate.code
    assert Certificate.objects.get(pk=certificate.pk).is_revoked


def test_code_is_long_random_and_read_back_from_paper(maria, held, track):
    attend(maria, held)
    certificate = services.issue(maria, track=track)

    assert len(certificate.code) == 26
    typed = certificate.printed_code.lower().replace("0", "o")
    assert normalise_code(typed) == certificate.code
    assert normalise_code("12345") is None
    assert normalise_code("\x00" * 26) is None


def test_name_without_patronymic_uses_nominative(municipality, held, track):
    person = PersonFactory(municipality=municipality, last_name="Ким", first_name="Саша",
                           patronymic="")
    attend(person, held)

    certificate = services.issue(person, track=track)

    assert certificate.holder_name_dative == ""


def test_forgetting_the_holder_removes_the_name_and_revokes(maria, held, track):
    from participants.erasure import forget

    attend(maria, held)
    certificate = services.issue(maria, track=track)

    forget(maria)

    certificate.refresh_from_db()
    assert "Иванов" not in certificate.holder_name + certificate.holder_name_dative
    assert certificate.is_revoked


@pytest.mark.parametrize("size", [1, 3])
def test_batch_takes_the_same_queries_at_any_size(size, municipality, held, track,
                                                  django_assert_num_queries):
    for n in range(size):
        attend(PersonFactory(municipality=municipality, last_name=f"Астахова{n}"), held)

    with django_assert_num_queries(BATCH_QUERIES):
        certificates = services.issue_batch(track=track)

    assert len(certificates) == size


BATCH_QUERIES = 10


def test_ready_letter_links_the_cabinet_and_the_verification_page(maria, held, track, settings):
    from notifications.models import Preference
    from notifications.rendering import render

    settings.SITE_URL = "https://school.example"
    attend(maria, held)
    certificate = services.issue(maria, track=track)
    notification = Notification.objects.get(kind="certificate_issued", recipient=maria)

    letter = render(notification, Preference.objects.get_or_create(person=maria)[0])

    assert f"Сертификат № {certificate.number} готов" in letter.subject
    assert "7,5 академического часа" in letter.text
    assert "https://school.example/cabinet/#certificates" in letter.text
    assert f"https://school.example/certificates/{certificate.code}/" in letter.text

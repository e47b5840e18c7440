"""Withdrawal and erasure (participants/erasure.py): no copy of the person's e-mail or surname
is left in any text column of any table; counts stay."""

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Attendance, EventChange, Registration
from notifications.models import Notification
from participants import services
from participants.models import (
    Consent,
    ConsentText,
    ImportBatch,
    MenteeRecord,
    MentorProfile,
    Person,
)
from participants.signin import user_for_person
from tests.factories import (
    AnswerFactory,
    EventFactory,
    PersonFactory,
    QuestionFactory,
    SurveyResponseFactory,
)

SURNAME = "Зорькина"
EMAIL = "zorkina.angelina@school.example"
PHONE = "+79990001122"


def _needles():
    texts = [SURNAME, SURNAME.lower(), EMAIL, PHONE]
    # JSON columns may keep non-ASCII text as \\uXXXX escapes.
    return texts + [json.dumps(SURNAME)[1:-1]]


def _copies_left():
    """(table, column) of every value in the database that still holds the e-mail, phone or
    surname, as text or as UTF-8 bytes."""
    found = []
    needles = _needles()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            columns = [col[0] for col in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview | bytes):
                        text = bytes(value).decode("utf-8", "replace")
                    else:
                        text = str(value)
                    if any(needle in text for needle in needles):
                        found.append((table, column))
    return sorted(set(found))


@pytest.fixture
def traced(municipality, curator):
    """A person whose data has spread: account, session, letters, history, uploads, answers."""
    person = PersonFactory(municipality=municipality, last_name=SURNAME, first_name="Ангелина",
                           patronymic="Витальевна", email=EMAIL, phone=PHONE,
                           position="учитель", subject="физика")
    Consent.objects.create(person=person, text=ConsentText.objects.first(),
                           given_at=timezone.now(), source=Consent.Source.PAPER)
    MentorProfile.objects.create(person=person, can_help=f"{SURNAME} помогает с физикой")
    MenteeRecord.objects.create(person=person, reason="burnout", notes=f"{SURNAME}: выгорание")
    user = user_for_person(person)
    browser = Client()
    browser.force_login(user)
    AccessAttempt.objects.create(username=user.username, ip_address="10.0.0.9",
                                 user_agent="x", failures_since_start=1)
    event = EventFactory(municipality=municipality)
    event_services.register(event, person)  # a letter with an .ics naming them
    Attendance.objects.create(event=event, person=person, present=True)
    EventChange.objects.create(event=event, kind="updated",
                               changes={"responsible": [person.full_name]})
    Notification.objects.create(recipient=curator.person, kind="curator_digest",
                                dedup_key="digest:1", template="curator_digest",
                                context={"rows": [{"name": f"{SURNAME} Ангелина", "e": EMAIL}]})
    LogEntry.objects.create(user=curator, content_type=ContentType.objects.get_for_model(Person),
                            object_id=str(person.pk), object_repr=str(person), action_flag=CHANGE,
                            change_message=f"изменён e-mail {EMAIL}")
    ImportBatch.objects.create(municipality=municipality, file_name="список.csv",
                               content=f"{SURNAME};{EMAIL}\n".encode(), applied_at=timezone.now(),
                               summary={"creates": [{"name": person.full_name, "email": EMAIL}]})
    ImportBatch.objects.create(municipality=municipality, file_name="новый.csv",
                               content=f"{SURNAME};{EMAIL}\n".encode())
    answer = AnswerFactory(response=SurveyResponseFactory(round__municipality=municipality),
                           question=QuestionFactory(kind="text"),
                           text=f"Спасибо наставнику {SURNAME}!")
    assert len(_copies_left()) > 10  # the control: the search does see the copies
    return person, user, browser, event, answer


def test_withdrawal_leaves_no_copy_of_email_or_surname_anywhere(traced, curator):
    person, user, browser, event, answer = traced

    services.withdraw_consent(person, by=curator)

    assert _copies_left() == []
    person.refresh_from_db()
    assert person.is_anonymised and person.user is None
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert browser.get("/cabinet/").status_code == 302  # their session is gone
    # What only counts stays.
    assert Registration.objects.filter(event=event, person=person).exists()
    assert Attendance.objects.filter(event=event, person=person, present=True).exists()
    answer.refresh_from_db()
    assert answer.text == "Спасибо наставнику [обезличено]!"
    assert Consent.objects.get(person=person).withdrawn_at is not None


def test_withdrawal_through_the_admin_action_clears_the_linked_account(traced, client, curator):
    person, user, *_rest = traced
    client.force_login(curator)

    client.post(reverse("admin:participants_person_changelist"), {
        "action": "withdraw_consent_and_anonymise", "_selected_action": [person.pk],
        "confirm": "yes"})

    assert _copies_left() == []
    assert not type(user).objects.filter(pk=user.pk).exists()


def test_superuser_erases_a_person_with_letters(traced, client, superuser):
    person, _user, _browser, event, _answer = traced
    assert Notification.objects.filter(recipient=person).exists()
    client.force_login(superuser)

    response = client.post(reverse("admin:participants_person_changelist"), {
        "action": "erase", "_selected_action": [person.pk], "confirm": "yes"})

    assert response.status_code == 302
    assert _copies_left() == []
    assert not Notification.objects.filter(recipient=person).exists()
    assert Attendance.objects.filter(event=event, person=person).exists()


def test_curator_cannot_erase(traced, client, curator):
    person, *_rest = traced
    client.force_login(curator)

    client.post(reverse("admin:participants_person_changelist"), {
        "action": "erase", "_selected_action": [person.pk], "confirm": "yes"})

    person.refresh_from_db()
    assert not person.is_anonymised


def test_erase_service_refuses_a_curator(traced, curator):
    from participants.errors import Forbidden

    with pytest.raises(Forbidden):
        services.erase_person(traced[0], by=curator)


def test_pending_letters_of_a_withdrawn_person_are_not_sent(traced, curator):
    person, *_rest = traced
    Notification.objects.create(recipient=person, kind="event_reminder", dedup_key="r:1",
                                template="event_reminder",
                                scheduled_at=timezone.now() + datetime.timedelta(days=1))

    services.withdraw_consent(person, by=curator)

    assert not Notification.objects.filter(recipient=person, status="pending").exists()


# --- plans name people as text -----------------------------------------------------------------

AS_IN_THE_ORDER = f"{SURNAME} А.В."
# How the plan's import wrote «Зорькина А.В.» when she was not yet in the registry.
PLAN_NEEDLES = (AS_IN_THE_ORDER, "Зорькина А. В.", "А.В. Зорькина", SURNAME)


def _plan_copies_left():
    """(table, column, value) of every text of the plan tables that still names her, read with
    SQL over the real tables (raw bytes of uploads included)."""
    from events.plan.models import PlanImport, PlanItem, PlanResponsible

    found = []
    with connection.cursor() as cursor:
        for model in (PlanItem, PlanResponsible, PlanImport):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a model's own table
            columns = [col[0] for col in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = (bytes(value).decode("utf-8", "replace")
                            if isinstance(value, memoryview | bytes) else str(value))
                    for needle in PLAN_NEEDLES + (json.dumps(SURNAME)[1:-1],):
                        if needle in text:
                            found.append((model._meta.db_table, column, needle))
    return sorted(set(found))


@pytest.fixture
def named_in_a_plan(municipality):
    """A plan item whose responsible was kept as text, a note naming her, and the uploads."""
    from events.plan.models import PlanImport, PlanItem, PlanResponsible
    from tests.factories import ProgramFactory

    program = ProgramFactory(municipality=municipality)
    item = PlanItem.objects.create(program=program, number=1, title="Мониторинг",
                                   period_kind="whole",
                                   status_note=f"Отчёт сдала {AS_IN_THE_ORDER}")
    PlanResponsible.objects.create(item=item, position=0, text=AS_IN_THE_ORDER)
    PlanResponsible.objects.create(item=item, position=1, text="МК")
    row = {"row": 2, "responsible": [{"kind": "text", "name": AS_IN_THE_ORDER}]}
    PlanImport.objects.create(program=program, file_name="план.csv",
                              content=f"1;Мониторинг;весь период;{AS_IN_THE_ORDER}".encode(),
                              summary={"rows": [row]}, applied_at=timezone.now())
    PlanImport.objects.create(program=program, file_name="новый план.csv",
                              content=f"1;Мониторинг;весь период;{AS_IN_THE_ORDER}".encode(),
                              summary={"rows": [row]})
    # She joins the registry later, so nothing links the text to her row.
    person = PersonFactory(municipality=municipality, last_name=SURNAME, first_name="Анна",
                           patronymic="Викторовна", email=EMAIL)
    assert len(_plan_copies_left()) >= 4  # the control: the search sees the copies
    return person, item


@pytest.mark.parametrize("how", ["withdraw", "erase"])
def test_erasure_removes_her_name_kept_as_text_in_plans(named_in_a_plan, curator, superuser,
                                                        how):
    person, item = named_in_a_plan
    sequence = item.sequence

    if how == "withdraw":
        services.withdraw_consent(person, by=curator)
    else:
        services.erase_person(person, by=superuser)

    assert _plan_copies_left() == []
    item.refresh_from_db()
    assert list(item.responsibles.values_list("text", flat=True)) == ["[обезличено]", "МК"]
    assert item.status_note == "Отчёт сдала [обезличено]"
    assert item.sequence == sequence + 1  # calendars showing her name replace the entry


def test_erasure_finds_her_name_written_with_e_for_yo(municipality, curator):
    from events.plan.models import PlanItem, PlanResponsible
    from tests.factories import ProgramFactory

    item = PlanItem.objects.create(program=ProgramFactory(municipality=municipality), number=1,
                                   title="Форум", period_kind="whole")
    PlanResponsible.objects.create(item=item, text="Семенова Л.Ф.")
    person = PersonFactory(municipality=municipality, last_name="Семёнова", first_name="Лидия",
                           patronymic="Фёдоровна")

    services.withdraw_consent(person, by=curator)

    assert list(item.responsibles.values_list("text", flat=True)) == ["[обезличено]"]

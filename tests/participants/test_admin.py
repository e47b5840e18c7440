import datetime
import zoneinfo

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import importing, services
from participants.models import (
    Consent,
    ConsentText,
    ImportBatch,
    MentoringGroup,
    Organisation,
    Person,
    PersonalProgram,
    PlanItem,
)
from tests.factories import (
    MenteeRecordFactory,
    MentorProfileFactory,
    OrganisationFactory,
    PersonFactory,
)

CONSENTS_NONE = {"consents-TOTAL_FORMS": "0", "consents-INITIAL_FORMS": "0",
                 "consents-MIN_NUM_FORMS": "0", "consents-MAX_NUM_FORMS": "1000"}


def url(model, view, *args):
    return reverse(f"admin:participants_{model}_{view}", args=args)


def person_data(organisation, **overrides):
    return {"organisation": organisation.pk, "last_name": "Петрова", "first_name": "Анна",
            "patronymic": "Сергеевна", "email": "petrova@school.example", "phone": "",
            "position": "учитель", "subject": "математика", "category": "",
            "experience_years": "2", **CONSENTS_NONE, **overrides}


def changelist_names(response):
    return {str(obj) for obj in response.context["cl"].result_list}


# --- scoping --------------------------------------------------------------------------------

def test_curator_sees_only_people_of_own_municipality(client, curator, municipality,
                                                      other_municipality):
    PersonFactory(municipality=municipality, last_name="Своя")
    PersonFactory(municipality=other_municipality, last_name="Чужая")
    client.force_login(curator)

    response = client.get(url("person", "changelist"))

    names = changelist_names(response)
    assert "Своя Мария Петровна" in names
    assert "Чужая Мария Петровна" not in names


def test_superuser_sees_people_of_every_municipality(client, superuser, municipality,
                                                     other_municipality):
    PersonFactory(municipality=municipality, last_name="Своя")
    PersonFactory(municipality=other_municipality, last_name="Чужая")
    client.force_login(superuser)

    names = changelist_names(client.get(url("person", "changelist")))

    assert {"Своя Мария Петровна", "Чужая Мария Петровна"} <= names


def test_another_municipality_person_is_not_found_for_curator(client, curator,
                                                              other_municipality):
    stranger = PersonFactory(municipality=other_municipality)
    client.force_login(curator)

    response = client.get(url("person", "change", stranger.pk))

    # The admin answers "not found" by a redirect to its index, as for a deleted object.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.get(url("person", "history", stranger.pk)).status_code in {302, 404}


def test_add_form_offers_only_own_municipality_organisations(client, curator, municipality,
                                                             other_municipality):
    own = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ № 1")
    foreign = OrganisationFactory(municipality=other_municipality, short_name="МБОУ СОШ № 9")
    client.force_login(curator)

    form = client.get(url("person", "add")).context["adminform"].form
    found = client.get(reverse("admin:autocomplete"), {
        "app_label": "participants", "model_name": "person", "field_name": "organisation",
        "term": "МБОУ"}).json()

    offered = set(form.fields["organisation"].queryset)
    assert own in offered and foreign not in offered
    assert offered == set(Organisation.objects.filter(municipality=municipality))
    assert str(own.pk) in {row["id"] for row in found["results"]}
    assert str(foreign.pk) not in {row["id"] for row in found["results"]}
    assert list(form.fields["municipality"].queryset) == [municipality]


def test_curator_added_person_lands_in_curator_municipality(client, curator, municipality,
                                                            other_municipality):
    organisation = OrganisationFactory(municipality=municipality)
    client.force_login(curator)

    response = client.post(url("person", "add"), person_data(
        organisation, municipality=other_municipality.pk, phone="8 (914) 123-45-67",
        email="Petrova@School.Example"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(last_name="Петрова")
    assert person.municipality == municipality
    # normalised by the service
    assert (person.email, person.phone) == ("petrova@school.example", "+79141234567")


def test_curator_cannot_pick_another_municipality_organisation(client, curator,
                                                               other_municipality):
    foreign = OrganisationFactory(municipality=other_municipality)
    client.force_login(curator)

    response = client.post(url("person", "add"), person_data(foreign))

    assert response.status_code == 200
    assert "organisation" in response.context["adminform"].form.errors
    assert not Person.objects.filter(email="petrova@school.example").exists()


def test_superuser_cannot_mix_municipality_and_organisation(client, superuser, municipality,
                                                           other_municipality):
    foreign = OrganisationFactory(municipality=other_municipality)
    client.force_login(superuser)

    response = client.post(url("person", "add"),
                           person_data(foreign, municipality=municipality.pk))

    assert "organisation" in response.context["adminform"].form.errors
    assert not Person.objects.filter(last_name="Петрова").exists()


def test_duplicate_email_in_municipality_is_a_form_error(client, curator, municipality):
    organisation = OrganisationFactory(municipality=municipality)
    PersonFactory(municipality=municipality, email="petrova@school.example")
    client.force_login(curator)

    response = client.post(url("person", "add"),
                           person_data(organisation, email="Petrova@School.example"))

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert Person.objects.filter(email__iexact="petrova@school.example").count() == 1


def test_change_goes_through_service(client, curator, municipality):
    person = PersonFactory(municipality=municipality, phone="")
    client.force_login(curator)
    data = person_data(person.organisation, email="Smirnova@School.Example",
                       phone="+7 914 000 00 07", last_name="Смирнова")

    response = client.post(url("person", "change", person.pk), data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.email, person.phone) == (
        "Смирнова", "smirnova@school.example", "+79140000007")
    assert person.search_text.startswith("смирнова")


def test_consent_added_on_the_person_page_is_recorded_by_the_service(client, curator,
                                                                    municipality):
    organisation = OrganisationFactory(municipality=municipality)
    text = ConsentText.objects.get(version="1")
    client.force_login(curator)
    data = person_data(organisation, **{
        "consents-TOTAL_FORMS": "1", "consents-0-text": text.pk, "consents-0-source": "paper",
        "consents-0-given_at_0": "", "consents-0-given_at_1": ""})

    response = client.post(url("person", "add"), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"]
    consent = Consent.objects.get(person__email="petrova@school.example")
    assert (consent.text, consent.source, consent.recorded_by) == (text, "paper", curator)
    assert consent.withdrawn_at is None


def test_search_ignores_case_and_yo(client, curator, municipality):
    PersonFactory(municipality=municipality, last_name="Фёдорова")
    PersonFactory(municipality=municipality, last_name="Балакина")
    client.force_login(curator)

    names = changelist_names(client.get(url("person", "changelist"), {"q": "ФЕДОРОВА"}))

    assert names == {"Фёдорова Мария Петровна"}


# --- actions --------------------------------------------------------------------------------

def test_withdraw_consent_action_asks_then_anonymises(client, curator, municipality):
    person = PersonFactory(municipality=municipality, phone="+79140000002")
    services.record_consent(person, text=ConsentText.objects.get(version="1"),
                            source=Consent.Source.PAPER)
    client.force_login(curator)
    action = {"action": "withdraw_consent_and_anonymise", "_selected_action": [person.pk]}

    asked = client.post(url("person", "changelist"), action)
    person.refresh_from_db()
    assert asked.status_code == 200 and not person.is_anonymised

    done = client.post(url("person", "changelist"), {**action, "confirm": "yes"})

    assert done.status_code == 302
    person.refresh_from_db()
    assert person.is_anonymised
    assert (person.email, person.phone) == ("", "")
    assert person.consents.get().withdrawn_at is not None


def test_withdraw_action_does_not_reach_another_municipality(client, curator,
                                                             other_municipality):
    stranger = PersonFactory(municipality=other_municipality)
    client.force_login(curator)

    client.post(url("person", "changelist"), {
        "action": "withdraw_consent_and_anonymise", "_selected_action": [stranger.pk],
        "confirm": "yes"})

    stranger.refresh_from_db()
    assert not stranger.is_anonymised


# --- mentoring ------------------------------------------------------------------------------

def test_group_is_formed_through_the_service_with_consent(client, curator, municipality):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    mentees = [MenteeRecordFactory(person__municipality=municipality).person for _ in range(2)]
    client.force_login(curator)

    response = client.post(url("mentoringgroup", "add"), {
        "mentor": mentor.pk, "new_mentees": [m.pk for m in mentees],
        "consent_at_0": "01.09.2026", "consent_at_1": "10:00", "form": "teacher_teacher",
        "role_model": "experienced_young", "format": "traditional",
        "start_date": "01.09.2026", "end_date": "", "goal": "Адаптация", "order_reference": ""})

    assert response.status_code == 302, response.context["adminform"].form.errors
    group = MentoringGroup.objects.get()
    assert group.municipality == municipality
    assert set(group.mentees.all()) == set(mentees)
    # typed in the municipality's own zone, whatever the server's default
    vladivostok = datetime.datetime(2026, 9, 1, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Vladivostok"))
    assert group.mentor_consent_at == vladivostok
    assert [m.consent_at for m in group.memberships.all()] == [vladivostok] * 2


def test_group_change_goes_through_the_service(client, curator, municipality, monkeypatch):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    mentee = PersonFactory(municipality=municipality)
    group = services.create_group(municipality, mentor=mentor, mentees=[mentee],
                                  start_date=datetime.date(2026, 9, 1))
    calls = []
    real = services.update_group
    monkeypatch.setattr(services, "update_group",
                        lambda *a, **kw: calls.append(kw) or real(*a, **kw))
    client.force_login(curator)
    page = client.get(url("mentoringgroup", "change", group.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"goal": "Новая цель", "start_date": "01.09.2026", "_save": "1"})
    for prefix in ("memberships", "program"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    client.post(url("mentoringgroup", "change", group.pk), data)
    group.refresh_from_db()
    assert group.goal == "Новая цель"
    assert calls and calls[0]["goal"] == "Новая цель" and calls[0]["by"] == curator


def test_group_mentor_must_be_in_the_registry(client, curator, municipality):
    not_mentor = PersonFactory(municipality=municipality)
    mentee = PersonFactory(municipality=municipality)
    client.force_login(curator)

    response = client.post(url("mentoringgroup", "add"), {
        "mentor": not_mentor.pk, "new_mentees": [mentee.pk], "form": "teacher_teacher",
        "role_model": "experienced_young", "format": "traditional",
        "start_date": "01.09.2026"})

    assert "mentor" in response.context["adminform"].form.errors
    assert not MentoringGroup.objects.exists()


def test_service_refusal_is_shown_as_a_message_and_saves_nothing(client, superuser,
                                                                 municipality,
                                                                 other_municipality):
    mentor = MentorProfileFactory(person__municipality=municipality).person
    stranger = PersonFactory(municipality=other_municipality)
    client.force_login(superuser)

    response = client.post(url("mentoringgroup", "add"), {
        "municipality": municipality.pk, "mentor": mentor.pk, "new_mentees": [stranger.pk],
        "form": "teacher_teacher", "role_model": "experienced_young", "format": "traditional",
        "start_date": "01.09.2026"}, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert any("одного муниципалитета" in m for m in messages)
    assert not MentoringGroup.objects.exists()


def test_mentor_profile_is_saved_through_the_service(client, curator, municipality):
    person = PersonFactory(municipality=municipality)
    client.force_login(curator)

    response = client.post(url("mentorprofile", "add"), {
        "person": person.pk, "can_help": "  Анализ урока  ", "since": "", "is_active": "on",
        "capacity": "2"})

    assert response.status_code == 302
    assert person.mentor_profile.can_help == "Анализ урока"  # stripped by the service
    assert person.mentor_profile.capacity == 2


# --- roster import --------------------------------------------------------------------------

def roster(*rows):
    return "\r\n".join(["Фамилия;Имя;E-mail;Телефон", *rows]).encode()


def upload(client, content, name="teachers.csv"):
    return client.post(url("importbatch", "add"),
                       {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_import_shows_a_preview_then_applies_it(client, curator, municipality):
    PersonFactory(municipality=municipality, last_name="Ли", first_name="Борис",
                  email="li@school.example", phone="")
    client.force_login(curator)

    uploaded = upload(client, roster("Ким;Анна;kim@school.example;",
                                     "Ли;Борис;li@school.example;8 914 000 00 03"))
    batch = ImportBatch.objects.get()
    preview = client.get(uploaded.url)

    assert uploaded.url == url("importbatch", "change", batch.pk)
    assert batch.municipality == municipality and batch.created_by == curator
    assert [(c["row"], c["name"]) for c in preview.context["summary"]["creates"]] == [
        (2, "Ким Анна")]
    assert [(u["row"], u["changes"][0]["new"]) for u in preview.context["updates"]] == [
        (3, "+79140000003")]
    assert preview.context["can_apply"] and "Применить" in preview.text
    assert "admin/import_preview.html" in [t.name for t in preview.templates]
    assert not Person.objects.filter(last_name="Ким").exists()

    applied = client.post(url("importbatch", "apply", batch.pk))

    assert applied.status_code == 302
    batch.refresh_from_db()
    assert batch.applied_at is not None
    assert Person.objects.get(last_name="Ким").municipality == municipality
    assert Person.objects.get(last_name="Ли").phone == "+79140000003"
    assert not client.get(applied.url).context["can_apply"]


def test_import_preview_lists_errors_by_row_and_cannot_be_applied(client, curator):
    client.force_login(curator)

    uploaded = upload(client, roster("Ким;Анна;kim@school.example;", "Пак;;not-an-email;"))
    batch = ImportBatch.objects.get()
    preview = client.get(uploaded.url)

    assert {e["row"] for e in preview.context["summary"]["errors"]} == {3}
    assert not preview.context["can_apply"]
    refused = client.post(url("importbatch", "apply", batch.pk), follow=True)
    assert "ошибк" in " ".join(str(m) for m in refused.context["messages"])
    assert not Person.objects.filter(last_name="Ким").exists()


def test_unreadable_file_is_reported_on_the_upload_form(client, curator):
    client.force_login(curator)

    response = upload(client, b"\xd0\xcf\x11\xe0 old excel", name="teachers.xls")

    assert response.status_code == 200
    assert "XLS" in " ".join(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_another_municipality_batch_is_not_found(client, curator, other_municipality):
    batch = importing.create_batch(other_municipality, file_name="t.csv",
                                   content=roster("Ким;Анна;;"))
    client.force_login(curator)

    assert client.get(url("importbatch", "change", batch.pk)).status_code == 404
    assert client.post(url("importbatch", "apply", batch.pk)).status_code == 404
    assert not Person.objects.filter(last_name="Ким").exists()


# --- every page -----------------------------------------------------------------------------

@pytest.fixture
def one_of_each(municipality, curator):
    """At least one row of every participants model, so list and change pages render rows."""
    mentor = MentorProfileFactory(person__municipality=municipality).person
    mentee = MenteeRecordFactory(person__municipality=municipality).person
    services.record_consent(mentee, text=ConsentText.objects.get(version="1"),
                            source=Consent.Source.PAPER)
    group = services.create_group(municipality, mentor=mentor, mentees=[mentee],
                                  start_date=datetime.date(2026, 9, 1))
    program = PersonalProgram.objects.create(group=group, goal="Цель",
                                             start_date=datetime.date(2026, 9, 1),
                                             end_date=datetime.date(2027, 5, 31))
    PlanItem.objects.create(program=program, title="Посещение уроков")
    services.issue_api_token(curator, name="Интеграция")
    importing.create_batch(municipality, file_name="t.csv", content=roster("Ким;Анна;;"))


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_superuser_opens_every_changelist(client, superuser, one_of_each, model):
    client.force_login(superuser)
    opts = model._meta

    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    assert response.status_code == 200


PARTICIPANTS_MODELS = [m for m in admin.site._registry if m._meta.app_label == "participants"]


@pytest.mark.parametrize("model", PARTICIPANTS_MODELS, ids=lambda m: m._meta.model_name)
def test_add_and_change_pages_render(client, superuser, curator, one_of_each, model):
    opts = model._meta
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                     args=[model._default_manager.first().pk])
    client.force_login(superuser)
    assert client.get(add).status_code == 200
    assert client.get(change).status_code == 200
    client.force_login(curator)  # may lack the permission, never an error
    assert client.get(add).status_code in {200, 403}
    assert client.get(change).status_code in {200, 403}


@pytest.mark.parametrize("model", ["person", "mentorprofile", "menteerecord", "mentoringgroup",
                                   "consent", "personalprogram", "organisation"])
def test_changelist_queries_do_not_grow_with_rows(client, curator, municipality, model):
    client.force_login(curator)

    def queries_for(rows):
        while MentoringGroup.objects.count() < rows:
            mentor = MentorProfileFactory(person__municipality=municipality).person
            mentee = MenteeRecordFactory(person__municipality=municipality).person
            services.record_consent(mentee, text=ConsentText.objects.get(version="1"),
                                    source=Consent.Source.PAPER)
            group = services.create_group(municipality, mentor=mentor, mentees=[mentee],
                                          start_date=datetime.date(2026, 9, 1))
            PersonalProgram.objects.create(group=group, goal="Цель", start_date=group.start_date,
                                           end_date=group.start_date)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(model, "changelist")).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(3)

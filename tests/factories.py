"""Factories for tests: each builds the least a valid object needs."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.models import EventForm
from participants import roles
from participants.models import (
    MenteeRecord,
    MentorProfile,
    Municipality,
    Organisation,
    Person,
    Topic,
)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Муниципальный округ {n}")
    time_zone = "Asia/Vladivostok"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"МБОУ средняя общеобразовательная школа № {n}")
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ № {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, municipality=factory.SelfAttribute("..municipality")
    )
    last_name = factory.Sequence(lambda n: f"Иванова{n}")
    first_name = "Мария"
    patronymic = "Петровна"
    email = factory.Sequence(lambda n: f"teacher{n}@school.example")
    position = "учитель"
    experience_years = 10


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Тема {n}")


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    person = factory.SubFactory(PersonFactory, experience_years=25)
    can_help = "Проектирование современного урока"
    since = datetime.date(2023, 3, 16)


class MenteeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeRecord

    person = factory.SubFactory(PersonFactory, experience_years=1)
    reason = MenteeRecord.Reason.YOUNG_SPECIALIST


def make_user(username, *, role=None, municipality=None, superuser=False, password="pass-12345"):
    """A user with a role; a role other than superuser gets a person in the municipality."""
    user = User.objects.create_user(
        username, password=password, is_staff=role in {roles.CURATOR, roles.MENTOR} or superuser,
        is_superuser=superuser,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if municipality is not None:
        PersonFactory(municipality=municipality, user=user, email=f"{username}@example.org")
    return user


# --- events ---------------------------------------------------------------------------------

def in_days(days, hour=15):
    """An aware instant `days` from now at a given UTC hour, for events relative to today."""
    now = timezone.now()
    return (now + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                          microsecond=0)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Program"

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Мастер-мастеру {n}")
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2027, 12, 31)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Track"

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    theme = "Анализ современного урока"
    start_date = datetime.date(2026, 4, 1)
    end_date = datetime.date(2026, 5, 31)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Event"

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Семинар-практикум № {n}")
    form = factory.LazyFunction(lambda: EventForm.objects.get_or_create(name="семинар")[0])
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    address = "с. Камень-Рыболов, ул. Кирова, 8"
    academic_hours = 2


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Registration"

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..event.municipality")
    )
    status = "confirmed"


# --- mentoring pairs and groups -------------------------------------------------------------

class MentoringGroupFactory(factory.django.DjangoModelFactory):
    """A pair: a registered mentor and one young mentee of the same municipality."""

    class Meta:
        model = "participants.MentoringGroup"
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    mentor = factory.LazyAttribute(
        lambda o: MentorProfileFactory(person__municipality=o.municipality).person
    )
    start_date = datetime.date(2026, 9, 1)
    goal = "Освоить проектирование урока по ФГОС"

    @factory.post_generation
    def mentees(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [MenteeRecordFactory(person__municipality=self.municipality).person]
        for mentee in extracted:
            self.memberships.create(mentee=mentee)


# --- surveys --------------------------------------------------------------------------------

class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Questionnaire"

    title = factory.Sequence(lambda n: f"Оценка мероприятия {n}")
    purpose = "event_satisfaction"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A 1–5 scale question; pass kind, choices or topics for the others."""

    class Meta:
        model = "surveys.Question"
        skip_postgeneration_save = True

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"q{n}")
    kind = "scale5"
    text = factory.Sequence(lambda n: f"Вопрос {n}")

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class SurveyRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Round"

    municipality = factory.SubFactory(MunicipalityFactory)
    questionnaire = factory.SubFactory(QuestionnaireFactory)
    title = factory.Sequence(lambda n: f"Опрос № {n}")
    audience = "hand_picked"
    opens_at = factory.LazyFunction(lambda: in_days(-10))
    closes_at = factory.LazyFunction(lambda: in_days(10))


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Invitation"

    round = factory.SubFactory(SurveyRoundFactory)
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..round.municipality")
    )


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response; its key stands in for the keyed hash of a person."""

    class Meta:
        model = "surveys.Response"

    round = factory.SubFactory(SurveyRoundFactory)
    respondent_key = factory.Sequence(lambda n: f"respondent-{n}")
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Answer"

    response = factory.SubFactory(SurveyResponseFactory)
    question = factory.SubFactory(QuestionFactory)

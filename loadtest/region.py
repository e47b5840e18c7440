"""A synthetic region at a given scale: people, registry and pairs, a year of events, surveys.

At scale 1: 20 municipalities, 1,000 schools, 50,000 teachers, 5,000 events of a year with their
registrations and attendance, about 1,000,000 survey answers, a mentor registry and pairs. Every
count but the municipalities scales with it, so at 0.1 each municipality is a tenth as large while
one event stays the size of an event. Deterministic for a seed; rows go in by COPY on PostgreSQL.
"""

import datetime
import random
import secrets
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from events.models import Attendance, CalendarFeed, Event, EventForm, Program, Registration, Track
from indicators.models import ModelAdoption, PracticePresentation, StaffCount
from loadtest import names
from loadtest.bulk import create, insert
from participants import roles
from participants.models import (
    Consent,
    ConsentText,
    GroupMembership,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Municipality,
    Organisation,
    Person,
    Topic,
)
from surveys.models import Answer, Invitation, Question, Questionnaire, Response, Round
from surveys.services import respondent_key

FULL = {"schools": 1000, "teachers": 50_000, "events": 5000}
PROGRAMS_PER_MUNICIPALITY = 2
TRACKS_PER_PROGRAM = 5
EVENT_QUESTIONS = 6
PROGRAM_QUESTIONS = 20


class RegionExists(Exception):
    """The database already holds a generated region."""


@dataclass
class Region:
    """What was made, for the bench and the load scripts to find their subjects."""

    municipalities: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def _split(total, parts):
    """`total` spread over `parts` as evenly as integers allow."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _local(rng, day, zone):
    hour = rng.choice((10, 11, 13, 14, 15, 16))
    start = datetime.datetime.combine(day, datetime.time(hour), zoneinfo.ZoneInfo(zone))
    return start, start + datetime.timedelta(hours=rng.choice((1, 2, 3)))


class Builder:
    def __init__(self, *, scale, municipalities, seed, log):
        self.rng = random.Random(seed)
        self.scale = scale
        self.municipality_count = municipalities
        self.log = log
        self.today = timezone.localdate()
        self.counts = {}

    def count(self, name, n):
        self.counts[name] = self.counts.get(name, 0) + n

    # --- people ---------------------------------------------------------------------------------

    def municipalities(self):
        rows = [Municipality(name=name, time_zone=zone)
                for name, zone in names.municipalities(self.municipality_count)]
        if Municipality.objects.filter(name__in=[m.name for m in rows]).exists():
            raise RegionExists(rows[0].name)
        self.munis = create(Municipality, rows)
        self.count("municipalities", len(self.munis))

    def schools(self):
        total = max(self.municipality_count, round(FULL["schools"] * self.scale))
        rows = []
        for muni, n in zip(self.munis, _split(total, len(self.munis)), strict=True):
            rows += [Organisation(municipality=muni, name=names.school(i),
                                  short_name=names.school_short(i)) for i in range(1, n + 1)]
        self.schools_by_muni = {}
        for school in create(Organisation, rows):
            self.schools_by_muni.setdefault(school.municipality_id, []).append(school)
        self.count("schools", len(rows))

    def teachers(self):
        rng, total = self.rng, round(FULL["teachers"] * self.scale)
        rows = []
        for muni, n in zip(self.munis, _split(total, len(self.munis)), strict=True):
            schools = self.schools_by_muni[muni.pk]
            for i in range(n):
                last, first, patronymic = names.person(rng)
                person = Person(
                    municipality=muni, organisation=schools[i % len(schools)],
                    last_name=last, first_name=first, patronymic=patronymic,
                    email=f"t{muni.pk}-{i}@region.test", position="учитель",
                    subject=rng.choice(names.SUBJECTS),
                    category=rng.choice(("", "first", "highest", "conformity")),
                    experience_years=rng.choice((0, 1, 2)) if rng.random() < 0.14
                    else rng.randint(3, 40))
                person.refresh_search_text()
                rows.append(person)
        self.people_by_muni = {}
        for person in create(Person, rows):
            self.people_by_muni.setdefault(person.municipality_id, []).append(person)
        self.count("teachers", len(rows))
        text = ConsentText.objects.order_by("-effective_from").first()
        given = timezone.now() - datetime.timedelta(days=200)
        if text is not None:
            insert(Consent, (Consent(person=p, text=text, given_at=given,
                                     source=Consent.Source.PAPER) for p in rows))
        insert(CalendarFeed, (CalendarFeed(person=p) for p in rows))

    def staff(self):
        """One curator per municipality: a user linked to a person, in the curators' group."""
        curators = Group.objects.get(name=roles.CURATOR)
        self.curators = {}
        for n, muni in enumerate(self.munis, start=1):
            user = User.objects.create(username=f"region-curator-{n}", is_staff=True,
                                       first_name="Куратор", last_name=muni.name[:100])
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(curators)
            person = Person(municipality=muni, last_name="Куратор", first_name=str(n),
                            email=f"curator-{muni.pk}@region.test", user=user,
                            position="методист")
            person.save()
            self.curators[muni.pk] = person

    def registry(self):
        """Mentors (10 %), mentees (the young and some others) and a pair for most mentees."""
        rng = self.rng
        topics = list(Topic.objects.all())
        profiles, records, groups, pending = [], [], [], []
        start = self.today - datetime.timedelta(days=120)
        for muni in self.munis:
            people = self.people_by_muni[muni.pk]
            mentors = [p for p in people if (p.experience_years or 0) >= 10][: len(people) // 10]
            mentor_ids = {m.pk for m in mentors}
            mentees = [p for p in people if p.pk not in mentor_ids
                       and (p.is_young_specialist or rng.random() < 0.03)]
            profiles += [MentorProfile(person=m, can_help="Анализ урока, классное руководство",
                                       since=start, capacity=3) for m in mentors]
            records += [MenteeRecord(person=p, since=start, reason=(
                MenteeRecord.Reason.YOUNG_SPECIALIST if p.is_young_specialist
                else MenteeRecord.Reason.DEFICIT)) for p in mentees]
            for i, mentee in enumerate(mentees[: len(mentors) * 2]):
                mentor = mentors[i % len(mentors)]
                groups.append(MentoringGroup(municipality=muni, mentor=mentor, start_date=start,
                                             mentor_consent_at=timezone.now(),
                                             goal="Адаптация молодого специалиста",
                                             order_reference="Приказ № 15 от 01.09"))
                pending.append(mentee)
        profiles = create(MentorProfile, profiles)
        create(MenteeRecord, records)
        if topics:
            insert(MentorProfile.topics.through, (
                MentorProfile.topics.through(mentorprofile_id=p.pk, topic_id=t.pk)
                for p in profiles for t in rng.sample(topics, min(3, len(topics)))))
        groups = create(MentoringGroup, groups)
        insert(GroupMembership, (GroupMembership(group=g, mentee=m, consent_at=timezone.now())
                                 for g, m in zip(groups, pending, strict=True)))
        self.count("mentors", len(profiles))
        self.count("mentees", len(records))
        self.count("pairs", len(groups))

    def indicators(self):
        rng, year_start = self.rng, self.today - datetime.timedelta(days=200)
        schools = [s for muni in self.munis for s in self.schools_by_muni[muni.pk]]
        insert(StaffCount, (StaffCount(organisation=s, teachers=60, young_teachers=8,
                                       counted_on=year_start) for s in schools))
        insert(ModelAdoption, (ModelAdoption(organisation=s, adopted_on=year_start)
                               for s in schools if rng.random() < 0.4))
        insert(PracticePresentation, (
            PracticePresentation(organisation=s, title="Наставничество в школе",
                                 level=rng.choice(PracticePresentation.Level.values),
                                 presented_on=year_start + datetime.timedelta(days=30))
            for s in schools if rng.random() < 0.2))

    # --- a year of events -----------------------------------------------------------------------

    def programs(self):
        rows, tracks = [], []
        year_start = self.today - datetime.timedelta(days=270)
        for muni in self.munis:
            for n in range(1, PROGRAMS_PER_MUNICIPALITY + 1):
                rows.append(Program(municipality=muni, name=names.PROGRAMS[n - 1],
                                    start_date=year_start,
                                    end_date=year_start + datetime.timedelta(days=365),
                                    curator=self.curators[muni.pk]))
        self.programs_by_muni = {}
        for program in create(Program, rows):
            self.programs_by_muni.setdefault(program.municipality_id, []).append(program)
            for n in range(1, TRACKS_PER_PROGRAM + 1):
                start = program.start_date + datetime.timedelta(days=73 * (n - 1))
                tracks.append(Track(program=program, number=n, theme=names.TRACKS[n - 1],
                                    start_date=start,
                                    end_date=start + datetime.timedelta(days=72)))
        self.tracks_by_program = {}
        for track in create(Track, tracks):
            self.tracks_by_program.setdefault(track.program_id, []).append(track)

    def events(self):
        rng = self.rng
        forms = [EventForm.objects.get_or_create(name=name, municipality=None)[0]
                 for name in names.FORMS]
        rows = []
        total = max(len(self.munis), round(FULL["events"] * self.scale))
        for muni, n in zip(self.munis, _split(total, len(self.munis)), strict=True):
            schools = self.schools_by_muni[muni.pk]
            programs = self.programs_by_muni[muni.pk]
            for i in range(n):
                day = self.today + datetime.timedelta(days=int(365 * i / n) - 270)
                program = programs[i % len(programs)]
                tracks = self.tracks_by_program[program.pk]
                track = next((t for t in tracks if t.start_date <= day <= t.end_date), None)
                starts, ends = _local(rng, day, muni.time_zone)
                form = rng.choice(forms)
                rows.append(Event(
                    municipality=muni, program=program, track=track, form=form,
                    title=f"{form.name.capitalize()}: {rng.choice(names.TRACKS)}",
                    description="Разбор практик наставничества.", starts_at=starts,
                    ends_at=ends, venue=rng.choice(schools), room=str(rng.randint(1, 40)),
                    capacity=rng.choice((20, 30, 40, 60, 80, None)),
                    academic_hours=Decimal(2)))
        self.events_by_muni = {}
        for event in create(Event, rows):
            self.events_by_muni.setdefault(event.municipality_id, []).append(event)
        self.count("events", len(rows))

    def registrations(self):
        """10–70 people an event; the first `capacity` confirmed, the rest waitlisted; past
        events have 85 % of the confirmed marked present."""
        rng, now = self.rng, timezone.now()
        registrations, attendance = [], []
        self.attendees = {}
        for muni in self.munis:
            people = self.people_by_muni[muni.pk]
            for event in self.events_by_muni[muni.pk]:
                chosen = rng.sample(people, min(rng.randint(10, 70), len(people)))
                seats = event.capacity or len(chosen)
                queued = event.starts_at - datetime.timedelta(days=14)
                confirmed = []
                for n, person in enumerate(chosen):
                    status = (Registration.Status.CONFIRMED if n < seats
                              else Registration.Status.WAITLISTED)
                    if rng.random() < 0.05:
                        status = Registration.Status.CANCELLED
                    elif status == Registration.Status.CONFIRMED:
                        confirmed.append(person)
                    registrations.append(Registration(
                        event=event, person=person, status=status,
                        queued_at=queued + datetime.timedelta(minutes=n)))
                if event.ends_at < now:
                    present = [p for p in confirmed if rng.random() < 0.85]
                    self.attendees[event.pk] = present
                    attendance += [Attendance(event=event, person=p, marked_at=event.starts_at)
                                   for p in present]
        self.count("registrations", insert(Registration, registrations))
        self.count("attendance", insert(Attendance, attendance))

    def build(self):
        steps = [self.municipalities, self.schools, self.teachers, self.staff, self.registry,
                 self.indicators, self.programs, self.events, self.registrations,
                 self.surveys]
        for step in steps:
            started = timezone.now()
            with transaction.atomic():
                step()
            self.log(f"{step.__name__}: {(timezone.now() - started).total_seconds():.1f} с")
        return Region(municipalities=self.munis, counts=self.counts)

    # --- surveys --------------------------------------------------------------------------------

    def questionnaire(self, title, purpose, kinds):
        questionnaire = Questionnaire.objects.create(title=title, purpose=purpose)
        questions = []
        for position, kind in enumerate(kinds, start=1):
            questions.append(Question(
                questionnaire=questionnaire, position=position, code=f"q{position}", kind=kind,
                text=f"Вопрос {position}", required=kind != Question.Kind.TEXT,
                choices=list(names.CHOICES) if kind == Question.Kind.SINGLE else []))
        return create(Question, questions)

    def surveys(self):
        K = Question.Kind
        event_questions = self.questionnaire(
            "Оценка мероприятия", Questionnaire.Purpose.EVENT_SATISFACTION,
            [K.SCALE_5] * 4 + [K.SINGLE, K.TEXT])
        program_questions = self.questionnaire(
            "Удовлетворённость программой", Questionnaire.Purpose.PROGRAM_SATISFACTION,
            [K.SCALE_5] * 16 + [K.SINGLE, K.SINGLE, K.SCALE_10, K.TEXT])
        for muni in self.munis:
            self._event_rounds(muni, event_questions)
            self._program_rounds(muni, program_questions)

    def _event_rounds(self, muni, questions):
        events = [e for e in self.events_by_muni[muni.pk] if e.pk in self.attendees]
        rounds = create(Round, (Round(
            municipality=muni, questionnaire=questions[0].questionnaire, event=event,
            title=f"Оценка: {event.title}"[:255], audience=Round.Audience.EVENT_ATTENDEES,
            opens_at=event.ends_at, closes_at=event.ends_at + datetime.timedelta(days=14))
            for event in events))
        self._answer(rounds, [(r, self.attendees[r.event_id], 0.7) for r in rounds], questions)

    def _program_rounds(self, muni, questions):
        opens = timezone.now() - datetime.timedelta(days=60)
        programs = self.programs_by_muni[muni.pk]
        rounds = create(Round, (Round(
            municipality=muni, questionnaire=questions[0].questionnaire, program=program,
            title=f"Удовлетворённость: {program.name}", audience=Round.Audience.PROGRAM,
            opens_at=opens, closes_at=opens + datetime.timedelta(days=30))
            for program in programs))
        people = self.people_by_muni[muni.pk]
        invited = [(r, self.rng.sample(people, len(people) // 2), 0.6) for r in rounds]
        self._answer(rounds, invited, questions)

    def _answer(self, rounds, audiences, questions):
        rng, invitations, responses = self.rng, [], []
        for round, people, rate in audiences:
            for person in people:
                token = secrets.token_urlsafe(24)
                answered = rng.random() < rate
                stamp = round.opens_at + datetime.timedelta(hours=rng.randint(1, 200))
                invitations.append(Invitation(round=round, person=person, token=token,
                                              answered_at=stamp if answered else None))
                if answered:
                    responses.append(Response(
                        round=round, person=person, respondent_key=respondent_key(token),
                        organisation_id=person.organisation_id,
                        is_young_specialist=person.is_young_specialist,
                        submitted_at=stamp, updated_at=stamp))
        self.count("invitations", insert(Invitation, invitations))
        responses = create(Response, responses)
        self.count("responses", len(responses))
        self.count("answers", insert(Answer, (
            answer for response in responses for answer in self._answers(response, questions))))

    def _answers(self, response, questions):
        rng, K = self.rng, Question.Kind
        for question in questions:
            if question.kind == K.SCALE_5:
                yield Answer(response=response, question=question,
                             number=Decimal(rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 10, 12))[0]))
            elif question.kind == K.SCALE_10:
                yield Answer(response=response, question=question,
                             number=Decimal(rng.randint(4, 10)))
            elif question.kind == K.SINGLE:
                yield Answer(response=response, question=question,
                             choices=[rng.choice(question.choices)])
            elif rng.random() < 0.3:
                yield Answer(response=response, question=question, text=rng.choice(names.REMARKS))


def generate(*, scale=1.0, municipalities=20, seed=13, log=print):
    """Build the region into the default database; refuses a database that holds one."""
    builder = Builder(scale=scale, municipalities=municipalities, seed=seed, log=log)
    return builder.build()

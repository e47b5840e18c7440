"""Demo roadmap: «Мастер-мастеру» with five tracks from seed 000, dated relative to today."""

import datetime
import random
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from events import services
from events.models import Event, EventForm, Program, Registration, Track
from participants.models import MentorProfile, Municipality, Person, Topic

MUNICIPALITY = "Ханкайский муниципальный округ"
PROGRAM = "Мастер-мастеру"
ZONE = zoneinfo.ZoneInfo("Asia/Vladivostok")

# (number, theme, months from today: start, end, topics)
TRACKS = [
    (1, "Наставничество: подходы, механизмы и практики", -9, -8,
     ["Наставничество: подходы, механизмы и практики"]),
    (2, "Анализ современного урока", -7, -6,
     ["Анализ современного урока", "Проектирование современного урока"]),
    (3, "Функциональная грамотность как цель и результат современного образования", -2, 0,
     ["Функциональная грамотность"]),
    (4, "Идеи системно-деятельностного подхода в контексте современных педагогических технологий",
     1, 3, ["Системно-деятельностный подход", "Технология групповой работы"]),
    (5, "Планируемые результаты как основа системы оценки достижения требований стандарта",
     4, 6, ["Оценка планируемых результатов"]),
]

# (track, form, title, days from today, local start hour, hours, capacity)
EVENTS = [
    (1, "фестиваль", "Фестиваль-открытие школы наставничества «Мастер-мастеру»", -270, 14, 3, None),
    (1, "семинар", "Нормативная база наставничества: федеральный, региональный, муниципальный "
     "уровни", -255, 15, 2, 40),
    (2, "проектировочная сессия", "Проектировочная сессия «Современный урок: от цели к "
     "результату»", -210, 15, 2, 30),
    (2, "открытый урок", "Открытый урок математики в 5 классе", -200, 10, 1, 15),
    (2, "коуч-сессия", "Коуч-сессия «Анализ урока глазами наставника»", -185, 15, 2, 20),
    (3, "семинар-практикум", "Семинар-практикум «Читательская грамотность на уроках»", -50, 15,
     2, 30),
    (3, "мастер-класс", "Мастер-класс «Задания PISA в начальной школе»", -20, 15, 2, 25),
    (3, "деловая игра", "Деловая игра «Функциональная грамотность: точки роста»", -6, 15, 2, 30),
    (3, "открытый урок", "Открытый урок «Естественнонаучная грамотность»", 4, 10, 1, 12),
    (4, "выставка-ярмарка педагогических идей", "Выставка-ярмарка педагогических идей", 9, 10,
     6, None),
    (4, "мастер-класс", "Мастер-класс «Технология групповой работы»", 16, 15, 2, 20),
    (4, "методическая мозаика", "Методическая мозаика «Системно-деятельностный подход»", 37, 15,
     2, 40),
    (5, "педагогическая мастерская", "Педагогическая мастерская «Оценивание без отметки»", 130,
     15, 2, 25),
    (5, "технология открытого пространства", "Открытое пространство «Планируемые результаты»",
     150, 14, 3, 50),
]
FULL_EVENT = "Открытый урок «Естественнонаучная грамотность»"
EXHIBITION_DAYS = 16  # «с 1 по 16 декабря»: one event with a date range


def _month_start(today, months):
    year, month = divmod(today.month - 1 + months, 12)
    return datetime.date(today.year + year, month + 1, 1)


def _program(municipality, today):
    curator = Person.objects.filter(municipality=municipality, user__username="curator").first()
    program, _created = Program.objects.get_or_create(
        municipality=municipality, name=PROGRAM,
        defaults={
            "description": "Муниципальная школа наставничества — единое методическое "
            "пространство, обеспечивающее систематическое профессиональное развитие педагогов.",
            "start_date": _month_start(today, -9),
            "end_date": _month_start(today, 15) - datetime.timedelta(days=1),
            "curator": curator,
        },
    )
    return program


def _tracks(program, today, mentors):
    tracks = {}
    for number, theme, start, end, topic_names in TRACKS:
        track, created = Track.objects.get_or_create(
            program=program, number=number,
            defaults={"theme": theme, "start_date": _month_start(today, start),
                      "end_date": _month_start(today, end + 1) - datetime.timedelta(days=1)},
        )
        if created:
            track.topics.set(Topic.objects.filter(name__in=topic_names))
            track.responsible.set(mentors[:5])
        tracks[number] = track
    return tracks


def _start(today, days, hour):
    day = today + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def _event(program, tracks, row, today, mentors, rng):
    number, form, title, days, hour, hours, capacity = row
    existing = Event.objects.filter(program=program, title=title).first()
    if existing:
        return existing, False
    starts_at = _start(today, days, hour)
    ends_at = starts_at + datetime.timedelta(hours=hours)
    if form == "выставка-ярмарка педагогических идей":
        ends_at += datetime.timedelta(days=EXHIBITION_DAYS - 1)
    venue = rng.choice(list(program.municipality.organisations.all()[:4]))
    event = services.create_event(
        program.municipality, track=tracks[number], program=program, title=title,
        form=EventForm.objects.get_or_create(name=form)[0], starts_at=starts_at,
        ends_at=ends_at, venue=venue, room=str(rng.randint(1, 30)),
        capacity=capacity, academic_hours=hours,
        registration_closes_at=starts_at - datetime.timedelta(hours=12),
        topics=tracks[number].topics.all(), responsible=rng.sample(mentors, 2),
    )
    return event, True


def _fill(event, people, curator_user, rng):
    now = timezone.now()
    wanted = event.capacity + 4 if event.title == FULL_EVENT else rng.randint(8, 22)
    if event.capacity and event.title != FULL_EVENT:
        wanted = min(wanted, event.capacity)
    for person in rng.sample(people, wanted):
        services.register(event, person, by=curator_user)
    if event.ends_at < now:
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED)
        for registration in confirmed.select_related("person"):
            present = rng.random() < 0.85
            services.mark_attendance(event, registration.person, present=present,
                                     by=curator_user)
        for walk_in in rng.sample(people, 2):
            if not event.attendances.filter(person=walk_in).exists():
                services.mark_attendance(event, walk_in, by=curator_user)


@transaction.atomic
def load(stdout=None):
    """Add the roadmap to the demo municipality; a second run changes nothing."""
    municipality = Municipality.objects.filter(name=MUNICIPALITY).first()
    if municipality is None:
        return
    rng = random.Random(20230316)
    today = timezone.localdate(timezone=ZONE)
    mentors = list(Person.objects.filter(
        pk__in=MentorProfile.objects.filter(person__municipality=municipality)
        .values("person")).order_by("id"))
    people = list(Person.objects.filter(municipality=municipality, user__isnull=True)
                  .order_by("id"))
    curator_user = get_user_model().objects.filter(username="curator").first()
    program = _program(municipality, today)
    tracks = _tracks(program, today, mentors)
    created = 0
    for row in EVENTS:
        event, is_new = _event(program, tracks, row, today, mentors, rng)
        if is_new:
            created += 1
            _fill(event, people, curator_user, rng)
    if stdout:
        stdout.write(f"Дорожная карта «{PROGRAM}»: {len(tracks)} треков, "
                     f"новых мероприятий: {created}.")

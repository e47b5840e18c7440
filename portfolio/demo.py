"""Demo portfolios of «Ханкайский муниципальный округ»: observation visits and the mentors' talks,
projects and contests, so the portfolio pages and the points table have something to show.

Through the services, as the mentors would record them: each of the first three pairs gets a
visit a month since the pair began (only those already past), filled on the municipality's
observation map with marks that grow visit by visit; three mentors get a talk, a project or a
contest with a proof link. A visit is found by its pair, mentee and day, a record by its mentor
and title, so a second run adds nothing.
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from participants import demo_data as data
from participants.models import MentoringGroup, Municipality
from portfolio import services
from portfolio.models import Achievement, ObservationVisit
from practices.models import Level

PAIRS = 3  # the pairs of the demo's mentors with accounts (demo_data.MENTOR_USERNAMES)
VISIT_DAYS = (10, 40, 70, 100, 130)  # days after the pair's start
# Each mentee teaches one class of the visits: a primary one or a middle school one.
PRIMARY_CLASSES, CLASSES = ("2 «А»", "3 «Б»", "4 «А»"), ("6 «В»", "7 «Б»", "8 «А»")
# The first visit's marks (code → 1..5) and what the mentor wrote; later visits add one a time.
FIRST_MARKS = {"design": 2, "activity_approach": 2, "group_work": 1, "functional_literacy": 2,
               "digital_resources": 3, "assessment": 1, "creativity": 2, "self_analysis": 1}
NOTES = [
    ("Цели урока не связаны с планируемыми результатами; ученики работают только фронтально.",
     "Спроектировать следующий урок по технологической карте вместе с наставником."),
    ("Групповая работа начата, но без распределения ролей; оценивание только отметкой.",
     "Ввести листы самооценки; продумать роли в группах и время на каждый этап."),
    ("Затруднения в подведении итогов урока.",
     "Оставлять пять минут на рефлексию; провести самоанализ урока письменно."),
    ("", "Подготовить открытый урок для школьного методического объединения."),
    ("", "Поделиться опытом на методическом объединении молодых педагогов."),
]
EVIDENCE = "https://khanka-edu.example/nastavnichestvo/"
A, L = Achievement.Kind, Level
# (pair, kind, level, title, days after the school year's start, proof path)
RECORDS = [
    (0, A.EXPERIENCE, L.MUNICIPAL, "Выступление на муниципальном методическом объединении "
     "наставников «Самоанализ урока: памятка для молодого учителя»", 45, "mo-nastavnikov/"),
    (0, A.CONTEST, L.REGIONAL, "Региональный конкурс наставнических практик Приморского края "
     "(участник)", 80, "konkurs-praktik/"),
    (1, A.PROJECT, L.MUNICIPAL, "Муниципальный проект «Школа молодого педагога»", 20,
     "shkola-molodogo-pedagoga/"),
    (1, A.EXPERIENCE, L.SCHOOL, "Мастер-класс «Групповая работа на уроке» для педагогов школы",
     60, "master-klass/"),
    (2, A.CONTEST, L.MUNICIPAL, "Муниципальный конкурс «Педагог-наставник» (лауреат)", 70,
     "pedagog-nastavnik/"),
]


@transaction.atomic  # one delivery task for all the letters, as the other demo loaders
def load(stdout=None):
    municipality = Municipality.objects.filter(name=data.MUNICIPALITY).first()
    if municipality is None:
        return
    curator = User.objects.filter(username=data.CURATOR_USERNAME).first()
    today = timezone.localdate(timezone=municipality.zone)
    groups = list(MentoringGroup.objects.filter(municipality=municipality)
                  .select_related("municipality", "mentor__user").order_by("pk")[:PAIRS])
    visits = sum(_visits(group, today) for group in groups)
    records = _records(groups, today, curator)
    if stdout is not None:
        stdout.write(f"Портфолио: посещений уроков — {visits}, записей о выступлениях, проектах "
                     f"и конкурсах — {records} (новых).")


def _visits(group, today):
    """A visit a month to the pair's mentees in turn, up to today; marks grow each time."""
    mentees = list(group.mentees.order_by("last_name", "first_name", "pk"))
    have = set(ObservationVisit.objects.filter(group=group).values_list("mentee_id", "date"))
    made = 0
    for number, days in enumerate(VISIT_DAYS):
        day = group.start_date + datetime.timedelta(days=days)
        if day > today or not mentees:
            break
        index = number % len(mentees)
        mentee = mentees[index]
        if (mentee.pk, day) in have:
            continue
        difficulties, advice = NOTES[number]
        answers = {code: str(min(5, mark + number)) for code, mark in FIRST_MARKS.items()}
        services.record_visit(
            group, mentee=mentee, date=day, school_class=_class_of(mentee, index),
            subject=mentee.subject or group.mentor.subject or "Урок",
            kind=(ObservationVisit.Kind.MUTUAL if number == 2
                  else ObservationVisit.Kind.LESSON),
            answers={**answers, "difficulties": difficulties, "recommendations": advice},
            by=group.mentor.user)
        made += 1
    return made


def _class_of(mentee, index):
    classes = PRIMARY_CLASSES if "начальн" in mentee.subject.lower() else CLASSES
    return classes[index % len(classes)]


def _records(groups, today, curator):
    start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    made = 0
    for pair, kind, level, title, days, path in RECORDS:
        if pair >= len(groups):
            continue
        mentor = groups[pair].mentor
        day = min(today, start + datetime.timedelta(days=days))
        if Achievement.objects.filter(mentor=mentor, title=title).exists():
            continue
        services.add_achievement(mentor, kind=kind, level=level, title=title, date=day,
                                 evidence_url=EVIDENCE + path, by=mentor.user or curator)
        made += 1
    return made

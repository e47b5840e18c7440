"""Demo surveys of «Мастер-мастеру»: difficulty before and now, satisfaction after each past event.

The entry difficulty round ran when the program started, the second one is open now; many of the
same teachers answered both, and the topics the past tracks covered became easier for them, so
the pre/post form has believable pairs. Every past event has an anonymous satisfaction round.
Answers go through services.record_responses (the checks of save_answers, in bulk).
Deterministic (one seed) and idempotent: a round that exists is left as it is.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from events.models import Event, Program
from participants.models import Municipality, Person
from surveys import services
from surveys.models import Questionnaire, Round
from surveys.questions import OTHER

MUNICIPALITY = "Ханкайский муниципальный округ"
PROGRAM = "Мастер-мастеру"
# The families of the shipped templates (migration 0002): found whatever version is current.
DIFFICULTY = uuid.UUID("2e0dd4f8-722f-4207-8715-5e7a74c02faa")
EVENT = uuid.UUID("78c99e8e-9eb0-464f-9796-9c0b222bea6d")
ENTRY_TITLE = "Трудности в работе учителя: входное анкетирование"
CURRENT_TITLE = "Трудности в работе учителя: повторное анкетирование"

# How hard a topic is for a typical teacher (1–5) before the school starts.
TOPIC_DIFFICULTY = {
    "Работа с детьми с ОВЗ": 3.9, "Функциональная грамотность": 3.7,
    "Обновлённые ФГОС": 3.4, "Оценка планируемых результатов": 3.4,
    "Профилактика профессионального выгорания": 3.3, "Дисциплина и мотивация учащихся": 3.2,
    "Анализ современного урока": 3.1, "Проектирование современного урока": 3.1,
    "Системно-деятельностный подход": 3.0, "Технология групповой работы": 2.9,
    "Работа с родителями": 2.9, "Наставничество: подходы, механизмы и практики": 2.8,
    "Цифровые образовательные ресурсы": 2.7, "Развитие творческих способностей учеников": 2.6,
    "Внеурочная деятельность": 2.3, "Методическое сопровождение учителя": 2.4,
}
DIFFICULTIES = [
    "Не хватает времени на подготовку к урокам и заполнение документации.",
    "Сложно удерживать внимание класса на всём уроке.",
    "Трудно составлять задания на функциональную грамотность.",
    "Разговор с родителями, которые не идут на контакт.",
    "Оценивание метапредметных результатов.",
    "Работа с детьми, для которых русский язык не родной.",
]
HELP = [
    "Хотела бы посетить уроки наставника и разобрать их вместе.",
    "Нужны примеры технологических карт уроков по обновлённым ФГОС.",
    "Консультации по работе с детьми с ОВЗ.",
    "Помощь в подготовке открытого урока.",
    "Методические рекомендации по оцениванию.",
]
IMPROVE = [
    "Больше практики, меньше теории.", "Раздавать материалы заранее.",
    "Начинать позже: после уроков не успеваем.", "Дать больше времени на вопросы.",
    "Проводить такие встречи чаще.", "Добавить разбор реальных уроков.",
]


def _current(family):
    return Questionnaire.objects.filter(family=family, is_current=True).first()


def _experience_group(question, person):
    years = person.experience_years or 0
    index = 0 if years < 3 else 1 if years < 10 else 2 if years < 20 else 3
    return question.choices[min(index, len(question.choices) - 1)]


def _position(question, person):
    position = person.position.lower()
    for choice in question.choices:
        if choice in position or position.startswith(choice.split()[0]):
            return {"choice": choice}
    return {"choice": OTHER, "other": person.position or "педагог"}


def _difficulty_answers(questions, person, levels, rng):
    """One teacher's answers; `levels` maps topic id → their difficulty (a float)."""
    data = {}
    for question in questions:
        if question.code == "topics_difficulty":
            data[question.code] = {topic_id: str(min(5, max(1, round(level))))
                                   for topic_id, level in levels.items()}
        elif question.code == "experience_group":
            data[question.code] = {"choice": _experience_group(question, person)}
        elif question.code == "position":
            data[question.code] = _position(question, person)
        elif question.code == "help_forms":
            data[question.code] = rng.sample(question.choices, rng.randint(1, 3))
        elif question.code == "other_difficulties" and rng.random() < 0.35:
            data[question.code] = rng.choice(DIFFICULTIES)
        elif question.code == "help_wanted" and rng.random() < 0.4:
            data[question.code] = rng.choice(HELP)
    return data


def _entry_levels(matrix, person, rng):
    """A teacher's difficulty per topic at the start: young specialists find more things hard."""
    shift = (0.8 if person.is_young_specialist else 0.0) + rng.gauss(0, 0.5)
    return {topic.pk: TOPIC_DIFFICULTY.get(topic.name, 3.0) + shift + rng.gauss(0, 0.7)
            for topic in matrix.topics.all()}


def _later_levels(levels, covered, rng):
    """The same teacher now: covered topics eased by about a point, the rest about the same."""
    return {topic_id: level - (rng.gauss(0.9, 0.6) if topic_id in covered else rng.gauss(0.1, 0.4))
            for topic_id, level in levels.items()}


def _moment(rng, start, end):
    span = max((end - start).total_seconds() - 60, 60)
    return start + datetime.timedelta(seconds=rng.uniform(30, span))


def _difficulty_round(questionnaire, program, teachers, title, opens_at, closes_at):
    round = Round.objects.filter(program=program, title=title).first()
    if round is not None:
        return round, False
    return services.create_round(
        questionnaire, audience=Round.Audience.HAND_PICKED, program=program, persons=teachers,
        opens_at=opens_at, closes_at=closes_at, title=title), True


def _answer_difficulty(program, teachers, rng, now):
    """Both difficulty rounds; the second only for those the first one reached."""
    questionnaire = _current(DIFFICULTY)
    questions = services.questions_of(questionnaire)
    matrix = next(q for q in questions if q.code == "topics_difficulty")
    start = datetime.datetime.combine(program.start_date, datetime.time(9),
                                      tzinfo=program.municipality.zone)
    entry, new_entry = _difficulty_round(questionnaire, program, teachers, ENTRY_TITLE, start,
                                         start + datetime.timedelta(days=21))
    later, new_later = _difficulty_round(questionnaire, program, teachers, CURRENT_TITLE,
                                         now - datetime.timedelta(days=10),
                                         now + datetime.timedelta(days=11))
    if not (new_entry or new_later):
        return 0
    covered = set(program.tracks.filter(start_date__lt=now.date())
                  .values_list("topics", flat=True)) - {None}
    people = {person.pk: person for person in teachers}
    levels = {pk: _entry_levels(matrix, person, rng) for pk, person in people.items()}
    count = 0
    if new_entry:
        chosen = [inv for inv in entry.invitations.order_by("person_id") if rng.random() < 0.85]
        services.record_responses(entry, [
            (inv, _difficulty_answers(questions, people[inv.person_id], levels[inv.person_id],
                                      rng), _moment(rng, entry.opens_at, entry.closes_at))
            for inv in chosen])
        count += len(chosen)
    if new_later:
        services.open_round(later, now=now)
        answered_before = set(entry.invitations.filter(answered_at__isnull=False)
                              .values_list("person_id", flat=True))
        chosen = [inv for inv in later.invitations.order_by("person_id")
                  if rng.random() < (0.7 if inv.person_id in answered_before else 0.2)]
        services.record_responses(later, [
            (inv, _difficulty_answers(questions, people[inv.person_id],
                                      _later_levels(levels[inv.person_id], covered, rng), rng),
             _moment(rng, later.opens_at, now))
            for inv in chosen])
        count += len(chosen)
    return count


def _satisfaction_answers(questions, rng, mood):
    data = {}
    for question in questions:
        if question.kind == "scale5":
            data[question.code] = min(5, max(1, round(rng.gauss(mood, 0.7))))
        elif question.kind == "scale10":
            data[question.code] = min(10, max(0, round(rng.gauss(mood * 2 - 0.5, 1.3))))
        elif question.code == "improve" and rng.random() < 0.3:
            data[question.code] = rng.choice(IMPROVE)
        elif question.code == "next_topics" and question.choices:
            data[question.code] = rng.sample(question.choices, rng.randint(1, 3))
    return data


def _answer_satisfaction(program, rng, now):
    questionnaire = _current(EVENT)
    questions = services.questions_of(questionnaire)
    past = Event.objects.filter(program=program, ends_at__lt=now,
                                status=Event.Status.PLANNED).order_by("starts_at")
    count = 0
    for event in past:
        if Round.objects.filter(event=event, questionnaire__family=EVENT).exists():
            continue
        round = services.create_round(questionnaire, audience=Round.Audience.EVENT_ATTENDEES,
                                      event=event)
        if round.is_open(now):
            services.open_round(round, now=now)
        mood = rng.uniform(3.9, 4.6)
        end = min(round.closes_at, now)
        chosen = [inv for inv in round.invitations.order_by("person_id") if rng.random() < 0.75]
        services.record_responses(round, [
            (inv, _satisfaction_answers(questions, rng, mood), _moment(rng, round.opens_at, end))
            for inv in chosen])
        count += len(chosen)
    return count


@transaction.atomic
def load(stdout=None):
    """Add the demo rounds with answers; a second run adds nothing."""
    municipality = Municipality.objects.filter(name=MUNICIPALITY).first()
    program = (Program.objects.filter(municipality=municipality, name=PROGRAM)
               .select_related("municipality").first())
    if program is None or _current(DIFFICULTY) is None or _current(EVENT) is None:
        return
    rng = random.Random(20230316)
    now = timezone.now()
    # Teachers and deputy heads: the people of the school without staff accounts or a director.
    teachers = list(Person.objects.filter(municipality=municipality, user__isnull=True,
                                          is_anonymised=False)
                    .exclude(position__istartswith="директор").order_by("pk"))
    difficulty = _answer_difficulty(program, teachers, rng, now)
    satisfaction = _answer_satisfaction(program, rng, now)
    if stdout:
        stdout.write(f"Анкеты «{PROGRAM}»: новых ответов о трудностях — {difficulty}, "
                     f"оценок мероприятий — {satisfaction}.")

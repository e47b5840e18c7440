"""Mentor and mentee answers side by side: per pair or group, and per mentor across their pairs.

Named rounds aimed at mentoring pairs and groups only: an anonymous round keeps no person, and
cannot be aimed at pairs at all (surveys.services.create_round refuses it: in a pair of two,
anonymity cannot hold); a named round of another audience did not announce this view (both
refused here). This form shows each person's answers to the curator and mentors by name — which
a named round aimed at mentoring pairs announces to its respondents — so it is a separate page
from the evaluation form, whose figures keep the small-group rule.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from participants.models import GroupMembership, MentoringGroup
from surveys.errors import AnonymousRound, NotPairRound
from surveys.evaluation.figures import NUM, TEXT, Column, Fact, Form, Section, Table, num
from surveys.models import Answer, Question, Round

Kind = Question.Kind
SHOWN = (Kind.SCALE_5, Kind.SCALE_10, Kind.NUMBER, Kind.MATRIX, Kind.SINGLE, Kind.MULTIPLE,
         Kind.TEXT)


def _measures(round):
    """(question id, topic id or None, label, kind) in questionnaire order."""
    measures = []
    for question in (Question.objects.filter(questionnaire_id=round.questionnaire_id)
                     .order_by("position").prefetch_related("topics")):
        if question.kind == Kind.MATRIX:
            measures += [(question.pk, t.pk, f"{question.text} — {t.name}", NUM)
                         for t in question.topics.all()]
        elif question.kind in SHOWN:
            numeric = question.kind in (Kind.SCALE_5, Kind.SCALE_10, Kind.NUMBER)
            measures.append((question.pk, None, question.text, NUM if numeric else TEXT))
    return measures


def _answers_by_person(round):
    """person id → {(question id, topic id): number or text}, of submitted responses."""
    found = defaultdict(dict)
    for person_id, question_id, topic_id, number, choices, text in Answer.objects.filter(
            response__round=round, response__submitted_at__isnull=False,
            response__person__isnull=False).values_list(
            "response__person_id", "question_id", "topic_id", "number", "choices", "text"):
        value = float(number) if number is not None else "; ".join(
            [*(choices or []), *([text] if text else [])])
        found[person_id][(question_id, topic_id)] = value
    return found


def _groups(round):
    groups = MentoringGroup.objects.filter(municipality_id=round.municipality_id)
    if round.mentoring_group_id:
        groups = groups.filter(pk=round.mentoring_group_id)
    groups = list(groups.filter(Q(end_date__isnull=True) | Q(end_date__gte=round.opens_at.date()))
                  .select_related("mentor").order_by("mentor__last_name", "pk"))
    mentees = defaultdict(list)
    for membership in GroupMembership.objects.filter(group__in=groups).select_related("mentee") \
            .order_by("mentee__last_name", "pk"):
        mentees[membership.group_id].append(membership.mentee)
    return [(g, mentees[g.pk]) for g in groups]


def _side(values, kind):
    """What one side said: the value, the mean of numbers, or the texts joined."""
    values = [v for v in values if v not in (None, "")]
    if not values:
        return None
    if kind == NUM:
        return num(sum(values) / len(values))
    return " | ".join(values)


def _table(key, title, measures, mentor_answers, mentee_answers, facts):
    rows = []
    for question_id, topic_id, label, kind in measures:
        mentor = mentor_answers.get((question_id, topic_id))
        mentees = _side([a.get((question_id, topic_id)) for a in mentee_answers], kind)
        if mentor is None and mentees is None:
            continue
        row = {"question": label, "mentor": mentor, "mentees": mentees}
        if kind == NUM and isinstance(mentor, float) and isinstance(mentees, float):
            row["gap"] = num(mentees - mentor)
        rows.append(row)
    return Table(key, title, [
        Column("question", _("Вопрос")), Column("mentor", _("Наставник")),
        Column("mentees", _("Наставляемые")), Column("gap", _("Разница"), NUM)], rows, facts)


def rule_text():
    return _("Ответы по людям показаны только для именных опросов, адресованных наставническим "
             "парам и группам: участникам объявлено, что их ответы увидят рядом. Анонимную "
             "анкету парам адресовать нельзя; в оценочных листах группы меньше 5 ответов "
             "скрыты.")


def pair_answers(round):
    """The side-by-side form of a named round aimed at mentoring pairs and groups."""
    round = Round.objects.select_related("questionnaire", "municipality").get(pk=round.pk)
    if round.questionnaire.is_anonymous:
        raise AnonymousRound(_("Опрос анонимный: ответы нельзя сопоставить по парам."))
    if round.audience != Round.Audience.MENTORING_GROUPS:
        # Only a round aimed at pairs told its respondents that their pair would see them side
        # by side; a named round of another audience keeps its answers to the evaluation form.
        raise NotPairRound(_("Опрос адресован не наставническим парам и группам."))
    measures, answers = _measures(round), _answers_by_person(round)
    pairs, by_mentor = [], defaultdict(list)
    for group, mentees in _groups(round):
        answered = [m for m in mentees if m.pk in answers]
        if group.mentor_id not in answers and not answered:
            continue
        names = ", ".join(m.full_name for m in mentees)
        pairs.append(_table(
            f"pair-{group.pk}", _("%(mentor)s — %(mentees)s") % {
                "mentor": group.mentor.full_name, "mentees": names},
            measures, answers.get(group.mentor_id, {}), [answers[m.pk] for m in answered],
            [Fact("answered", _("Ответили наставляемые"), f"{len(answered)} / {len(mentees)}"),
             Fact("mentor", _("Наставник ответил"), _("да") if group.mentor_id in answers
                  else _("нет"))]))
        by_mentor[group.mentor].extend(answered)
    mentors = [_table(f"mentor-{mentor.pk}", mentor.full_name, measures,
                      answers.get(mentor.pk, {}), [answers[m.pk] for m in mentees],
                      [Fact("mentees", _("Ответивших наставляемых во всех парах"),
                            len(mentees))])
               for mentor, mentees in by_mentor.items()]
    note = _("«Разница» — среднее наставляемых минус ответ наставника.")
    for table in pairs + mentors:
        table.note = note
    sections = [Section("pairs", _("По парам и группам"), pairs),
                Section("mentors", _("По наставникам (все их пары)"), mentors)]
    return Form("pairs", _("Ответы наставников и наставляемых: %(round)s") % {
        "round": round.title}, [Fact("questionnaire", _("Анкета"), str(round.questionnaire)),
                                 Fact("municipality", _("Муниципалитет"),
                                      round.municipality.name),
                                 Fact("rule", _("Правило"), rule_text())],
        [s for s in sections if s.tables], f"pairs-round-{round.pk}",
        round.municipality.time_zone)

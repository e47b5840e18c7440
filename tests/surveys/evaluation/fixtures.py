"""Fixtures of evaluation tests (a pytest plugin of their modules): hand-written survey data."""

import pytest

from tests.factories import (
    EventFactory,
    InvitationFactory,
    OrganisationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SurveyRoundFactory,
    TopicFactory,
    TrackFactory,
    in_days,
)
from tests.surveys.evaluation.data import FORMATS, NEXT_TOPICS, respond


@pytest.fixture
def topics(db):
    return [TopicFactory(name="Оценивание результатов"), TopicFactory(name="Дисциплина на уроке"),
            TopicFactory(name="Требования ФГОС")]


@pytest.fixture
def form_questions(topics):
    questionnaire = QuestionnaireFactory(title="Оценка семинара", is_anonymous=True)
    q = {}
    for position, (code, kind, extra) in enumerate([
            ("useful", "scale5", {}), ("recommend", "scale10", {}),
            ("format", "single", {"choices": FORMATS, "allow_other": True}),
            ("next", "multiple", {"choices": NEXT_TOPICS, "allow_other": True}),
            ("improve", "text", {}), ("hours", "number", {}),
            ("difficulty", "matrix", {"topics": topics})], start=1):
        q[code] = QuestionFactory(questionnaire=questionnaire, position=position, code=code,
                                  kind=kind, text=f"Вопрос «{code}»", **extra)
    return q


# Seven respondents (five young, two not), everyone from one school; a draft is left out.
USEFUL = [5, 4, 4, 3, 5, 2, 4]
RECOMMEND = [10, 9, 8, 7, 6, 0, 9]
FORMAT = [["очно"], ["очно"], ["дистанционно"], (["другое"], "смешанный"), ["очно"], None, None]
NEXT = [["Оценивание", "ФГОС"], ["ФГОС"], ["ФГОС", "Воспитание"],
        (["другое"], "Цифровые инструменты"), ["Оценивание"], None, None]
IMPROVE = ["Больше практики", None, "Меньше теории", None, None, None, None]
HOURS = [2, 4, 4.5, 9.5, None, None, None]
DIFFICULTY = [(5, 3, 1), (4, 4, 2), (4, 2, 1), (3, 5, 2), (5, 3, 1), (4, 1, None), (2, 3, 3)]


@pytest.fixture
def small_round(municipality, form_questions, topics):
    track = TrackFactory(program__municipality=municipality, program__name="Мастер-мастеру")
    event = EventFactory(municipality=municipality, program=track.program, track=track,
                         title="Семинар «Анализ урока»", starts_at=in_days(-3))
    round = SurveyRoundFactory(municipality=municipality, event=event, audience="event",
                               questionnaire=form_questions["useful"].questionnaire,
                               title="Оценка семинара «Анализ урока»")
    school = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ № 1")
    for n in range(10):
        InvitationFactory(round=round, answered_at=in_days(-1) if n < 7 else None)
    q = form_questions
    for n in range(7):
        answers = {q["useful"]: USEFUL[n], q["recommend"]: RECOMMEND[n],
                   q["difficulty"]: {t: p for t, p in zip(topics, DIFFICULTY[n], strict=True)
                                     if p is not None}}
        for code, values in (("format", FORMAT), ("next", NEXT), ("improve", IMPROVE),
                             ("hours", HOURS)):
            if values[n] is not None:
                answers[q[code]] = values[n]
        respond(round, f"key-{n}", answers, organisation=school, young=n < 5)
    respond(round, "draft", {q["useful"]: 1}, organisation=school, young=True, submitted=False)
    return round


@pytest.fixture
def prepost_rounds(municipality, topics):
    """Difficulty before (v1) and after (v2, same codes): six respondents each, five in both."""
    before_form = QuestionnaireFactory(title="Трудности", purpose="difficulty", is_anonymous=True,
                                       is_current=False)
    after_form = QuestionnaireFactory(title="Трудности", purpose="difficulty", is_anonymous=True,
                                      family=before_form.family, version=2)
    rounds = []
    for form, days in ((before_form, -200), (after_form, -2)):
        matrix = QuestionFactory(questionnaire=form, position=1, code="difficulty",
                                 kind="matrix", topics=topics)
        motivation = QuestionFactory(questionnaire=form, position=2, code="motivation",
                                     text="Мотивация к профессиональному развитию")
        # The "after" is declared as the continuation of the "before": anonymous rounds pair
        # only within such a series, through its pseudonyms (here the respondents' keys).
        rounds.append((SurveyRoundFactory(municipality=municipality, questionnaire=form,
                                          opens_at=in_days(days), closes_at=in_days(days + 1),
                                          pair_of=rounds[0][0] if rounds else None),
                       matrix, motivation))
    (before, b_matrix, b_motivation), (after, a_matrix, a_motivation) = rounds
    a, b, c = topics
    before_points = {"p1": (5, 4, 3, 2), "p2": (4, 4, 3, 3), "p3": (5, 3, 2, 3),
                     "p4": (3, 5, 4, 4), "p5": (4, 2, None, 2), "gone": (1, 1, 1, 1)}
    after_points = {"p1": (3, 4, 2, 4), "p2": (2, 5, 2, 4), "p3": (4, 3, 1, 3),
                    "p4": (3, 3, 4, 5), "p5": (2, 2, 3, 3), "new": (5, 5, 5, 5)}
    for round, matrix, motivation, points in ((before, b_matrix, b_motivation, before_points),
                                              (after, a_matrix, a_motivation, after_points)):
        for key, (pa, pb, pc, motive) in points.items():
            cells = {t: p for t, p in ((a, pa), (b, pb), (c, pc)) if p is not None}
            respond(round, key, {matrix: cells, motivation: motive}, pair_key=key)
    return before, after

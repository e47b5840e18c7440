"""Survey data for evaluation tests: respondents with answers, written down by hand."""

from decimal import Decimal

from surveys.models import Answer, Response
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    SurveyRoundFactory,
    in_days,
)

FORMATS = ["очно", "дистанционно"]
NEXT_TOPICS = ["Оценивание", "ФГОС", "Воспитание"]


def respond(round, key, answers, *, organisation=None, young=None, submitted=True,
            pair_key=""):
    """One response with answers: {question: value}; a matrix value is {topic: point}."""
    response = Response.objects.create(
        round=round, respondent_key=key, organisation=organisation, is_young_specialist=young,
        submitted_at=in_days(-1) if submitted else None, pair_key=pair_key)
    rows = []
    for question, value in answers.items():
        if question.kind == "matrix":
            rows += [Answer(response=response, question=question, topic=topic,
                            number=Decimal(point)) for topic, point in value.items()]
        elif question.kind in ("single", "multiple"):
            choices, text = value if isinstance(value, tuple) else (value, "")
            rows.append(Answer(response=response, question=question, choices=choices, text=text))
        elif question.kind == "text":
            rows.append(Answer(response=response, question=question, text=value))
        else:
            rows.append(Answer(response=response, question=question, number=Decimal(str(value))))
    Answer.objects.bulk_create(rows)
    return response


def round_with(municipality, form_questions, topics, respondents):
    """A round of `respondents` answering every question of form_questions."""
    round = SurveyRoundFactory(municipality=municipality,
                               questionnaire=form_questions["useful"].questionnaire)
    school = OrganisationFactory(municipality=municipality)
    q = form_questions
    for n in range(respondents):
        InvitationFactory(round=round, answered_at=in_days(-1))
        respond(round, f"k{n}", {
            q["useful"]: n % 5 + 1, q["recommend"]: n % 11, q["format"]: ["очно"],
            q["next"]: (["ФГОС", "другое"], f"свой {n}"), q["improve"]: f"текст {n}",
            q["hours"]: n, q["difficulty"]: {t: (n + i) % 5 + 1 for i, t in enumerate(topics)}},
            organisation=school, young=n % 2 == 0)
    return round


def table(form, key):
    """The table `key` of an evaluation form, whichever section holds it."""
    return next(t for section in form.sections for t in section.tables if t.key == key)


def facts(table):
    return {fact.key: fact.value for fact in table.facts}

"""Per-school comparison of a round: response rate, hardest topic, a school × topic heat map.

Read side, a fixed handful of queries. The response rate comes from the invitations (who was
asked and who answered, by the school of the person). The topics come from the difficulty
matrix of a named round, whose responses keep the school: an anonymous round keeps none, so its
comparison stops at the response rate. Schools under the threshold of surveys/suppression.py
are hidden from the topic figures, with enough others to protect them.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from config import pdf
from surveys.evaluation import exports
from surveys.evaluation.counts import Cell
from surveys.evaluation.figures import (
    INT,
    PCT,
    Column,
    Form,
    Section,
    Table,
    group_rankings,
    natural_key,
    school_key,
    share,
)
from surveys.models import Answer, Invitation, Question, Round
from surveys.suppression import suppressed_text

HEAT_LEVELS = 5  # one CSS class (heat-1 … heat-5) per point of the 1–5 difficulty scale


@dataclass
class Comparison:
    round: Round
    rates: list  # (school, invited, answered, rate)
    topics: list  # [(topic id, name)] in vocabulary order
    schools: list  # (school, n, {topic id: mean}, hardest (name, mean) or None)
    hidden: list  # names of schools hidden from the topic figures
    anonymous: bool


def heat_level(mean):
    """1..5 for a mean difficulty (its nearest scale point), None for no figure."""
    return None if mean is None else min(HEAT_LEVELS, max(1, int(mean + 0.5)))


def _rates(round):
    rows = (Invitation.objects.filter(round=round)
            .values("person__organisation__short_name", "person__organisation__name")
            .annotate(invited=Count("id"), answered=Count("answered_at")).order_by())
    rates = [((r["person__organisation__short_name"] or r["person__organisation__name"]
               or _("без школы")), r["invited"], r["answered"], share(r["answered"], r["invited"]))
             for r in rows]
    return sorted(rates, key=lambda r: natural_key(r[0]))


def _matrix(round):
    """Topics of the round's difficulty matrix; its cells, respondents and name per school."""
    matrix = Question.objects.filter(questionnaire_id=round.questionnaire_id,
                                     kind=Question.Kind.MATRIX).order_by("position").first()
    if matrix is None:
        return [], {}, {}, {}
    topics = list(matrix.topics.order_by("position", "name").values_list("pk", "name"))
    cells, respondents, names = {}, {}, {}
    for response_id, topic_id, number, org, short, full in (
            Answer.objects.filter(question=matrix, response__submitted_at__isnull=False,
                                  response__organisation__isnull=False, number__isnull=False)
            .values_list("response_id", "topic_id", "number", "response__organisation_id",
                         "response__organisation__short_name", "response__organisation__name")):
        group = school_key(org)
        cells.setdefault(group, []).append(Cell(topic_id, float(number), org, None, 1))
        respondents.setdefault(group, set()).add(response_id)
        names[group] = short or full
    return topics, cells, {g: len(r) for g, r in respondents.items()}, names


def school_comparison(round):
    """The comparison of the schools of one round."""
    anonymous = round.questionnaire.is_anonymous
    topics, cells, sizes, names = ([], {}, {}, {}) if anonymous else _matrix(round)
    schools, hidden = [], []
    if topics and cells:
        labels = dict(sorted(names.items(), key=lambda kv: natural_key(kv[1])))
        shown, hidden = group_rankings(cells, sizes, topics, labels)
        for group, n, ranked in shown:
            means = {topic_id: mean for topic_id, _name, _n, mean, _hard in ranked}
            top = ranked[0] if ranked and ranked[0][3] is not None else None
            schools.append((labels[group], n, means, (top[1], top[3]) if top else None))
    return Comparison(round, _rates(round), topics, schools, [labels[g] for g in hidden]
                      if hidden else [], anonymous)


def comparison_form(comparison):
    """Response rates and hardest topics as tables (the heat map is drawn by its renderers)."""
    rates = Table("rates", _("Доля ответивших по школам"), [
        Column("school", _("Школа")), Column("invited", _("Приглашено"), INT),
        Column("answered", _("Ответили"), INT), Column("rate", _("Доля ответивших"), PCT)],
        [{"school": s, "invited": i, "answered": a, "rate": r}
         for s, i, a, r in comparison.rates])
    note = ""
    if comparison.anonymous:
        note = _("Опрос анонимный: ответы не связаны со школами, сравнение тем недоступно.")
    elif comparison.hidden:
        note = f"{', '.join(comparison.hidden)}: {suppressed_text()}"
    hardest = Table("hardest", _("Самая трудная тема в каждой школе"), [
        Column("school", _("Школа")), Column("topic", _("Тема")),
        Column("mean", _("Средняя трудность (1–5)"), "num")],
        [{"school": s, "topic": top[0], "mean": top[1]}
         for s, _n, _means, top in comparison.schools if top], note=note)
    round = comparison.round
    return Form("schools", _("Сравнение школ: %(round)s") % {"round": round.title},
                [], [Section("schools", _("Школы"), [rates, hardest])],
                f"schools-round-{round.pk}", round.municipality.time_zone)


def heat_rows(comparison):
    """Rows of the heat map: (school with n, [(text, level)] per topic)."""
    return [(f"{school} (n={n})", [("" if means.get(pk) is None else
                                    f"{means[pk]:.2f}".replace(".", ","),
                                    heat_level(means.get(pk))) for pk, _name in
                                   comparison.topics])
            for school, n, means, _top in comparison.schools]


HEAT_COLOURS = ["#eef5ea", "#d9ebc9", "#fbe6a6", "#f6b77f", "#e8776a"]


def comparison_pdf(comparison):
    """The comparison as a PDF: the tables, then the heat map with coloured cells."""
    form = comparison_form(comparison)
    sheet = pdf.styles()
    flowables = [*exports.pdf_flowables(form, sheet)]
    rows = heat_rows(comparison)
    if rows:
        flowables.append(pdf.text(_("Тепловая карта: средняя трудность тем по школам"),
                                  sheet["heading"]))
        flowables += pdf.heat_table([_("Школа")] + [name for _pk, name in comparison.topics],
                                    rows, HEAT_COLOURS, style_sheet=sheet)
    return pdf.render(flowables, title=form.title, author=_("Школа наставничества"),
                      footer=form.title, wide=len(comparison.topics) > 6)

"""Evaluation forms (оценочные листы): of a round, of a series of rounds, before and after.

Read side. A fixed handful of queries whatever the number of answers or rounds: the answers come
counted by the database (surveys/evaluation/counts.py: each distinct answer of a round and
question once, with how many gave it), the figures are computed from those counts in plain
Python (surveys/evaluation/figures.py) — only before/after, which pairs respondents, reads answer
rows into pandas — and the result is plain tables that every renderer — the page, JSON, PDF,
XLSX, CSV — shows as it is. Anonymity: no table has a row per person; free
texts come in an order that says nothing of who wrote them; every group — a round's respondents,
a school, an experience group, the pairs of a before/after, a round in a trend — with fewer than
MIN_GROUP members is suppressed (surveys/suppression.py), named rounds included.
"""

import json
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, FloatField, IntegerField, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import Invalid
from events.models import Program, Track
from surveys.evaluation.counts import counted
from surveys.evaluation.figures import (
    DELTA,
    INT,
    NUM,
    PCT,
    Chart,
    Column,
    Fact,
    Form,
    Numbers,
    Section,
    Table,
    choice_tables,
    local_date,
    matrix_tables,
    num,
    number_table,
    question_title,
    scale_table,
    share,
    text_table,
    written,
)
from surveys.models import Answer, Invitation, Question, Response, Round
from surveys.suppression import MIN_GROUP, is_small, suppressed_text

__all__ = ["MIN_GROUP", "Chart", "Column", "Fact", "Form", "Section", "Table",
           "prepost_evaluation", "round_evaluation", "rounds_of", "series_evaluation"]

Kind = Question.Kind
MEASURED = (Kind.SCALE_5, Kind.SCALE_10, Kind.NUMBER, Kind.MATRIX)

# --- loading: the same handful of queries for one round or many --------------------------------

@dataclass
class _Data:
    rounds: list
    questions: dict  # questionnaire id -> [question dict] in order
    topics: dict  # matrix question id -> [(topic id, name)] in order
    counts: dict  # round id -> {"invited": n, "answered": n}
    answers: dict  # round id -> Counts (surveys/evaluation/counts.py)


RESPONSE_COLUMNS = ["response_id", "round_id", "person_id", "pair_key", "organisation_id",
                    "short_name", "name", "young"]
ANSWER_COLUMNS = ["response_id", "question_id", "topic_id", "number", "choices", "text"]


def round_date(round):
    """When a round happened: its event's start, or its opening for a round without one."""
    return round.event.starts_at if round.event_id else round.opens_at


def _respondent(response_id, person_id, pair_key):
    """Who answered, as far as pairing rounds goes: the person of a named round, the series
    pseudonym of an anonymous one, else only the response itself."""
    if pair_key:
        return f"s:{pair_key}"
    return f"p:{int(person_id)}" if not pd.isna(person_id) else f"r:{response_id}"


def _invitations(field=None):
    """A subquery: the invitations of the outer round (those with `field` set, if given)."""
    count = Count(field) if field else Count("id")
    return Subquery(Invitation.objects.filter(round_id=OuterRef("pk")).order_by()
                    .values("round_id").annotate(n=count).values("n"),
                    output_field=IntegerField())


def _load(round_ids, *, counted_answers=True):
    """Rounds, questionnaires and participation of the rounds; their answers counted (or, for
    pairing respondents, left for _answer_rows)."""
    rounds = sorted(
        Round.objects.filter(pk__in=round_ids).select_related(
            "questionnaire", "municipality", "event__program", "event__track", "track__program",
            "program").annotate(invited=_invitations(), answered=_invitations("answered_at")),
        key=lambda r: (round_date(r), r.pk))
    forms = {r.questionnaire_id for r in rounds}
    questions = {}
    for row in (Question.objects.filter(questionnaire_id__in=forms)
                .order_by("questionnaire_id", "position")
                .values("id", "questionnaire_id", "position", "code", "kind", "text", "choices",
                        "allow_other", "scale_labels")):
        questions.setdefault(row["questionnaire_id"], []).append(row)
    topics = {}
    for question_id, topic_id, name in (
            Question.topics.through.objects.filter(question__questionnaire_id__in=forms)
            .order_by("topic__position", "topic__name")
            .values_list("question_id", "topic_id", "topic__name")):
        topics.setdefault(question_id, []).append((topic_id, name))
    counts = {r.pk: {"invited": r.invited or 0, "answered": r.answered or 0} for r in rounds}
    answers = counted([r.pk for r in rounds], chosen=_chosen(questions)) \
        if counted_answers else {}
    return _Data(rounds, questions, topics, counts, answers)


def _chosen(questions):
    """Ids of the questions whose choices mean something."""
    return {q["id"] for rows in questions.values() for q in rows
            if q["kind"] in (Kind.SINGLE, Kind.MULTIPLE)}


def _answer_rows(data):
    """One row per submitted response and per answer (pairing respondents needs them)."""
    round_ids = [r.pk for r in data.rounds]
    submitted = Q(submitted_at__isnull=False)
    responses = pd.DataFrame.from_records(
        list(Response.objects.filter(submitted, round_id__in=round_ids).values_list(
            "id", "round_id", "person_id", "pair_key", "organisation_id",
            "organisation__short_name", "organisation__name", "is_young_specialist")),
        columns=RESPONSE_COLUMNS)
    responses["respondent"] = [_respondent(*row) for row in zip(
        responses["response_id"], responses["person_id"], responses["pair_key"], strict=True)]
    answers = pd.DataFrame.from_records(
        list(Answer.objects.filter(response__round_id__in=round_ids,
                                   response__submitted_at__isnull=False)
             .annotate(value=Cast("number", FloatField()), raw=Cast("choices", TextField()))
             .values_list("response_id", "question_id", "topic_id", "value", "raw", "text")),
        columns=ANSWER_COLUMNS)
    chosen = _chosen(data.questions)
    answers["choices"] = [json.loads(raw) if question in chosen and raw else []
                          for question, raw in zip(answers["question_id"], answers["choices"],
                                                   strict=True)]
    answers["number"] = answers["number"].astype(float)
    answers["round_id"] = answers["response_id"].map(
        responses.set_index("response_id")["round_id"])
    return responses, answers


# --- a round ------------------------------------------------------------------------------------

def _summary_table(data, round, key):
    counts = data.counts.get(round.pk, {})
    invited, answered = counts.get("invited", 0), counts.get("answered", 0)
    return Table(key, _("Приглашены и ответили"), facts=[
        Fact("invited", _("Приглашено"), invited, INT),
        Fact("answered", _("Ответили"), answered, INT),
        Fact("response_rate", _("Доля ответивших"), share(answered, invited), PCT)])


SECTION_OF = {Kind.TEXT: "texts", Kind.MATRIX: "topics"}


def _suppressed_parts(data, round, summary, prefix):
    """A round of too few respondents: its participation, and every question only by title."""
    summary.note = _("Ответов меньше %(n)s: результаты скрыты, чтобы нельзя было узнать ответы "
                     "отдельного человека.") % {"n": MIN_GROUP}
    return [("summary", summary)] + [
        (SECTION_OF.get(q["kind"], "questions"),
         Table(f"{prefix}q-{q['code']}", question_title(q), note=suppressed_text()))
        for q in data.questions.get(round.questionnaire_id, [])]


def _round_parts(data, round, prefix=""):
    """(section key, table) pairs of one round: participation, questions, topics, texts."""
    answers = data.answers[round.pk]
    summary = _summary_table(data, round, f"{prefix}summary")
    if is_small(answers.responses):
        return _suppressed_parts(data, round, summary, prefix)
    parts = [("summary", summary)]
    for question in data.questions.get(round.questionnaire_id, []):
        kind, pk = question["kind"], question["id"]
        key = f"{prefix}q-{question['code']}"
        cells, picks = answers.numbers.get(pk, []), answers.picks.get(pk, [])
        if kind in (Kind.SCALE_5, Kind.SCALE_10):
            numbers = Numbers((cell.value, cell.n) for cell in cells)
            parts.append(("questions", scale_table(question, numbers, key)))
        elif kind in (Kind.SINGLE, Kind.MULTIPLE):
            parts += [("questions", t) for t in choice_tables(question, picks, key)]
        elif kind == Kind.NUMBER:
            numbers = Numbers((cell.value, cell.n) for cell in cells)
            parts.append(("questions", number_table(question, numbers, key)))
        elif kind == Kind.TEXT:
            parts.append(("texts", text_table(question, written(picks), key)))
        elif kind == Kind.MATRIX:
            parts += [("topics", t) for t in matrix_tables(
                question, cells, answers.raters.get(pk, []), answers.respondents,
                data.topics.get(pk, []), key)]
    return parts


def program_of(round):
    if round.program_id:
        return round.program
    if round.track_id:
        return round.track.program
    return round.event.program if round.event_id else None


def _round_header(round):
    zone = round.municipality.zone
    program = program_of(round)
    track = round.track if round.track_id else (round.event.track if round.event_id else None)
    questionnaire = round.questionnaire
    return [
        Fact("program", _("Программа"), program.name if program else ""),
        Fact("track", _("Трек"), str(track) if track else ""),
        Fact("event", _("Мероприятие"), f"{round.event.title}, "
             f"{local_date(round.event.starts_at, zone)}" if round.event_id else ""),
        Fact("municipality", _("Муниципалитет"), round.municipality.name),
        Fact("questionnaire", _("Анкета"), str(questionnaire)),
        Fact("dates", _("Сроки опроса"), f"{local_date(round.opens_at, zone)} – "
             f"{local_date(round.closes_at, zone)}"),
        Fact("anonymous", _("Анонимный опрос"),
             _("да") if questionnaire.is_anonymous else _("нет")),
    ]


SECTION_TITLES = {"summary": gettext_lazy("Участие"),
                  "questions": gettext_lazy("Ответы на вопросы"),
                  "topics": gettext_lazy("Трудности по темам"),
                  "texts": gettext_lazy("Свободные ответы")}


def round_evaluation(round):
    """The evaluation form of one round."""
    data = _load([round.pk])
    if not data.rounds:
        raise Round.DoesNotExist
    round = data.rounds[0]
    parts = _round_parts(data, round)
    sections = []
    for key in ("summary", "questions", "topics", "texts"):
        tables = [table for part, table in parts if part == key]
        if tables:
            sections.append(Section(key, str(SECTION_TITLES[key]), tables))
    return Form("round", _("Оценочный лист: %(round)s") % {"round": round.title},
                _round_header(round), sections, f"evaluation-round-{round.pk}",
                round.municipality.time_zone)


# --- a series: the rounds of a track or a program ----------------------------------------------

def rounds_of(subject):
    """Rounds of a track or a program (directly, or through their events), or those given."""
    if isinstance(subject, Track):
        return Round.objects.filter(Q(track=subject) | Q(event__track=subject))
    if isinstance(subject, Program):
        return Round.objects.filter(Q(program=subject) | Q(track__program=subject)
                                    | Q(event__program=subject) | Q(event__track__program=subject))
    return Round.objects.filter(pk__in=[r.pk for r in subject])


def _questions_frame(data):
    rows = [q for questions in data.questions.values() for q in questions]
    return pd.DataFrame(rows, columns=["id", "questionnaire_id", "position", "code", "kind",
                                       "text", "choices", "allow_other", "scale_labels"])


def _measured(data, answers):
    """Numeric answers (rows) with their question code, kind and topic (0 for a plain
    question)."""
    questions = _questions_frame(data)
    questions = questions[questions["kind"].isin(MEASURED)][["id", "code", "kind"]]
    answers = answers.dropna(subset=["number"]).merge(
        questions, left_on="question_id", right_on="id")
    return answers.assign(topic_key=answers["topic_id"].fillna(0).astype(int))


def _measure_stats(data, rounds):
    """{(code, topic or 0, round id): (answers, mean)} of the measured questions."""
    stats = {}
    for round in rounds:
        counts = data.answers[round.pk]
        for question in data.questions.get(round.questionnaire_id, []):
            if question["kind"] not in MEASURED:
                continue
            by_topic = {}
            for cell in counts.numbers.get(question["id"], ()):
                by_topic.setdefault(cell.topic_id or 0, []).append((cell.value, cell.n))
            for topic, values in by_topic.items():
                numbers = Numbers(values)
                stats[(question["code"], topic, round.pk)] = (numbers.n, numbers.mean)
    return stats


def _measure_labels(data):
    """(code, topic) → (label, kind) in the order of the questionnaires; the latest text wins."""
    labels = {}
    for round in data.rounds:
        for question in data.questions.get(round.questionnaire_id, []):
            if question["kind"] not in MEASURED:
                continue
            if question["kind"] == Kind.MATRIX:
                for topic_id, name in data.topics.get(question["id"], []):
                    labels[(question["code"], topic_id)] = (
                        f"{question['text']} — {name}", question["kind"])
            else:
                labels[(question["code"], 0)] = (question["text"], question["kind"])
    return labels


def _trend_table(measure, label, kind, stats, rounds):
    zone = rounds[0].municipality.zone
    rows, previous = [], None
    for round in rounds:
        if (*measure, round.pk) not in stats:
            continue
        count, mean = stats[(*measure, round.pk)]
        mean = num(mean)
        rows.append({"date": local_date(round_date(round), zone), "round": round.title,
                     "count": int(count), "mean": mean,
                     "change": None if previous is None else num(mean - previous)})
        previous = mean
    facts = []
    if len(rows) > 1:
        facts.append(Fact("change", _("Изменение от первого опроса к последнему"),
                          num(rows[-1]["mean"] - rows[0]["mean"]), DELTA))
    top = {Kind.SCALE_5: 5.0, Kind.MATRIX: 5.0, Kind.SCALE_10: 10.0}.get(kind)
    code, topic = measure
    return Table(f"trend-{code}" + (f"-t{topic}" if topic else ""), label,
                 [Column("date", _("Дата")), Column("round", _("Опрос")),
                  Column("count", _("Ответов"), INT), Column("mean", _("Среднее"), NUM),
                  Column("change", _("Изменение"), DELTA)],
                 rows, facts, note=_("Изменение — по сравнению с предыдущим опросом."),
                 chart=Chart("round", "mean", NUM, top))


def _trend_tables(data):
    """A table per measure over the rounds; a round of too few respondents is left out."""
    if not data.rounds:
        return []
    shown = [r for r in data.rounds if not is_small(data.answers[r.pk].responses)]
    stats = _measure_stats(data, shown)
    measures = {(code, topic) for code, topic, _round in stats}
    tables = [_trend_table(measure, label, kind, stats, shown)
              for measure, (label, kind) in _measure_labels(data).items()
              if measure in measures]
    if len(shown) < len(data.rounds):
        for table in tables:
            table.note += " " + _("Опросы, где ответов меньше %(n)s, в динамику не входят.") % {
                "n": MIN_GROUP}
    return tables


def _series_summary(data):
    rows = []
    for round in data.rounds:
        counts = data.counts.get(round.pk, {})
        invited, answered = counts.get("invited", 0), counts.get("answered", 0)
        rows.append({"date": local_date(round_date(round), round.municipality.zone),
                     "round": round.title, "questionnaire": str(round.questionnaire),
                     "invited": invited, "answered": answered,
                     "response_rate": share(answered, invited)})
    return Table("rounds", _("Опросы по порядку"), [
        Column("date", _("Дата")), Column("round", _("Опрос")),
        Column("questionnaire", _("Анкета")),
        Column("invited", _("Приглашено"), INT), Column("answered", _("Ответили"), INT),
        Column("response_rate", _("Доля ответивших"), PCT)], rows,
        [Fact("rounds", _("Опросов"), len(rows), INT)])


def _series_header(subject, data):
    if isinstance(subject, Track):
        program, track = subject.program, str(subject)
    elif isinstance(subject, Program):
        program, track = subject, ""
    else:
        program = program_of(data.rounds[0]) if data.rounds else None
        track = ""
    period = ""
    if data.rounds:
        zone = data.rounds[0].municipality.zone
        period = (f"{local_date(round_date(data.rounds[0]), zone)} – "
                  f"{local_date(round_date(data.rounds[-1]), zone)}")
    municipality = program.municipality.name if program else (
        data.rounds[0].municipality.name if data.rounds else "")
    return [Fact("program", _("Программа"), program.name if program else ""),
            Fact("track", _("Трек"), track),
            Fact("municipality", _("Муниципалитет"), municipality),
            Fact("dates", _("Период опросов"), period)]


def series_evaluation(subject):
    """The evaluation form of a track or a program (or of the rounds given), round by round."""
    data = _load(list(rounds_of(subject).values_list("pk", flat=True).distinct()))
    sections = [Section("summary", _("Опросы"), [_series_summary(data)])]
    trend = _trend_tables(data)
    if trend:
        sections.append(Section("trend", _("Динамика по вопросам"), trend))
    for round in data.rounds:
        date = local_date(round_date(round), round.municipality.zone)
        tables = [table for _part, table in _round_parts(data, round, prefix=f"r{round.pk}-")]
        sections.append(Section(f"round-{round.pk}", f"{date} · {round.title}", tables))
    if isinstance(subject, Track):
        title, filename = str(subject), f"evaluation-track-{subject.pk}"
    elif isinstance(subject, Program):
        title, filename = subject.name, f"evaluation-program-{subject.pk}"
    else:
        title, filename = _("Серия опросов"), "evaluation-series"
    return Form("series", _("Оценочный лист: %(subject)s") % {"subject": title},
                _series_header(subject, data), sections, filename,
                data.rounds[0].municipality.time_zone if data.rounds else "UTC")


# --- before and after: the same respondents in two rounds ---------------------------------------

def _paired(data, responses, answers, before, after):
    """One row per respondent and measure present in both rounds, with the change."""
    answers = _measured(data, answers).merge(responses[["response_id", "respondent"]],
                                             on="response_id")
    keys = ["respondent", "code", "topic_key"]
    pairs = answers[answers["round_id"] == before.pk][[*keys, "number"]].merge(
        answers[answers["round_id"] == after.pk][[*keys, "number", "kind"]],
        on=keys, suffixes=("_before", "_after"))
    change = pairs["number_after"] - pairs["number_before"]
    return pairs.assign(change=change, down=change < 0, up=change > 0)


def _pair_stats(pairs):
    return pairs.groupby(["code", "topic_key"]).agg(
        pairs=("change", "size"), before=("number_before", "mean"),
        after=("number_after", "mean"), change=("change", "mean"), down=("down", "mean"),
        up=("up", "mean"))


def _pair_row(label_key, label, stats, measure, better):
    if measure not in stats.index or stats.loc[measure, "pairs"] < MIN_GROUP:
        count = int(stats.loc[measure, "pairs"]) if measure in stats.index else 0
        return {label_key: label, "pairs": suppressed_text() if count else 0, "before": None,
                "after": None, "change": None, "improved": None}
    row = stats.loc[measure]
    return {label_key: label, "pairs": int(row["pairs"]), "before": num(row["before"]),
            "after": num(row["after"]), "change": num(row["change"]),
            "improved": num(row[better], 4)}


def _pair_columns(label_key, label, improved_label):
    return [Column(label_key, label), Column("pairs", _("Пар ответов"), INT),
            Column("before", _("Было (среднее)"), NUM), Column("after", _("Стало (среднее)"), NUM),
            Column("change", _("Изменение"), DELTA), Column("improved", improved_label, PCT)]


def _prepost_topics(question, topics, stats, pairs):
    rows = [_pair_row("topic", name, stats, (question["code"], topic_id), "down")
            for topic_id, name in topics]
    rows.sort(key=lambda r: (r["change"] is None, r["change"] or 0))
    shown = [r for r in rows if r["change"] is not None]
    respondents = pairs[pairs["code"] == question["code"]]["respondent"].nunique()
    return Table(
        f"prepost-{question['code']}",
        _("%(question)s: как изменилась трудность тем") % {"question": question["text"]},
        _pair_columns("topic", _("Тема"), _("Доля, у кого трудность снизилась")), rows,
        [_count_fact("respondents", _("Ответили в обоих опросах"), int(respondents)),
         Fact("topics_improved", _("Тем, где трудность в среднем снизилась"),
              _("%(n)s из %(total)s") % {"n": sum(r["change"] < 0 for r in shown),
                                         "total": len(shown)})],
        note=_("Изменение = стало − было; отрицательное — трудность снизилась. Строки с "
               "числом пар меньше %(n)s скрыты.") % {"n": MIN_GROUP},
        chart=Chart("topic", "after", NUM, 5.0, compare_key="before"))


def _prepost_tables(data, before, after, pairs):
    stats = _pair_stats(pairs)
    tables, others = [], []
    for question in data.questions.get(after.questionnaire_id, []):
        if question["kind"] == Kind.MATRIX:
            tables.append(_prepost_topics(question, data.topics.get(question["id"], []),
                                          stats, pairs))
        elif question["kind"] in MEASURED:
            others.append(_pair_row("question", question["text"], stats,
                                    (question["code"], 0), "up"))
    if others:
        tables.append(Table("prepost-questions", _("Другие вопросы"), _pair_columns(
            "question", _("Вопрос"), _("Доля, у кого оценка выросла")), others))
    return tables


def _prepost_summary(responses, before, after):
    keys = [set(responses[responses["round_id"] == r.pk]["respondent"])
            for r in (before, after)]
    zone = after.municipality.zone
    return Table("summary", _("Кто ответил"), facts=[
        Fact("before", _("Опрос «до»"), f"{before.title}, "
             f"{local_date(round_date(before), zone)}"),
        Fact("after", _("Опрос «после»"), f"{after.title}, "
             f"{local_date(round_date(after), zone)}"),
        Fact("answered_before", _("Ответили «до»"), len(keys[0]), INT),
        Fact("answered_after", _("Ответили «после»"), len(keys[1]), INT),
        _count_fact("paired", _("Ответили в обоих опросах"), len(keys[0] & keys[1]))])


def _count_fact(key, label, n):
    """How many people something is about — hidden when so few that it points at them."""
    return Fact(key, label, suppressed_text() if is_small(n) else n, INT)


def _ensure_comparable(before, after):
    """Refuse pairs that compare nothing alike, or that would pair people they must not."""
    if before.pk == after.pk:
        raise Invalid(_("Выберите два разных опроса: «до» и «после»."), code="same_round")
    if before.questionnaire.family != after.questionnaire.family:
        raise Invalid(_("Опросы заданы по разным анкетам: сравнивать «до и после» можно только "
                        "ответы на одну и ту же анкету (её версии)."),
                      code="different_questionnaires")
    if after.opens_at <= before.opens_at:
        raise Invalid(_("Опрос «после» начался не позже опроса «до»: выберите их в порядке "
                        "времени."), code="after_precedes_before")
    if before.questionnaire.is_anonymous != after.questionnaire.is_anonymous:
        raise Invalid(_("Анонимный опрос нельзя сравнивать с именным: это выдало бы, кто "
                        "отвечал."), code="anonymity_differs")
    if before.questionnaire.is_anonymous and before.pair_anchor_id != after.pair_anchor_id:
        raise Invalid(_("Анонимные опросы сравниваются, только если опрос «после» создан как "
                        "продолжение опроса «до» (поле «опрос «до»» при создании)."),
                      code="not_paired")


def prepost_evaluation(before_round, after_round):
    """The change between two rounds for the respondents who answered both."""
    if before_round.pk == after_round.pk:
        raise Invalid(_("Выберите два разных опроса: «до» и «после»."), code="same_round")
    data = _load([before_round.pk, after_round.pk], counted_answers=False)
    rounds = {round.pk: round for round in data.rounds}
    before, after = rounds[before_round.pk], rounds[after_round.pk]
    _ensure_comparable(before, after)
    responses, answers = _answer_rows(data)
    pairs = _paired(data, responses, answers, before, after)
    sections = [Section("summary", _("Участники"), [_prepost_summary(responses, before, after)])]
    tables = _prepost_tables(data, before, after, pairs)
    if tables:
        sections.append(Section("changes", _("Изменения «до — после»"), tables))
    zone = after.municipality.zone
    program = program_of(after) or program_of(before)
    header = [Fact("program", _("Программа"), program.name if program else ""),
              Fact("municipality", _("Муниципалитет"), after.municipality.name),
              Fact("questionnaire", _("Анкета"), str(after.questionnaire)),
              Fact("dates", _("Период"), f"{local_date(round_date(before), zone)} – "
                   f"{local_date(round_date(after), zone)}")]
    return Form("prepost", _("Оценочный лист «до и после»: %(before)s → %(after)s")
                % {"before": before.title, "after": after.title}, header, sections,
                f"evaluation-prepost-{before.pk}-{after.pk}", after.municipality.time_zone)

"""Every kind of question in one place: its form fields, reading, checking and storing an answer.

A *raw* answer is what a person typed, kept as typed so that a page with an error shows it again:
scale, number and text — a string; single choice — ``{"choice", "other"}``; multiple choice —
``{"choices", "other"}``; matrix — ``{topic_id: str}``. Services and the demo may pass plain
values too (an int for a scale, a list for a multiple choice). ``clean`` turns a raw answer into
the rows to store (dicts of Answer fields) or raises AnswerError with a Russian message;
``raw_from_answers`` turns stored rows back into a raw answer.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.text_input import clean_text
from surveys.models import Question

Kind = Question.Kind
# The stored choice of a person who wrote their own option; a constant, not a translation, so
# that stored data does not depend on the language of the page.
OTHER = "другое"
TEXT_LIMIT = 5000
NUMBER_LIMIT = Decimal("999999.99")  # Answer.number: 8 digits, 2 after the point
CENT = Decimal("0.01")
SCALE_POINTS = {Kind.SCALE_5: (1, 5), Kind.SCALE_10: (0, 10), Kind.MATRIX: (1, 5)}
DEFAULT_LABELS = {
    Kind.SCALE_5: [gettext_lazy("очень плохо"), gettext_lazy("плохо"),
                   gettext_lazy("удовлетворительно"), gettext_lazy("хорошо"),
                   gettext_lazy("отлично")],
    Kind.SCALE_10: [gettext_lazy("совсем нет"), gettext_lazy("безусловно да")],
    Kind.MATRIX: [gettext_lazy("совсем не трудно"), gettext_lazy("скорее не трудно"),
                  gettext_lazy("иногда трудно"), gettext_lazy("скорее трудно"),
                  gettext_lazy("очень трудно")],
}
SPACES = re.compile(r"[\s\u00a0\u202f]")


class AnswerError(Exception):
    """An answer that cannot be stored; the message is shown next to the question."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def _row(*, topic_id=None, number=None, choices=(), text=""):
    return {"topic_id": topic_id, "number": number, "choices": list(choices), "text": text}


# --- raw answers in their shapes ----------------------------------------------------------------

def _text(value):
    # Every answer's text passes here: NUL and control characters go (PostgreSQL, XLSX).
    return "" if value is None else clean_text(str(value)).strip()


def _single(raw):
    if isinstance(raw, dict):
        return _text(raw.get("choice")), _text(raw.get("other"))
    return _text(raw), ""


def _multiple(raw):
    if isinstance(raw, dict):
        chosen, other = raw.get("choices") or [], _text(raw.get("other"))
    else:
        chosen, other = raw or [], ""
    if isinstance(chosen, str):
        chosen = [chosen]
    return [_text(choice) for choice in chosen if _text(choice)], other


def _matrix(raw):
    cells = {}
    for key, value in (raw or {}).items():
        try:
            cells[int(key)] = _text(value)
        except (TypeError, ValueError):
            continue  # not a topic row; the rows come from the question
    return cells


def is_blank(question, raw):
    """Nothing answered (a draft may leave any question blank)."""
    kind = question.kind
    if kind == Kind.SINGLE:
        return not any(_single(raw))
    if kind == Kind.MULTIPLE:
        chosen, other = _multiple(raw)
        return not chosen and not other
    if kind == Kind.MATRIX:
        return not any(_matrix(raw).values())
    return _text(raw) == ""


# --- checking ----------------------------------------------------------------------------------

def _point(value, low, high):
    try:
        point = int(_text(value))
    except ValueError:
        return None
    return point if low <= point <= high else None


def _range_message(low, high):
    return _("Выберите значение от %(low)s до %(high)s.") % {"low": low, "high": high}


def _clean_scale(question, raw, required):
    low, high = SCALE_POINTS[question.kind]
    point = _point(raw, low, high)
    if point is None:
        raise AnswerError(_range_message(low, high))
    return [_row(number=point)]


def _limited(text):
    if len(text) > TEXT_LIMIT:
        raise AnswerError(_("Слишком длинный ответ: не больше %(n)s знаков.") % {"n": TEXT_LIMIT})
    return text


def _clean_single(question, raw, required):
    choice, other = _single(raw)
    other = other if question.allow_other else ""
    if other and not choice:
        choice = OTHER  # typed their own option and forgot the button next to it
    if question.allow_other and choice == OTHER:
        if not other:
            raise AnswerError(_("Напишите свой вариант в поле «другое»."))
        return [_row(choices=[OTHER], text=_limited(other))]
    if choice not in question.choices:
        raise AnswerError(_("Выберите один из предложенных вариантов."))
    if other:
        raise AnswerError(_("Выбран вариант из списка и написан свой: оставьте что-то одно."))
    return [_row(choices=[choice])]


def _clean_multiple(question, raw, required):
    chosen, other = _multiple(raw)
    other = other if question.allow_other else ""
    chosen = set(chosen) | ({OTHER} if other else set())
    allowed = set(question.choices) | ({OTHER} if question.allow_other else set())
    if chosen - allowed:
        raise AnswerError(_("Выберите из предложенных вариантов."))
    if OTHER in chosen and OTHER not in question.choices and not other:
        raise AnswerError(_("Напишите свой вариант в поле «другое»."))
    ordered = [choice for choice in question.choices if choice in chosen]
    if OTHER in chosen and OTHER not in ordered:
        ordered.append(OTHER)
    return [_row(choices=ordered, text=_limited(other))]


def _clean_text(question, raw, required):
    return [_row(text=_limited(_text(raw)))]


def _clean_number(question, raw, required):
    text = SPACES.sub("", _text(raw)).replace(",", ".").replace("−", "-")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise AnswerError(_("Введите число, например 12 или 3,5."))
    if abs(value) > NUMBER_LIMIT:
        raise AnswerError(_("Слишком большое число: не больше 999 999,99."))
    if value != value.quantize(CENT):
        raise AnswerError(_("Не больше двух знаков после запятой."))
    return [_row(number=value.quantize(CENT))]


def _names(topics):
    return ", ".join(f"«{topic.name}»" for topic in topics)


def _clean_matrix(question, raw, required):
    low, high = SCALE_POINTS[Kind.MATRIX]
    cells, rows, wrong, missing = _matrix(raw), [], [], []
    for topic in question.topics.all():
        cell = cells.get(topic.pk, "")
        point = _point(cell, low, high) if cell else None
        if point is not None:
            rows.append(_row(topic_id=topic.pk, number=point))
        else:
            (wrong if cell else missing).append(topic)
    if wrong:
        raise AnswerError(_("Выберите значение от %(low)s до %(high)s для тем: %(topics)s.")
                          % {"low": low, "high": high, "topics": _names(wrong)})
    if missing and required and question.required:
        raise AnswerError(_("Оцените каждую тему; не отмечены: %(topics)s.")
                          % {"topics": _names(missing)})
    return rows


CLEANERS = {
    Kind.SCALE_5: _clean_scale, Kind.SCALE_10: _clean_scale, Kind.SINGLE: _clean_single,
    Kind.MULTIPLE: _clean_multiple, Kind.TEXT: _clean_text, Kind.NUMBER: _clean_number,
    Kind.MATRIX: _clean_matrix,
}


def clean(question, raw, *, required):
    """The Answer rows for a raw answer; `required` is False for a draft. Raises AnswerError."""
    if is_blank(question, raw):
        if required and question.required:
            raise AnswerError(_("Оцените каждую тему.") if question.kind == Kind.MATRIX
                              else _("Ответьте на этот вопрос."))
        return []
    return CLEANERS[question.kind](question, raw, required)


# --- stored answers back into raw ones -----------------------------------------------------------

def format_number(value):
    """12, 3,5, −0,25: as a Russian reader writes it."""
    text = format(value.normalize(), "f")
    return text.replace("-", "−").replace(".", ",")


def raw_from_answers(question, answers):
    """The raw answer that the stored rows of one question came from."""
    if not answers:
        return {} if question.kind == Kind.MATRIX else ""
    first = answers[0]
    kind = question.kind
    if kind == Kind.MATRIX:
        return {a.topic_id: str(int(a.number)) for a in answers if a.number is not None}
    if kind == Kind.SINGLE:
        return {"choice": first.choices[0] if first.choices else "", "other": first.text}
    if kind == Kind.MULTIPLE:
        return {"choices": list(first.choices), "other": first.text}
    if kind == Kind.NUMBER:
        return format_number(first.number) if first.number is not None else ""
    if kind in SCALE_POINTS:
        return str(int(first.number)) if first.number is not None else ""
    return first.text


# --- the form ----------------------------------------------------------------------------------

def field_name(question):
    return f"q{question.pk}"


def read_form(question, post):
    """The raw answer to one question from a submitted form (a QueryDict)."""
    name = field_name(question)
    if question.kind == Kind.SINGLE:
        return {"choice": post.get(name, ""), "other": post.get(f"{name}-other", "")}
    if question.kind == Kind.MULTIPLE:
        return {"choices": post.getlist(name), "other": post.get(f"{name}-other", "")}
    if question.kind == Kind.MATRIX:
        return {topic.pk: post.get(f"{name}-t{topic.pk}", "") for topic in question.topics.all()}
    return post.get(name, "")


def scale_labels(question):
    """The labels of a scale, low to high: all points, or just the two ends."""
    return [str(label) for label in (question.scale_labels or DEFAULT_LABELS[question.kind])]


def _scale_options(question, name, current):
    low, high = SCALE_POINTS[question.kind]
    labels = scale_labels(question)
    every_point = len(labels) == high - low + 1
    return [{"value": str(point), "id": f"{name}-{point}", "checked": current == str(point),
             "label": labels[point - low] if every_point else ""}
            for point in range(low, high + 1)]


def legend(question):
    """«1 — совсем не трудно … 5 — очень трудно» for scales whose buttons show only numbers."""
    low, high = SCALE_POINTS[question.kind]
    labels = scale_labels(question)
    if len(labels) == 2:
        return f"{low} — {labels[0]}, {high} — {labels[1]}"
    return ", ".join(f"{low + i} — {label}" for i, label in enumerate(labels))


def _choice_options(question, name, chosen):
    options = [{"value": choice, "label": choice, "id": f"{name}-{i}", "checked": choice in chosen}
               for i, choice in enumerate(question.choices)]
    if question.allow_other:
        options.append({"value": OTHER, "label": _("другое"), "id": f"{name}-other-choice",
                        "checked": OTHER in chosen, "is_other": True})
    return options


def field(question, raw, *, error="", number=0):
    """What the page shows for one question: inputs with their state, the error, the number."""
    name, kind = field_name(question), question.kind
    shown = {"question": question, "name": name, "kind": kind, "number": number,
             "error": error, "answered": not is_blank(question, raw)}
    if kind in (Kind.SCALE_5, Kind.SCALE_10):
        shown["options"] = _scale_options(question, name, _text(raw))
        shown["legend"] = legend(question) if kind == Kind.SCALE_10 else ""
    elif kind == Kind.SINGLE:
        choice, other = _single(raw)
        shown.update(options=_choice_options(question, name, {choice}), other=other)
    elif kind == Kind.MULTIPLE:
        chosen, other = _multiple(raw)
        shown.update(options=_choice_options(question, name, set(chosen)), other=other)
    elif kind == Kind.MATRIX:
        cells = _matrix(raw)
        shown["legend"] = legend(question)
        shown["rows"] = [
            {"topic": topic, "name": f"{name}-t{topic.pk}",
             "missing": bool(error) and not cells.get(topic.pk),
             "options": _scale_options(question, f"{name}-t{topic.pk}", cells.get(topic.pk, ""))}
            for topic in question.topics.all()
        ]
    else:
        shown["value"] = _text(raw) if kind == Kind.NUMBER else ("" if raw is None else str(raw))
    return shown


# --- the questions themselves --------------------------------------------------------------------

def definition_errors(kind, *, choices=(), scale_labels=(), topics_count=None):
    """What is wrong with a question as defined (admin, API); an empty dict when nothing."""
    errors = {}
    if kind in (Kind.SINGLE, Kind.MULTIPLE) and len([c for c in choices if _text(c)]) < 2:
        errors["choices"] = _("Укажите хотя бы два варианта ответа.")
    if kind in SCALE_POINTS and scale_labels:
        low, high = SCALE_POINTS[kind]
        if len(scale_labels) not in (2, high - low + 1):
            errors["scale_labels"] = _(
                "Подписей шкалы должно быть две (края) или %(n)s (каждая точка)."
            ) % {"n": high - low + 1}
    if kind == Kind.MATRIX and topics_count == 0:
        errors["topics"] = _("Выберите темы — строки матрицы.")
    return errors

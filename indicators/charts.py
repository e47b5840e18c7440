"""Charts of the indicators page, drawn on the server as SVG by config/svg.py."""

from config.svg import bar_chart
from indicators.builder import HARDEST_TOPICS


def percent(value):
    return f"{float(value) * 100:.0f} %"


def indicators_chart(report):
    """Each share this period against the previous one."""
    shares = [i for i in report.indicators]
    return bar_chart(
        "Показатели: текущий и предыдущий период", [i.title for i in shares],
        [[i.previous_share for i in shares], [i.share for i in shares]],
        names=("предыдущий период", "текущий период"), max_value=1, value_text=percent)


def attendance_chart(report):
    return bar_chart("Посещаемость по месяцам", [m.label for m in report.months],
                     [[m.registered for m in report.months], [m.attended for m in report.months]],
                     names=("записались", "пришли"))


def hardest_topics_chart(report):
    """The hardest topics by mean difficulty (1–5); hidden topics are left out."""
    rows = hardest_topics(report)
    return bar_chart("Самые трудные темы: средняя трудность (1–5)", [t.topic for t in rows],
                     [[t.mean for t in rows]], max_value=5, value_text=mean_text)


def hardest_topics(report):
    return [t for t in report.topics if t.mean is not None][:HARDEST_TOPICS]


def mean_text(value):
    return f"{float(value):.2f}".replace(".", ",")


def satisfaction_chart(report):
    rows = report.satisfaction
    return bar_chart("Удовлетворённость по мероприятиям",
                     [f"{s.date:%d.%m} {s.title}" for s in rows], [[s.share for s in rows]],
                     max_value=1, value_text=percent)

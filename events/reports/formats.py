"""Values as a Russian reader expects them: 2,5 · 54,5 % · 10.03.2026; «н» for a no-show."""

from events.reports.builder import DATE, HOURS, INT, MARK, PCT

NBSP = "\u00a0"


def _number(value):
    """«2», «2,5»: hours without a trailing «,0»."""
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_value(value, kind):
    """A value for the page and the PDF; «—» for none, an empty mark for no registration."""
    if value is None:
        return "" if kind == MARK else "—"
    if kind == MARK:
        return value if isinstance(value, str) else _number(value)
    if kind == INT:
        return str(int(value))
    if kind == HOURS:
        return _number(value)
    if kind == PCT:
        return f"{value * 100:.1f}".replace(".", ",") + NBSP + "%"
    if kind == DATE:
        return f"{value:%d.%m.%Y}"
    return str(value)


def display_rows(table):
    return [[format_value(row.get(column.key), column.kind) for column in table.columns]
            for row in table.rows]


def display_facts(report):
    return [(fact.label, format_value(fact.value, fact.kind)) for fact in report.facts]


def chart_fractions(table):
    """Per row, how full its bar is (0..1): a rate as it is, a count against the largest."""
    chart = table.chart
    if chart is None:
        return None
    kind = next(c.kind for c in table.columns if c.key == chart.value_key)
    values = [row.get(chart.value_key) for row in table.rows]
    top = 1 if kind == PCT else max([v for v in values if v is not None] + [0]) or 1
    return [None if v is None else v / top for v in values]

"""A form's tables as its pages show them: cells as HTML strings, bars as <meter> fills.

The evaluation pages and the themes page (planning) show their tables through this.
"""

import html
from dataclasses import dataclass

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from surveys.evaluation import exports
from surveys.evaluation.figures import NUMERIC


@dataclass
class ShownTable:
    title: str
    head: list
    rows: list  # ready <tr> rows: a program's form has a thousand tables
    facts: list
    note: str
    has_bars: bool
    bars_head: str  # a legend for paired bars, else empty


def _cell(text, is_number):
    """A cell as the `linebreaksbr` filter would show its text."""
    text = html.escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return f'<td class="num">{text}</td>' if is_number else f"<td>{text}</td>"


def _bar(fill, title, css_class):
    extra = f' class="{css_class}" title="{html.escape(title)}"' if css_class else ""
    return f'<meter min="0" max="1" value="{fill}"{extra}></meter>'


def _row(cells, bars, has_bars):
    # The standard library's escape and plain strings: the template loop over the cells of a
    # program's thousand tables took more than building the form.
    bar = f'<td class="bar">{"".join(_bar(*b) for b in bars)}</td>' if has_bars else ""
    return mark_safe(f"<tr>{''.join(_cell(*cell) for cell in cells)}{bar}</tr>")


def table_for_page(table):
    """A table as the page shows it: strings in place of numbers, bar fills per row."""
    numbers = [column.kind in NUMERIC for column in table.columns]
    fractions = exports.bar_fractions(table)
    chart = table.chart
    has_bars = fractions is not None or bool(chart and chart.compare_key)
    rows = []
    for index, (row, texts) in enumerate(zip(table.rows, exports.display_rows(table),
                                             strict=True)):
        bars = []
        if fractions is not None and fractions[index] is not None:
            bars = [(f"{fractions[index]:.3f}", "", "")]
        elif chart and chart.compare_key and chart.max_value:
            values = (row.get(chart.compare_key), row.get(chart.value_key))
            if all(isinstance(v, int | float) for v in values):
                bars = [(f"{values[0] / chart.max_value:.3f}", _("было"), "before"),
                        (f"{values[1] / chart.max_value:.3f}", _("стало"), "after")]
        # A suppressed value is a text even in a column of numbers, and may wrap.
        cells = [(text, number and not isinstance(row.get(column.key), str))
                 for text, number, column in zip(texts, numbers, table.columns, strict=True)]
        rows.append(_row(cells, bars, has_bars))
    return ShownTable(table.title, list(zip([c.label for c in table.columns], numbers,
                                            strict=True)),
                      rows, exports.display_facts(table), table.note, has_bars=has_bars,
                      bars_head=_("Было / стало") if chart and chart.compare_key else "")

"""«Ёлочки» around a title in a letter, once: a title that carries quotes of its own keeps them."""

from django import template

register = template.Library()

QUOTE_MARKS = "«»„“”\""


@register.filter
def quoted(value):
    """«Title»; a title with quotes already in it («Наставник», Семинар «Старт») as it is."""
    text = str(value).strip()
    if not text or any(mark in text for mark in QUOTE_MARKS):
        return text
    return f"«{text}»"

"""The one function that cleans text coming in: NUL and control characters out, lines folded."""

import pytest
from django import forms

from config.text_input import CleanTextMixin, clean_line, clean_text


@pytest.mark.parametrize("raw, cleaned", [
    ("Иванова", "Иванова"),
    ("Ива\x00нова", "Иванова"),
    ("Ива\x07\x1b\x7fнова", "Иванова"),
    ("Строка 1\r\nСтрока 2\rСтрока 3", "Строка 1\nСтрока 2\nСтрока 3"),
    ("Слово\x0bслово", "Слово\nслово"),  # Word's Shift+Enter is a line break
    ("Абзац\u2028абзац\u2029", "Абзац\nабзац\n"),
    ("\tотступ", "\tотступ"),
    ("😀 שלום مرحبا", "😀 שלום مرحبا"),
    ("=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"),  # formulas are the exporters' business
])
def test_clean_text_keeps_lines_and_drops_controls(raw, cleaned):
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize("raw, cleaned", [
    ("Семинар\r\nBEGIN:VALARM", "Семинар BEGIN:VALARM"),
    ("  Семинар \n\n\t по  плану ", "Семинар по  плану"),
    ("Се\x00минар\x0b", "Семинар"),
])
def test_clean_line_folds_line_breaks_into_one_space(raw, cleaned):
    assert clean_line(raw) == cleaned


def test_clean_text_bidi_overrides_are_dropped():
    # U+202E turns "gpj.exe" into what reads as "exe.jpg"
    assert clean_line("фото\u202egpj.exe") == "фотоgpj.exe"


class NoteForm(CleanTextMixin, forms.Form):
    title = forms.CharField()
    body = forms.CharField(widget=forms.Textarea)


def test_form_mixin_cleans_single_line_and_multiline_fields():
    form = NoteForm(data={"title": "Тема\r\nBcc: x", "body": "Текст\x0bещё\x00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"title": "Тема Bcc: x", "body": "Текст\nещё"}

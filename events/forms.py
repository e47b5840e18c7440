"""Small forms of the event pages: they only parse what a page posts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.text_input import CleanTextMixin


class AttendanceMarkForm(forms.Form):
    """One tap on the attendance sheet: this person came (true) or did not (false)."""

    person = forms.IntegerField(min_value=1)
    present = forms.BooleanField(required=False)


class CheckinForm(CleanTextMixin, forms.Form):
    code = forms.CharField(
        label=_("Код с экрана в зале"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "class": "code-input"}),
    )


class MunicipalityFilterForm(forms.Form):
    """The anonymous list's filter; an unknown id simply shows every municipality."""

    municipality = forms.IntegerField(required=False, min_value=1)

    def selected_id(self):
        return self.cleaned_data.get("municipality") if self.is_valid() else None

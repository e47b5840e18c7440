"""Forms of the portfolio pages: the period, a project/contest/talk with its proof, a visit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.text_input import CleanTextMixin
from portfolio.models import Achievement, ObservationVisit
from practices.models import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("С"), required=False, widget=DATE)
    end = forms.DateField(label=_("По"), required=False, widget=DATE)


class AchievementForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Вид"), choices=Achievement.Kind.choices)
    level = forms.ChoiceField(label=_("Уровень"), choices=Level.choices)
    title = forms.CharField(label=_("Название"), max_length=500)
    date = forms.DateField(label=_("Дата"), widget=DATE)
    evidence_url = forms.CharField(label=_("Ссылка на подтверждение"), max_length=500,
                                   required=False)
    evidence_file = forms.FileField(
        label=_("Файл подтверждения"), required=False,
        help_text=_("PDF, JPG, PNG, DOCX, XLSX, PPTX, ODT или ODS, до 10 МБ"))


class VisitForm(CleanTextMixin, forms.Form):
    mentee = forms.TypedChoiceField(label=_("Наставляемый"), coerce=int)
    kind = forms.ChoiceField(label=_("Вид посещения"), choices=ObservationVisit.Kind.choices)
    date = forms.DateField(label=_("Дата"), widget=DATE)
    school_class = forms.CharField(label=_("Класс"), max_length=20,
                                   help_text=_("например, 5 «Б»"))
    subject = forms.CharField(label=_("Предмет"), max_length=255)

    def __init__(self, *args, mentees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].choices = [(m.pk, m.full_name) for m in mentees]

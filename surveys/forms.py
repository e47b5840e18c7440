"""Admin forms of the surveys app: a question's options one per line, a round with its audience."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime, FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _

from config.text_input import CleanTextMixin
from participants.models import Person
from surveys.models import Question, Round


class LinesField(forms.CharField):
    """A list of strings typed one per line (answer options, scale labels)."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 40})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(CleanTextMixin, forms.ModelForm):
    choices = LinesField(label=_("варианты ответа"), required=False,
                         help_text=_("по одному на строке"))
    scale_labels = LinesField(label=_("подписи шкалы"), required=False,
                              help_text=_("по одной на строке, от низшей к высшей: две (края) "
                                          "или на каждую точку; пусто — стандартные"))

    class Meta:
        model = Question
        fields = ["position", "code", "kind", "text", "help_text", "required", "choices",
                  "allow_other", "scale_labels", "topics"]


class RoundForm(CleanTextMixin, forms.ModelForm):
    """A new round; the invitation list is built by surveys.services.create_round on saving."""

    title = forms.CharField(label=_("название"), required=False, max_length=255,
                            help_text=_("пусто — название анкеты и мероприятия или программы"))
    opens_at = forms.SplitDateTimeField(
        label=_("открывается"), required=False, widget=AdminSplitDateTime,
        help_text=_("пусто — по окончании мероприятия или сейчас"))
    closes_at = forms.SplitDateTimeField(
        label=_("закрывается"), required=False, widget=AdminSplitDateTime,
        help_text=_("пусто — через две недели после открытия"))
    persons = forms.ModelMultipleChoiceField(
        label=_("участники (для выбранных вручную)"), required=False,
        queryset=Person.objects.none(),
        widget=FilteredSelectMultiple(_("участники"), is_stacked=False))

    class Meta:
        model = Round
        fields = ["municipality", "questionnaire", "title", "audience", "event", "track",
                  "program", "persons", "opens_at", "closes_at", "pair_of"]

    NEEDS = {Round.Audience.EVENT_ATTENDEES: "event", Round.Audience.TRACK: "track",
             Round.Audience.PROGRAM: "program"}

    def clean(self):
        data = super().clean()
        needed = self.NEEDS.get(data.get("audience"))
        if needed and not data.get(needed):
            self.add_error(needed, _("Для этой аудитории укажите, о чём опрос."))
        if data.get("audience") == Round.Audience.HAND_PICKED and not data.get("persons"):
            self.add_error("persons", _("Выберите участников."))
        return data

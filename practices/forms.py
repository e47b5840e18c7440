"""Forms of the mentor's and the curator's pages; the services clean and check, these collect."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.text_input import CleanTextMixin
from participants.models import MentoringGroup, Organisation, Topic
from practices.models import Material


def _choices(enum):
    return [("", "—"), *enum.choices]


class CardForm(CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("Тема практики"), max_length=500)
    author_name = forms.CharField(label=_("Ф. И. О. автора опыта"), max_length=500)
    author_email = forms.CharField(label=_("E-mail автора"), max_length=254, required=False)
    author_phone = forms.CharField(label=_("Телефон автора"), max_length=40, required=False)
    organisation = forms.ModelChoiceField(label=_("Образовательная организация"),
                                          queryset=Organisation.objects.none(), required=False)
    position = forms.CharField(label=_("Должность"), max_length=255, required=False)
    years_in_position = forms.IntegerField(label=_("Стаж работы в должности, лет"),
                                           min_value=0, max_value=80, required=False)
    topic = forms.ModelChoiceField(label=_("Тематическое направление"),
                                   queryset=Topic.objects.filter(is_active=True), required=False)
    form = forms.ChoiceField(label=_("Форма наставничества"),
                             choices=_choices(MentoringGroup.Form), required=False)
    role_model = forms.ChoiceField(label=_("Ролевая модель"),
                                   choices=_choices(MentoringGroup.RoleModel), required=False)
    note = forms.CharField(label=_("Пояснительная записка (цель, результаты, ролевая модель)"),
                           widget=forms.Textarea(attrs={"rows": 6}), required=False)
    content = forms.CharField(label=_("Содержание практики (формы, способы, события)"),
                              widget=forms.Textarea(attrs={"rows": 6}), required=False)
    goal = forms.CharField(label=_("Цель"), widget=forms.Textarea(attrs={"rows": 3}),
                           required=False)
    plan = forms.CharField(label=_("План (дорожная карта)"),
                           widget=forms.Textarea(attrs={"rows": 6}), required=False)
    result = forms.CharField(label=_("Результат, продукт"),
                             widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality=municipality)

    @classmethod
    def initial_of(cls, practice):
        return {name: getattr(practice, name) for name in cls.base_fields}


class MaterialForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Вид материала"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("Название"), max_length=255, required=False)
    file = forms.FileField(label=_("Файл"), required=False)
    url = forms.CharField(label=_("или ссылка"), max_length=600, required=False)


class DecisionForm(CleanTextMixin, forms.Form):
    comment = forms.CharField(label=_("Комментарий автору"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    forward = forms.BooleanField(label=_("Рекомендовать на следующий уровень"), required=False)

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind


class PreferenceForm(forms.Form):
    """What a person wants to receive; unticked kinds are stored as muted."""

    kinds = forms.MultipleChoiceField(label=_("Присылать мне"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    unsubscribed_all = forms.BooleanField(label=_("Не присылать мне никаких писем"),
                                          required=False)

    def __init__(self, *args, preference, kinds, **kwargs):
        kwargs.setdefault("initial", {
            "kinds": [kind for kind in kinds if kind not in preference.muted_kinds],
            "unsubscribed_all": preference.unsubscribed_all,
        })
        super().__init__(*args, **kwargs)
        self.offered = list(kinds)
        self.fields["kinds"].choices = [(kind, Kind(kind).label) for kind in kinds]

    def muted_kinds(self, preference):
        """The kinds unticked here, plus those muted earlier that this form did not offer."""
        kept = [kind for kind in preference.muted_kinds if kind not in self.offered]
        return kept + [kind for kind in self.offered if kind not in self.cleaned_data["kinds"]]

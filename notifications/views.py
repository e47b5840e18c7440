"""Pages reached from the links in every letter; the token in the link is the only key."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications import services
from notifications.forms import PreferenceForm
from notifications.models import REQUESTED_KINDS, Kind, Notification, Preference

ONE_CLICK = "One-Click"  # RFC 8058 body: List-Unsubscribe=One-Click


def _preference(token):
    return get_object_or_404(Preference.objects.select_related("person"), unsubscribe_token=token)


# The token authorises the request: a mail provider's one-click POST (RFC 8058) carries no
# CSRF token or cookie, and a forged request would need the token anyway.
@csrf_exempt
@never_cache  # the address holds the person's token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST unsubscribes."""
    preference = _preference(token)
    if request.method == "POST":
        services.unsubscribe(preference)
        if request.POST.get("List-Unsubscribe") == ONE_CLICK:
            return HttpResponse(_("Вы отписаны от писем школы наставничества."),
                                content_type="text/plain; charset=utf-8")
        return render(request, "notifications/unsubscribed.html",
                      {"preference": preference, "token": token})
    return render(request, "notifications/unsubscribe.html",
                  {"preference": preference, "token": token})


@never_cache  # the address holds the person's token
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Choose which kinds of letters to receive, or none."""
    preference = _preference(token)
    form = PreferenceForm(request.POST or None, preference=preference,
                          kinds=offered_kinds(preference))
    if request.method == "POST" and form.is_valid():
        services.update_preferences(
            preference, muted_kinds=form.muted_kinds(preference),
            unsubscribed_all=form.cleaned_data["unsubscribed_all"])
        messages.success(request, _("Настройки сохранены."))
        return redirect(request.path)
    return render(request, "notifications/preferences.html",
                  {"preference": preference, "form": form})


def offered_kinds(preference):
    """Every kind, except the curators' digest for someone who never got one."""
    gets_digest = Notification.objects.filter(recipient_id=preference.person_id,
                                              kind=Kind.CURATOR_DIGEST).exists()
    return [kind for kind in Kind.values if kind not in REQUESTED_KINDS
            and (gets_digest or kind != Kind.CURATOR_DIGEST)]

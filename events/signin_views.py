"""Sign-in pages (e-mail link, first-sign-in consent) over participants.signin and the outbox.

The link opens a page with a «Войти» button and the token is spent only by that POST: mail
scanners (Outlook Safe Links and the like) open links with GET and would burn a one-time token.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from config import brakes
from notifications.signin import send_signin_link
from participants import services
from participants.models import Consent, ConsentText, Person
from participants.signin import SigninForm, safe_next, spend


def _too_many(request, form):
    form.add_error(None, brakes.wait_message())
    return render(request, "events/signin.html", {"form": form}, status=429)


def signin(request):
    """Ask for an e-mail; the answer is the same, and as fast, whether the address is known."""
    if request.method != "POST":
        form = SigninForm(initial={"next": safe_next(request, request.GET.get("next", ""))})
        return render(request, "events/signin.html", {"form": form})
    form = SigninForm(request.POST)
    if not form.is_valid():
        return render(request, "events/signin.html", {"form": form})
    email = form.cleaned_data["email"].strip().lower()
    if not brakes.take(request, "signin-client", brakes.client_key(request),
                       brakes.SIGNIN_PER_CLIENT):
        return _too_many(request, form)
    if not brakes.take(request, "signin-email", email, brakes.SIGNIN_PER_EMAIL):
        return _too_many(request, form)
    send_signin_link(email, next_url=safe_next(request, form.cleaned_data["next"]))
    return render(request, "events/signin_sent.html", {"email": form.cleaned_data["email"]})


@never_cache
def signin_link(request):
    """GET shows a button; POST spends the one-time token and signs the person in."""
    token = request.POST.get("sesame") if request.method == "POST" else request.GET.get("sesame")
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method != "POST":
        return render(request, "events/signin_link.html", {"token": token, "next": next_url})
    user = spend(request, token)
    if user is None:
        return render(request, "events/signin_link.html",
                      {"expired": True, "next": next_url}, status=400)
    person = Person.objects.filter(user=user).first()
    if person is not None and person.awaits_consent:
        return redirect(reverse("consent") + "?" + urlencode({"next": next_url}))
    return redirect(next_url or "cabinet")


def current_consent_text():
    """The wording in force today: the latest that has taken effect."""
    texts = ConsentText.objects.order_by("-effective_from", "-pk")
    return texts.filter(effective_from__lte=timezone.localdate()).first()


@login_required(login_url="signin")
def consent(request):
    """The consent text and one button; records version, date and time, source «на сайте»."""
    person = Person.objects.filter(user=request.user).first()
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if person is None or not person.awaits_consent:
        return redirect(next_url or "cabinet")
    text = current_consent_text()
    if request.method == "POST" and text is not None:
        services.record_consent(person, text=text, source=Consent.Source.WEB, by=request.user)
        return redirect(next_url or "cabinet")
    return render(request, "events/consent.html", {
        "text": text, "next": next_url, "person": person,
        "missing": _("Текст согласия ещё не утверждён. Обратитесь к куратору.") if text is None
        else "",
    })

"""Sign-in by e-mail link for teachers who have no password (django-sesame tokens).

The link opens a page with a «Войти» button and the token is spent only by that POST: mail
scanners (Outlook Safe Links and the like) open links with GET and would burn a one-time token.
"""

from django import forms
from django.contrib.auth import authenticate, login
from django.contrib.auth.models import Group, User
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants import roles
from participants.models import Person

USERNAME_MAX = 150


def _free_username(email, person):
    base = email.strip().lower()[:USERNAME_MAX] or f"person-{person.pk}"
    if not User.objects.filter(username=base).exists():
        return base
    # The same address in two municipalities, or an account that already took it.
    suffix = f"-{person.pk}"
    return base[: USERNAME_MAX - len(suffix)] + suffix


@transaction.atomic
def user_for_person(person):
    """The person's account; made on first sign-in: no password, role «Участник»."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user_id:
        return person.user
    user = User(username=_free_username(person.email, person), email=person.email,
                first_name=person.first_name[:150], last_name=person.last_name[:150])
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.PARTICIPANT)[0])
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return user


def _may_use_link(person):
    # Accounts with a password (curators, mentors, admins) sign in with it; a mailbox alone
    # should not open the administration.
    user = person.user
    return user is None or (user.is_active and not user.has_usable_password())


def safe_next(request, url):
    """A local address to return to after sign-in, or '' for anything else."""
    allowed = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    return url if url and allowed and url.startswith("/") else ""


def _link(request, user, next_url):
    # Imported here: django-sesame derives its key from SECRET_KEY when imported, and URL
    # loading must not need the key (commands like makemigrations run without one).
    from sesame.utils import get_query_string

    query = get_query_string(user)
    if next_url:
        query += "&" + urlencode({"next": next_url})
    return request.build_absolute_uri(reverse("signin_link") + query)


def send_signin_link(email, request, *, next_url=""):
    """Mail one sign-in link per participant with this address; returns how many were sent."""
    people = list(Person.objects.filter(email__iexact=(email or "").strip(), is_anonymised=False)
                  .exclude(email="").select_related("municipality", "user"))
    links = [(person.municipality.name, _link(request, user_for_person(person), next_url))
             for person in people if _may_use_link(person)]
    if not links:
        return 0
    if len(links) == 1:
        body_links = links[0][1]
    else:
        body_links = "\n\n".join(f"{name}:\n{url}" for name, url in links)
    body = _(
        "Здравствуйте!\n\n"
        "Чтобы войти в «Школу наставничества», откройте ссылку и нажмите «Войти»:\n\n"
        "%(links)s\n\n"
        "Ссылка действует один час и только один раз. Если вы не запрашивали вход, "
        "просто не отвечайте на это письмо.\n"
    ) % {"links": body_links}
    send_mail(_("Вход в «Школу наставничества»"), body, None, [people[0].email])
    return len(links)


# --- pages ---------------------------------------------------------------------------------

class SigninForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Ваш e-mail"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def signin(request):
    """Ask for an e-mail; the answer is the same whether the address is known or not."""
    if request.method == "POST":
        form = SigninForm(request.POST)
        if form.is_valid():
            next_url = safe_next(request, form.cleaned_data["next"])
            send_signin_link(form.cleaned_data["email"], request, next_url=next_url)
            return render(request, "events/signin_sent.html",
                          {"email": form.cleaned_data["email"]})
    else:
        form = SigninForm(initial={"next": safe_next(request, request.GET.get("next", ""))})
    return render(request, "events/signin.html", {"form": form})


def signin_link(request):
    """GET shows a button; POST spends the one-time token and signs the person in."""
    token = request.POST.get("sesame") if request.method == "POST" else request.GET.get("sesame")
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method != "POST":
        return render(request, "events/signin_link.html", {"token": token, "next": next_url})
    user = authenticate(request, sesame=token) if token else None
    if user is None:
        return render(request, "events/signin_link.html",
                      {"expired": True, "next": next_url}, status=400)
    login(request, user)  # updates last_login, which makes the token unusable
    return redirect(next_url or "cabinet")

"""Sign-in links for teachers who have no password: minting, spending, the account behind them.

A person with an account gets a django-sesame token (one-time: it dies when last_login moves).
A person without one gets a signed first-sign-in token naming the person; the account is made
only when that token is spent, and the token dies with it (it is valid only while the person has
no account). So asking for a link creates nothing, whether the address is known or not.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.models import Group, User
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy

from config.text_input import CleanTextMixin
from participants import roles
from participants.models import Person

USERNAME_MAX = 150
FIRST_SIGNIN_PREFIX = "new:"
FIRST_SIGNIN_SALT = "participants.signin.first"


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


def may_use_link(person):
    """Accounts with a password (curators, mentors, admins) sign in with it: a mailbox alone
    should not open the administration."""
    if person.is_anonymised or not person.email:
        return False
    return person.user is None or _link_account(person.user)


def _link_account(user):
    return user.is_active and not user.has_usable_password()


def safe_next(request, url):
    """A local address to return to after sign-in, or '' for anything else."""
    allowed = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    return url if url and allowed and url.startswith("/") else ""


def link_url(person, next_url=""):
    """A fresh sign-in link for this person, minted when the letter is rendered."""
    if person.user_id:
        # Imported here: django-sesame loads its key lazily, commands need none.
        from sesame.utils import get_token

        token = get_token(person.user)
    else:
        token = FIRST_SIGNIN_PREFIX + signing.dumps(person.pk, salt=FIRST_SIGNIN_SALT)
    query = {"sesame": token}
    if next_url:
        query["next"] = next_url
    return f"{settings.SITE_URL}{reverse('signin_link')}?{urlencode(query)}"


def _first_signin_person(token):
    try:
        pk = signing.loads(token[len(FIRST_SIGNIN_PREFIX):], salt=FIRST_SIGNIN_SALT,
                           max_age=settings.SESAME_MAX_AGE)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=pk, user__isnull=True).first()


def spend(request, token):
    """Sign the request in with a link's token; the account, or None for a dead token."""
    if not token:
        return None
    if token.startswith(FIRST_SIGNIN_PREFIX):
        with transaction.atomic():
            person = _first_signin_person(token)
            if person is None or not may_use_link(person):
                return None
            user = user_for_person(person)
            login(request, user, backend="sesame.backends.ModelBackend")
            return user
    user = authenticate(request, sesame=token)
    if user is None or not _link_account(user):
        return None
    login(request, user)  # updates last_login, which kills the one-time token
    return user


class SigninForm(CleanTextMixin, forms.Form):
    email = forms.EmailField(label=gettext_lazy("Ваш e-mail"),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

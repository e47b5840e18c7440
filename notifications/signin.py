"""Sign-in letters go through the outbox: the page answers at once, the worker sends them.

The link itself is minted when the letter is rendered (rendering.py), so the outbox keeps no
usable token.
"""

import secrets

from django.db import transaction

from notifications.models import Kind
from notifications.services import Message, enqueue
from participants.models import Person
from participants.signin import may_use_link


@transaction.atomic
def send_signin_link(email, *, next_url=""):
    """Queue one sign-in letter per participant with this address; returns how many."""
    people = (Person.objects.filter(email__iexact=(email or "").strip(), is_anonymised=False)
              .exclude(email="").select_related("municipality", "user"))
    messages = [
        Message(recipient_id=person.pk, kind=Kind.SIGNIN_LINK,
                dedup_key=f"signin:{person.pk}:{secrets.token_hex(8)}", template="signin_link",
                context={"next": next_url, "municipality": person.municipality.name})
        for person in people if may_use_link(person)
    ]
    return enqueue(messages) if messages else 0

"""«Мой кабинет» and the button that replaces the calendar link."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from events import services
from events.formatting import format_span, format_when
from events.models import Attendance, Event, Registration
from participants.models import MentoringGroup, MentorProfile, Person
from surveys.models import Invitation

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def _person_of(user):
    return Person.objects.filter(user=user).select_related("municipality", "organisation").first()


@dataclass(frozen=True)
class CabinetRow:
    event: Event
    when: str
    registration: Registration | None
    attended: bool | None  # None: not marked


def _cabinet_rows(person):
    related = ("event__municipality", "event__form", "event__venue")
    registrations = (Registration.objects.filter(person=person, status__in=ACTIVE)
                     .select_related("event", *related))
    attendances = {a.event_id: a for a in
                   Attendance.objects.filter(person=person).select_related("event", *related)}
    by_event = {r.event_id: (r.event, r) for r in registrations}
    for event_id, attendance in attendances.items():
        by_event.setdefault(event_id, (attendance.event, None))  # came without registering
    rows = []
    for event_id, (event, registration) in by_event.items():
        attendance = attendances.get(event_id)
        rows.append(CabinetRow(
            event, format_span(event.starts_at, event.ends_at, event.municipality.zone),
            registration, attendance.present if attendance else None,
        ))
    return rows


@dataclass(frozen=True)
class WaitingSurvey:
    title: str
    url: str
    closes: str


def _waiting_surveys(person, now):
    """Open rounds the person was invited to and has not submitted, the closest deadline first."""
    invitations = (Invitation.objects.filter(
        person=person, answered_at__isnull=True, round__opens_at__lte=now,
        round__closes_at__gt=now,
    ).select_related("round__municipality").order_by("round__closes_at", "pk"))
    return [WaitingSurvey(i.round.title, reverse("survey", args=[i.token]),
                          format_when(i.round.closes_at, i.round.municipality.zone))
            for i in invitations]


def _feed_urls(person):
    url = f"{settings.SITE_URL}/calendar/{services.feed_for(person).token}.ics"
    return url, re.sub(r"^https?://", "webcal://", url)


@login_required(login_url="signin")
@never_cache  # the personal calendar link and the questionnaire links are secrets
def cabinet(request):
    """My questionnaires, registrations, attendance, academic hours and my calendar feed."""
    person = _person_of(request.user)
    if person is None:
        return render(request, "cabinet/cabinet.html", {"person": None})
    now = timezone.now()
    rows = _cabinet_rows(person)
    upcoming = sorted((r for r in rows if r.event.ends_at >= now), key=lambda r: r.event.starts_at)
    past = sorted((r for r in rows if r.event.ends_at < now), key=lambda r: r.event.starts_at,
                  reverse=True)
    hours = sum((r.event.academic_hours for r in past if r.attended and not r.event.is_cancelled),
                Decimal(0))
    feed_url, webcal_url = _feed_urls(person)
    return render(request, "cabinet/cabinet.html", {
        "person": person, "surveys": _waiting_surveys(person, now),
        "upcoming": upcoming, "past": past, "hours": hours,
        "attended_count": sum(1 for r in past if r.attended), "feed_url": feed_url,
        "webcal_url": webcal_url,
        "certificates": person.certificates.filter(revoked_at=None).order_by("-issued_at"),
        # The portfolio and the pairs' lesson visits (portfolio/), by address only.
        "is_mentor": MentorProfile.objects.filter(person=person).exists(),
        "pairs": MentoringGroup.objects.filter(Q(mentor=person) | Q(memberships__mentee=person))
        .select_related("mentor").distinct().order_by("-start_date", "pk"),
    })


@login_required(login_url="signin")
@require_POST
def revoke_feed(request):
    person = _person_of(request.user)
    if person is None:
        messages.error(request, _("Ваша учётная запись не связана с участником школы. "
                                  "Обратитесь к куратору."))
        return redirect("cabinet")
    services.revoke_feed(person, by=request.user)
    messages.success(request, _("Выпущена новая ссылка на календарь; старая больше не работает. "
                                "Подпишитесь в календаре заново по новой ссылке."))
    return redirect(reverse("cabinet") + "#calendar")

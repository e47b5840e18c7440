"""Pages of teachers, mentors and curators: thin views over events.services, read helpers here."""

from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.errors import DomainError
from events import services
from events.formatting import (
    format_span,
    format_span_short,
    format_when,
    month_label,
    zone_label,
)
from events.forms import AttendanceMarkForm, CheckinForm, MunicipalityFilterForm
from events.models import Attendance, Event, Registration
from participants import roles
from participants.models import Municipality, Person

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
SEARCH_LIMIT = 20


def signin_required(view):
    """Pages of a person: the anonymous visitor is sent to the e-mail sign-in first."""
    return login_required(view, login_url="signin")


def _person_of(user):
    """The participant behind the account; a superuser may have none."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("municipality").first()


def _is_staff_for(user, event):
    if not user.is_authenticated:
        return False
    return user.is_superuser or (
        roles.can_view(user) and roles.municipality_id_of(user) == event.municipality_id
    )


def _staff_event(request, pk):
    """An event the curator or a mentor of its municipality may run; anyone else gets 404."""
    events = roles.scope(Event.objects.select_related("municipality"), request.user)
    return get_object_or_404(events, pk=pk)


def _no_person(request):
    messages.error(request, _("Ваша учётная запись не связана с участником школы. "
                              "Обратитесь к куратору."))


@dataclass(frozen=True)
class EventRow:
    event: Event
    when: str
    seats_left: int | None
    mine: str = ""  # the visitor's registration status on this event, if any


def _seats_left(event):
    if event.capacity is None:
        return None
    return max(event.capacity - event.confirmed_count, 0)


def _row(event, *, mine="", with_zone=True):
    zone = event.municipality.zone
    when = (format_span(event.starts_at, event.ends_at, zone) if with_zone
            else format_span_short(event.starts_at, event.ends_at, zone))
    return EventRow(event, when, _seats_left(event), mine)


def _by_month(events, mine, *, with_zone):
    groups = {}
    for event in events:
        label = month_label(event.starts_at, event.municipality.zone)
        groups.setdefault(label, []).append(
            _row(event, mine=mine.get(event.pk, ""), with_zone=with_zone))
    return list(groups.items())


def _my_statuses(user):
    """{event id: status} of the visitor's active registrations on upcoming events."""
    if not user.is_authenticated:
        return {}
    return dict(Registration.objects.filter(
        person__user=user, status__in=ACTIVE, event__ends_at__gte=timezone.now(),
    ).values_list("event_id", "status"))


def event_list(request):
    """Upcoming events of the visitor's municipality, or of any with a filter, by month."""
    own_id = roles.municipality_id_of(request.user)
    # Ordered here: Django drops Meta.ordering from a query with aggregates.
    events = (Event.objects.upcoming().with_counts()
              .select_related("municipality", "form", "track", "venue").order_by("starts_at", "id"))
    municipalities, selected = [], None
    if own_id is not None:
        events = events.filter(municipality_id=own_id)
    else:
        selected = MunicipalityFilterForm(request.GET).selected_id()
        municipalities = list(Municipality.objects.only("id", "name"))
        if selected:
            events = events.filter(municipality_id=selected)
    events = list(events)
    # Said once above the cards when every card would repeat it.
    places = {event.municipality for event in events}
    zones = {event.municipality.time_zone for event in events}
    common_zone = ""
    if len(zones) == 1:
        common_zone = zone_label(events[0].municipality.zone, events[0].starts_at)
    return render(request, "events/event_list.html", {
        "months": _by_month(events, _my_statuses(request.user), with_zone=not common_zone),
        "municipalities": municipalities,
        "selected_municipality": selected, "own_municipality": own_id is not None,
        "show_municipality": len(places) > 1,
        "common_municipality": places.pop() if len(places) == 1 else None,
        "common_zone": common_zone,
    })


def _waitlist_position(registration):
    earlier = Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at,
                                                           id__lte=registration.id)
    return Registration.objects.filter(
        earlier, event_id=registration.event_id, status=Registration.Status.WAITLISTED,
    ).count()


def _registration_of(event, person):
    if person is None:
        return None
    return Registration.objects.filter(event=event, person=person, status__in=ACTIVE).first()


def event_detail(request, pk):
    """Everything about one event and what the visitor can do about it."""
    events = (Event.objects.with_counts()
              .select_related("municipality", "form", "program", "track", "venue")
              .prefetch_related("topics", "responsible"))
    event = get_object_or_404(events, pk=pk)
    person = _person_of(request.user)
    registration = _registration_of(event, person)
    attendance = (Attendance.objects.filter(event=event, person=person).first()
                  if person else None)
    now = timezone.now()
    open_for_change = not event.is_cancelled and now < event.starts_at
    waiting = registration is not None and registration.status == Registration.Status.WAITLISTED
    check_in_open = (not event.is_cancelled
                     and event.starts_at - services.CHECKIN_EARLY <= now <= event.ends_at)
    row = _row(event)
    window = services.registration_state(event, now)
    return render(request, "events/event_detail.html", {
        "event": event, "row": row, "registration": registration,
        "waitlist_position": _waitlist_position(registration) if waiting else None,
        "attendance": attendance,
        # Only a button that works is shown; otherwise the page says why there is none.
        "can_register": open_for_change and registration is None and window == "open",
        "registration_window": window if registration is None and not event.is_cancelled
        else "",
        "can_cancel": open_for_change and registration is not None,
        "can_check_in": (check_in_open and registration is not None and not waiting
                         and not (attendance and attendance.present)),
        "is_staff": _is_staff_for(request.user, event),
        "has_person": person is not None,
        # The feed of one event is served by the calendar module at this address.
        "ics_url": f"/events/{event.pk}.ics",
        "registration_opens": (format_when(event.registration_opens_at, event.municipality.zone)
                               if event.registration_opens_at else ""),
        "registration_closes": (format_when(event.registration_closes_at, event.municipality.zone)
                                if event.registration_closes_at else ""),
    })


def _registration_message(registration):
    if registration.status == Registration.Status.WAITLISTED:
        return _("Свободных мест нет: вы в листе ожидания, место %(n)s. Если место "
                 "освободится, запись подтвердится автоматически.") % {
            "n": _waitlist_position(registration)}
    return _("Вы записаны на мероприятие.")


@signin_required
@require_POST
def register(request, pk):
    event = get_object_or_404(Event, pk=pk)
    person = _person_of(request.user)
    if person is None:
        _no_person(request)
        return redirect("event_detail", pk=pk)
    try:
        registration = services.register(event, person, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _registration_message(registration))
    return redirect("event_detail", pk=pk)


@signin_required
def cancel_registration(request, pk):
    """GET (or a POST without «confirm») asks first: a mis-tap must not give away a seat."""
    event = get_object_or_404(Event.objects.with_counts().select_related("municipality"), pk=pk)
    registration = _registration_of(event, _person_of(request.user))
    if registration is None:
        messages.info(request, _("Вы не записаны на это мероприятие."))
        return redirect("event_detail", pk=pk)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        waiting = registration.status == Registration.Status.WAITLISTED
        return render(request, "events/cancel_confirm.html", {
            "event": event, "registration": registration,
            "when": format_span(event.starts_at, event.ends_at, event.municipality.zone),
            "seat_goes_to_next": not waiting and event.waitlisted_count > 0,
            "is_full": not waiting and _seats_left(event) == 0,
        })
    try:
        services.cancel_registration(registration, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Запись отменена."))
    return redirect("event_detail", pk=pk)


# --- attendance sheet ------------------------------------------------------------------------

@dataclass(frozen=True)
class AttendeeRow:
    person: Person
    status: str  # confirmed / waitlisted / walk_in
    present: bool | None


def _attendee_rows(event):
    registrations = sorted(
        event.registrations.filter(status__in=ACTIVE).select_related(
            "person", "person__organisation"),
        key=lambda r: (r.status != Registration.Status.CONFIRMED, r.queued_at, r.pk),
    )
    attendances = {a.person_id: a for a in
                   event.attendances.select_related("person", "person__organisation")}
    rows = [AttendeeRow(r.person, r.status, _present(attendances.get(r.person_id)))
            for r in registrations]
    registered = {r.person_id for r in registrations}
    walk_ins = sorted((a for a in attendances.values() if a.person_id not in registered),
                      key=lambda a: a.person.full_name)
    rows += [AttendeeRow(a.person, "walk_in", a.present) for a in walk_ins]
    return rows, attendances


def _present(attendance):
    return attendance.present if attendance else None


def _counts(rows, *, ended):
    """Before the end an unmarked person is only not marked yet; after it, they did not come."""
    confirmed = [r for r in rows if r.status == Registration.Status.CONFIRMED]
    return {
        "confirmed": len(confirmed),
        "waitlisted": sum(1 for r in rows if r.status == Registration.Status.WAITLISTED),
        "present": sum(1 for r in rows if r.present),
        "absent": sum(1 for r in confirmed
                      if r.present is False or (r.present is None and ended)),
        "unmarked": 0 if ended else sum(1 for r in confirmed if r.present is None),
        "walk_in": sum(1 for r in rows if r.status == "walk_in" and r.present),
    }


@signin_required
def attendance(request, pk):
    """The sheet a mentor holds at the door: one big button per person, walk-ins by search."""
    event = _staff_event(request, pk)
    rows, attendances = _attendee_rows(event)
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        people = (Person.objects.filter(municipality_id=event.municipality_id,
                                        is_anonymised=False)
                  .search(query).select_related("organisation")[:SEARCH_LIMIT])
        found = [(p, _present(attendances.get(p.pk))) for p in people]
    return render(request, "events/attendance.html", {
        "event": event, "when": format_span(event.starts_at, event.ends_at,
                                            event.municipality.zone),
        "rows": rows, "counts": _counts(rows, ended=timezone.now() > event.ends_at),
        "query": query, "found": found,
        "marking": services.marking_state(event, request.user),
        "marking_opens": format_when(event.starts_at - services.MARKING_EARLY,
                                     event.municipality.zone),
    })


@signin_required
@require_POST
def mark_attendance(request, pk):
    event = _staff_event(request, pk)
    form = AttendanceMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Не удалось понять, кого отметить."))
        return redirect("event_attendance", pk=pk)
    person = get_object_or_404(Person, pk=form.cleaned_data["person"],
                               municipality_id=event.municipality_id)
    present = form.cleaned_data["present"]
    try:
        services.mark_attendance(event, person, present=present, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("event_attendance", args=[pk]) + f"#p{person.pk}")


# --- check-in --------------------------------------------------------------------------------

def _self_checkin_url(event):
    path = reverse("event_self_checkin", args=[event.pk])
    return f"{settings.SITE_URL}{path}?{urlencode({'code': event.checkin_code})}"


@signin_required
@never_cache  # the code lets people mark themselves present
def checkin_screen(request, pk):
    """For the projector: the code and a QR code that opens the self check-in form."""
    event = _staff_event(request, pk)
    url = _self_checkin_url(event)
    # segno escapes nothing of ours: the SVG holds only path data of the QR modules.
    qr_svg = mark_safe(segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr"))
    return render(request, "events/checkin_screen.html", {
        "event": event, "when": format_span(event.starts_at, event.ends_at,
                                            event.municipality.zone),
        "url": url, "qr_svg": qr_svg,
    })


@signin_required
def self_checkin(request, pk):
    """A registered person types (or scans) the code shown in the hall."""
    event = get_object_or_404(Event.objects.select_related("municipality"), pk=pk)
    person = _person_of(request.user)
    context = {"event": event, "has_person": person is not None,
               "when": format_span(event.starts_at, event.ends_at, event.municipality.zone)}
    if request.method != "POST" or person is None:
        context["form"] = CheckinForm(initial={"code": request.GET.get("code", "")})
        return render(request, "events/self_checkin.html", context)
    form = CheckinForm(request.POST)
    if form.is_valid():
        try:
            services.check_in(event, person, code=form.cleaned_data["code"], by=request.user)
        except DomainError as exc:
            form.add_error("code", exc.message)
            context["form"] = form
            return render(request, "events/self_checkin.html", context, status=exc.status)
        messages.success(request, _("Вы отмечены на мероприятии. Спасибо, что пришли!"))
        return redirect("event_detail", pk=pk)
    context["form"] = form
    return render(request, "events/self_checkin.html", context, status=422)


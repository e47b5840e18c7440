"""REST endpoints for programs, tracks, events, registrations and attendance.

Every lookup goes through a queryset scoped to what the user may see, so another municipality's
object is a 404, not a 403 that confirms it exists. Staff (curators, mentors) see their
municipality, a superuser all of them; any signed-in user linked to a participant sees the
programs, tracks and events of their own municipality and only their own registrations. Every
write calls a function of events/services.py, which decides who may do it.
"""

import datetime
import zoneinfo

from django.db.models import F, FilteredRelation, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from config.api_types import PathId
from events import reports, services
from events.api_lookups import pick, pick_all, require_staff, visible, visible_municipality
from events.errors import Invalid
from events.models import Event, EventForm, Program, Registration, Track
from events.schemas import (
    AttendanceIn,
    AttendanceOut,
    AttendanceRowOut,
    AttendanceSummaryOut,
    CheckInIn,
    EventCancelIn,
    EventFilters,
    EventFormIn,
    EventFormOut,
    EventFormPatch,
    EventIn,
    EventOut,
    EventPatch,
    EventSeriesIn,
    MunicipalityOut,
    MunicipalityPatch,
    ProgramIn,
    ProgramOut,
    ProgramPatch,
    RegistrationFilters,
    RegistrationIn,
    RegistrationOut,
    TrackFilters,
    TrackIn,
    TrackOut,
    TrackPatch,
)
from participants import roles
from participants import services as participant_services
from participants.models import Municipality, Organisation, Person, Topic

router = Router(tags=["Мероприятия"])


# --- who sees what -------------------------------------------------------------------------

def _own_person(user):
    person = roles.linked_person(user)
    if person is None:
        raise Invalid(_("Учётная запись не связана с участником; укажите участника."),
                      code="person_required", details={"field": "person_id"})
    return person


def _people(user):
    """People the user may act on: staff — their municipality; a participant — themselves."""
    if roles.can_view(user):
        return roles.scope(Person.objects.all(), user)
    return Person.objects.filter(user=user)


def _event_or_404(user, event_id):
    return get_object_or_404(visible(Event.objects.select_related("municipality"), user),
                             pk=event_id)


def _events(user):
    return (visible(Event.objects.all(), user).with_counts()
            .select_related("municipality", "form").prefetch_related("topics", "responsible"))


def _registration_or_404(user, registration_id):
    queryset = Registration.objects.select_related("event__municipality", "person__municipality")
    if roles.can_view(user):
        queryset = roles.scope(queryset, user, "event__municipality")
    else:
        queryset = queryset.filter(person__user=user)
    return get_object_or_404(queryset, pk=registration_id)


def _target_municipality(user, municipality_id):
    """The municipality to create in: the one asked for (if visible), else the user's own."""
    municipality_id = municipality_id or roles.municipality_id_of(user)
    if municipality_id is None:
        raise Invalid(_("Укажите муниципалитет."), details={"field": "municipality_id"})
    return get_object_or_404(visible(Municipality.objects.all(), user, "pk"), pk=municipality_id)


# --- ids in a body → objects ---------------------------------------------------------------

def _event_fields(data, municipality):
    """Turn the ids of an event body into objects of the event's municipality."""
    single = {
        "program_id": ("program", Program.objects.filter(municipality=municipality)),
        "track_id": ("track", Track.objects.filter(program__municipality=municipality)),
        "form_id": ("form", EventForm.objects.usable_in(municipality)),
        "venue_id": ("venue", Organisation.objects.filter(municipality=municipality)),
    }
    many = {
        "topic_ids": ("topics", Topic.objects.all()),
        "responsible_ids": ("responsible", Person.objects.filter(municipality=municipality)),
    }
    fields = {}
    for key, value in data.items():
        if key in single:
            name, queryset = single[key]
            fields[name] = pick(queryset, value, key)
        elif key in many:
            name, queryset = many[key]
            fields[name] = None if value is None else pick_all(queryset, value, key)
        else:
            fields[key] = value
    return fields


# --- programs and tracks -------------------------------------------------------------------

@router.get("/programs", response=list[ProgramOut], summary="Программы")
@paginate
def list_programs(request):
    return visible(Program.objects.all(), request.auth)


@router.post("/programs", response={201: ProgramOut}, summary="Создать программу")
def create_program(request, payload: ProgramIn):
    user, data = request.auth, payload.dict()
    municipality = _target_municipality(user, data.pop("municipality_id"))
    curator = pick(Person.objects.filter(municipality=municipality), data.pop("curator_id"),
                    "curator_id")
    return services.create_program(municipality, by=user, curator=curator, **data)


@router.get("/programs/{program_id}", response=ProgramOut, summary="Программа")
def get_program(request, program_id: PathId):
    return get_object_or_404(visible(Program.objects.all(), request.auth), pk=program_id)


@router.patch("/programs/{program_id}", response=ProgramOut, summary="Изменить программу")
def update_program(request, program_id: PathId, payload: ProgramPatch):
    """Change the fields sent (a rename shows in the program's calendar at the next poll)."""
    user = request.auth
    program = get_object_or_404(visible(Program.objects.select_related("municipality"), user),
                                 pk=program_id)
    data = payload.dict(exclude_unset=True)
    if "curator_id" in data:
        data["curator"] = pick(Person.objects.filter(municipality_id=program.municipality_id),
                                data.pop("curator_id"), "curator_id")
    return services.update_program(program, by=user, **data)


def _tracks(user):
    return visible(Track.objects.all(), user, "program__municipality").prefetch_related("topics")


@router.get("/tracks", response=list[TrackOut], summary="Треки программ")
@paginate
def list_tracks(request, filters: Query[TrackFilters]):
    tracks = _tracks(request.auth)
    if filters.program_id is not None:
        tracks = tracks.filter(program_id=filters.program_id)
    return tracks


@router.post("/tracks", response={201: TrackOut}, summary="Создать трек")
def create_track(request, payload: TrackIn):
    user, data = request.auth, payload.dict()
    program = pick(visible(Program.objects.select_related("municipality"), user),
                    data.pop("program_id"), "program_id")
    topics = pick_all(Topic.objects.all(), data.pop("topic_ids"), "topic_ids")
    responsible = pick_all(Person.objects.filter(municipality_id=program.municipality_id),
                            data.pop("responsible_ids"), "responsible_ids")
    track = services.create_track(program, by=user, topics=topics, responsible=responsible,
                                  **data)
    return _tracks(user).get(pk=track.pk)


@router.get("/tracks/{track_id}", response=TrackOut, summary="Трек")
def get_track(request, track_id: PathId):
    return get_object_or_404(_tracks(request.auth), pk=track_id)


@router.patch("/tracks/{track_id}", response=TrackOut, summary="Изменить трек")
def update_track(request, track_id: PathId, payload: TrackPatch):
    user = request.auth
    track = get_object_or_404(_tracks(user).select_related("program__municipality"), pk=track_id)
    data = payload.dict(exclude_unset=True)
    municipality_id = track.program.municipality_id
    if data.get("topic_ids") is not None:
        data["topics"] = pick_all(Topic.objects.all(), data.pop("topic_ids"), "topic_ids")
    if data.get("responsible_ids") is not None:
        data["responsible"] = pick_all(Person.objects.filter(municipality_id=municipality_id),
                                        data.pop("responsible_ids"), "responsible_ids")
    data = {key: value for key, value in data.items() if not key.endswith("_ids")}
    services.update_track(track, by=user, **data)
    return _tracks(user).get(pk=track.pk)


# --- events --------------------------------------------------------------------------------

def _zone_for(user, municipality_id):
    """Days of a date filter are the municipality's days; UTC when the list spans several."""
    municipality_id = municipality_id or roles.municipality_id_of(user)
    name = (Municipality.objects.filter(pk=municipality_id).values_list("time_zone", flat=True)
            .first() if municipality_id else None)
    return zoneinfo.ZoneInfo(name) if name else datetime.UTC


def _filter_events(events, filters, user):
    for field in ("track_id", "program_id", "form_id", "municipality_id", "status"):
        value = getattr(filters, field)
        if value is not None:
            events = events.filter(**{field: value})
    if filters.topic_id is not None:
        events = events.filter(topics=filters.topic_id)
    if filters.audience is not None:
        events = events.for_audience(filters.audience)
    if filters.date_from or filters.date_to:
        zone = _zone_for(user, filters.municipality_id)
        if filters.date_from:
            events = events.filter(starts_at__gte=datetime.datetime.combine(
                filters.date_from, datetime.time.min, tzinfo=zone))
        if filters.date_to:
            events = events.filter(starts_at__lt=datetime.datetime.combine(
                filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone))
    return events


@router.get("/events", response=list[EventOut], summary="Мероприятия")
@paginate
def list_events(request, filters: Query[EventFilters]):
    return _filter_events(_events(request.auth), filters, request.auth)


@router.post("/events", response={201: EventOut}, summary="Создать мероприятие")
def create_event(request, payload: EventIn):
    user, data = request.auth, payload.dict()
    municipality = _target_municipality(user, data.pop("municipality_id"))
    event = services.create_event(municipality, by=user, **_event_fields(data, municipality))
    return _events(user).get(pk=event.pk)


@router.post("/events/series", response={201: list[EventOut]}, summary="Создать серию мероприятий")
def create_series(request, payload: EventSeriesIn):
    """A series ("monthly"): separate events sharing a series id, each can move on its own."""
    user, data = request.auth, payload.dict(exclude={"registration_opens_at",
                                                     "registration_closes_at"})
    municipality = _target_municipality(user, data.pop("municipality_id"))
    first, end = data.pop("starts_at"), data.pop("ends_at")
    starts = sorted({first, *data.pop("repeat_starts")})
    events = services.create_series(municipality, dates=starts, duration=end - first, by=user,
                                    **_event_fields(data, municipality))
    return Status(201, list(_events(user).filter(pk__in=[e.pk for e in events])
                            .order_by("starts_at")))


@router.get("/events/{event_id}", response=EventOut, summary="Мероприятие")
def get_event(request, event_id: PathId):
    return get_object_or_404(_events(request.auth), pk=event_id)


@router.patch("/events/{event_id}", response=EventOut, summary="Изменить мероприятие")
def update_event(request, event_id: PathId, payload: EventPatch):
    """Change the fields sent; moving starts_at/ends_at reschedules (SEQUENCE rises)."""
    user = request.auth
    event = _event_or_404(user, event_id)
    fields = _event_fields(payload.dict(exclude_unset=True), event.municipality)
    services.update_event(event, by=user, **fields)
    return _events(user).get(pk=event.pk)


@router.delete("/events/{event_id}", response={204: None}, summary="Удалить мероприятие")
def delete_event(request, event_id: PathId):
    """Remove an event entered by mistake; 409 once anybody registered (cancel it instead)."""
    user = request.auth
    services.delete_event(_event_or_404(user, event_id), by=user)
    return Status(204, None)


@router.post("/events/{event_id}/cancel", response=EventOut, summary="Отменить мероприятие")
def cancel_event(request, event_id: PathId, payload: EventCancelIn = None):
    user = request.auth
    event = _event_or_404(user, event_id)
    services.cancel_event(event, by=user, reason=payload.reason if payload else "")
    return _events(user).get(pk=event.pk)


def _forms(user):
    """The shared forms and those of the municipalities the user sees."""
    own = visible(EventForm.objects.filter(municipality__isnull=False), user)
    return EventForm.objects.filter(Q(municipality__isnull=True) | Q(pk__in=own.values("pk")))


@router.get("/event-forms", response=list[EventFormOut], summary="Формы мероприятий")
@paginate
def list_event_forms(request):
    return _forms(request.auth)


@router.post("/event-forms", response={201: EventFormOut}, summary="Добавить форму мероприятия")
def create_event_form(request, payload: EventFormIn):
    """Curator: a form of work of the municipality's own («мониторинг», «форум», «конкурс»)."""
    user = request.auth
    municipality = _target_municipality(user, payload.municipality_id)
    return Status(201, services.create_event_form(municipality, name=payload.name, by=user))


@router.patch("/event-forms/{form_id}", response=EventFormOut,
              summary="Переименовать форму мероприятия")
def rename_event_form(request, form_id: PathId, payload: EventFormPatch):
    """Rename the municipality's own form; a shared form only a superuser renames."""
    user = request.auth
    form = get_object_or_404(_forms(user).select_related("municipality"), pk=form_id)
    return services.rename_event_form(form, name=payload.name, by=user)


@router.get("/municipalities", response=list[MunicipalityOut], summary="Муниципалитеты")
@paginate
def list_municipalities(request):
    """The municipalities the user sees: their own; all for a superuser."""
    return visible(Municipality.objects.all(), request.auth, "pk")


@router.get("/municipalities/{municipality_id}", response=MunicipalityOut,
            summary="Муниципалитет")
def get_municipality(request, municipality_id: PathId):
    return get_object_or_404(visible(Municipality.objects.all(), request.auth, "pk"),
                             pk=municipality_id)


@router.patch("/municipalities/{municipality_id}", response=MunicipalityOut,
              summary="Название органа управления образованием")
def patch_municipality(request, municipality_id: PathId, payload: MunicipalityPatch):
    """The department named in the header of reports and on certificates (a curator's own
    municipality; another is a 404)."""
    municipality = get_object_or_404(visible(Municipality.objects.all(), request.auth, "pk"),
                                     pk=municipality_id)
    return participant_services.set_department(municipality, department=payload.department,
                                               by=request.auth)


# --- registrations -------------------------------------------------------------------------

@router.get("/events/{event_id}/registrations", response=list[RegistrationOut],
            summary="Записи на мероприятие")
@paginate
def list_registrations(request, event_id: PathId, filters: Query[RegistrationFilters]):
    """Staff: the event's registrations, the waiting list in its order (queued_at)."""
    event = _event_or_404(request.auth, event_id)
    require_staff(request.auth)
    registrations = event.registrations.select_related("person").order_by("queued_at", "id")
    if filters.status is not None:
        registrations = registrations.filter(status=filters.status)
    return registrations


@router.post("/events/{event_id}/registrations",
             response={200: RegistrationOut, 201: RegistrationOut},
             summary="Записаться или записать участника")
def register(request, event_id: PathId, payload: RegistrationIn = None):
    """Register the current user (no person_id) or, for a curator, anyone of the municipality.

    Idempotent: 201 with the new registration, 200 with the same one when the person already
    holds a seat or a place in the waiting list.
    """
    user = request.auth
    person_id = payload.person_id if payload else None
    if person_id is None:
        roles.linked_person(user)  # first: it also settles the user's municipality
    municipality_id = visible_municipality(user)  # before anything else: 404 if sees none
    person = (_own_person(user) if person_id is None
              else get_object_or_404(_people(user), pk=person_id))
    # Decided under the event's lock: of two requests racing for one person, one made it. The
    # event is looked up where the user sees events by the locking query itself (404 elsewhere).
    registration, made = services.register_once(event_id, person, by=user,
                                                in_municipality=municipality_id)
    return Status(201 if made else 200, registration)


@router.post("/registrations/{registration_id}/cancel", response=RegistrationOut,
             summary="Отменить запись")
def cancel_registration(request, registration_id: PathId):
    """Cancel; a freed seat goes to the first in the waiting list."""
    registration = _registration_or_404(request.auth, registration_id)
    return services.cancel_registration(registration, by=request.auth)


@router.post("/registrations/{registration_id}/waitlist", response=RegistrationOut,
             summary="Перевести в лист ожидания")
def move_to_waitlist(request, registration_id: PathId):
    """Curator: move a confirmed person to the end of the waiting list."""
    registration = _registration_or_404(request.auth, registration_id)
    return services.move_to_waitlist(registration, by=request.auth)


@router.post("/registrations/{registration_id}/confirm", response=RegistrationOut,
             summary="Подтвердить из листа ожидания")
def confirm_from_waitlist(request, registration_id: PathId):
    """Curator: give a free seat to this person from the waiting list."""
    registration = _registration_or_404(request.auth, registration_id)
    return services.confirm_from_waitlist(registration, by=request.auth)


# --- attendance ----------------------------------------------------------------------------

def _attendance_sheet(event):
    """Registered (confirmed or waitlisted) people and anyone marked, in one query."""
    held = [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    return (
        Person.objects.annotate(
            reg=FilteredRelation("registrations", condition=Q(registrations__event=event)),
            att=FilteredRelation("attendances", condition=Q(attendances__event=event)),
        )
        .filter(Q(reg__status__in=held) | Q(att__id__isnull=False))
        .annotate(registration_status=F("reg__status"), present=F("att__present"),
                  is_walk_in=F("att__is_walk_in"), self_checked_in=F("att__self_checked_in"),
                  marked_at=F("att__marked_at"))
    )


@router.get("/events/{event_id}/attendance", response=list[AttendanceRowOut],
            summary="Лист посещаемости")
@paginate
def list_attendance(request, event_id: PathId):
    """Staff: everyone registered with their mark (empty until marked), plus walk-ins."""
    event = _event_or_404(request.auth, event_id)
    require_staff(request.auth)
    return _attendance_sheet(event)


@router.put("/events/{event_id}/attendance/{person_id}", response=AttendanceOut,
            summary="Отметить присутствие")
def mark_attendance(request, event_id: PathId, person_id: PathId, payload: AttendanceIn):
    """Curator or mentor: mark one person present or absent; not registered means walk-in."""
    event = _event_or_404(request.auth, event_id)
    person = get_object_or_404(Person, pk=person_id, municipality_id=event.municipality_id)
    return services.mark_attendance(event, person, present=payload.present, by=request.auth)


@router.post("/events/{event_id}/check-in", response=AttendanceOut, summary="Отметиться кодом")
def check_in(request, event_id: PathId, payload: CheckInIn):
    """The current user marks themselves present with the code shown at the event."""
    event = _event_or_404(request.auth, event_id)
    person = _own_person(request.auth)
    return services.check_in(event, person, code=payload.code, by=request.auth)


@router.get("/people/{person_id}/attendance-summary", response=AttendanceSummaryOut,
            summary="Посещённые мероприятия и часы участника")
def attendance_summary(request, person_id: PathId):
    """Events attended and academic hours: staff for their municipality, anyone for themselves."""
    person = get_object_or_404(_people(request.auth), pk=person_id)
    return reports.person_summary(person)

"""Pages of matching: the curator's mentor suggestions and flash-mentoring results, and the
participant's choice page behind a personal link (no password, works without JavaScript)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config import brakes
from config.errors import DomainError, NotFound
from events.formatting import format_when
from events.models import Event
from participants import roles
from participants.models import Person
from planning.matching import services
from planning.matching.flash import flash_result
from planning.matching.suggestions import (
    NETWORK,
    PREFERENCES,
    mentor_suggestions,
    named_difficulty_rounds,
    period_of,
)
from planning.models import FlashParticipant
from planning.themes.query import parse_date


def _curator(request):
    if not roles.can_manage(request.user):
        raise PermissionDenied(_("Подбор наставников доступен куратору."))
    municipality_id = roles.municipality_id_of(request.user)
    if municipality_id is None:
        raise PermissionDenied(_("Учётная запись не привязана к муниципалитету."))
    return municipality_id


@login_required(login_url="signin")
def suggestions_page(request):
    """Mentees without a mentor with the best mentors for each, and a button to form the pair."""
    municipality_id = _curator(request)
    preference = request.GET.get("preference", NETWORK)
    if preference not in PREFERENCES:
        preference = NETWORK
    try:
        period = period_of(municipality_id, start=parse_date(request.GET.get("start"), "start"),
                           end=parse_date(request.GET.get("end"), "end"),
                           round_id=_int(request.GET.get("round")) or None)
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("planning_suggestions")
    items = mentor_suggestions(municipality_id, preference=preference, **period)
    meetings = (Event.objects.filter(municipality_id=municipality_id,
                                     form__name=services.FLASH_FORM,
                                     starts_at__lte=timezone.now())
                .select_related("municipality").order_by("-starts_at")[:20])
    return render(request, "planning/suggestions.html", {
        "items": items, "preference": preference,
        "start": period["start"].isoformat() if period["start"] else "",
        "end": period["end"].isoformat() if period["end"] else "",
        "round_id": period["round_id"],
        "rounds": named_difficulty_rounds(municipality_id)[:50],
        "meetings": [(m, format_when(m.starts_at, m.municipality.zone)) for m in meetings]})


@require_POST
@login_required(login_url="signin")
def confirm_suggestion(request):
    municipality_id = _curator(request)
    people = Person.objects.filter(municipality_id=municipality_id)
    mentee = get_object_or_404(people, pk=_int(request.POST.get("mentee")))
    mentor = get_object_or_404(people, pk=_int(request.POST.get("mentor")))
    consent_at = timezone.now() if request.POST.get("consent") else None
    try:
        services.confirm_suggestion(mentee, mentor, by=request.user, consent_at=consent_at)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Пара сформирована: %(mentor)s — %(mentee)s.") % {
            "mentor": mentor.full_name, "mentee": mentee.full_name})
    preference = request.POST.get("preference")
    # Back to the same list: the school preference and the period it was read for.
    back = {"preference": preference if preference in PREFERENCES else NETWORK}
    back.update({key: request.POST[key][:20] for key in ("start", "end", "round")
                 if request.POST.get(key)})
    return redirect(reverse("planning_suggestions") + "?" + urlencode(back))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _flash_event(request, event_id):
    municipality_id = _curator(request)
    return get_object_or_404(Event.objects.select_related("municipality", "form"),
                             pk=event_id, municipality_id=municipality_id)


@login_required(login_url="signin")
def flash_page(request, event_id):
    """Proposed pairs of a flash-mentoring meeting, who is left, and the confirm buttons."""
    event = _flash_event(request, event_id)
    return render(request, "planning/flash.html", {
        "event": event, "result": flash_result(event),
        "when": format_when(event.starts_at, event.municipality.zone)})


@require_POST
@login_required(login_url="signin")
def flash_open(request, event_id):
    event = _flash_event(request, event_id)
    try:
        count = services.open_flash_choices(event, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ссылки для выбора отправлены: %(count)s.") % {
            "count": count})
    return redirect("planning_flash", event_id=event.pk)


@require_POST
@login_required(login_url="signin")
def flash_confirm(request, event_id):
    event = _flash_event(request, event_id)
    people = FlashParticipant.objects.filter(event=event).select_related("person")
    mentor = get_object_or_404(people, pk=_int(request.POST.get("mentor")))
    mentee = get_object_or_404(people, pk=_int(request.POST.get("mentee")))
    try:
        services.confirm_flash_pair(event, mentor, mentee, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Пара сформирована: %(mentor)s — %(mentee)s.") % {
            "mentor": mentor.person.full_name, "mentee": mentee.person.full_name})
    return redirect("planning_flash", event_id=event.pk)


# --- the participant's page ---------------------------------------------------------------------


def _page(request, template, context, *, status=200):
    response = render(request, template, context, status=status)
    # The link is the key to a person's choices: as the survey page (surveys.views._page).
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _may_post(request, token):
    return services.may_save_choices(request, token)


def _read_ranks(post, candidates):
    """Chosen candidate ids in the order of the numbers given; an error text for repeats."""
    ranked = []
    for candidate in candidates:
        value = _int(post.get(f"rank_{candidate.pk}"))
        if 1 <= value <= len(candidates):
            ranked.append((value, candidate.pk))
    numbers = [value for value, _pk in ranked]
    error = _("Один и тот же номер стоит у двух человек.") if len(set(numbers)) < len(
        numbers) else ""
    return [pk for _value, pk in sorted(ranked)], dict((pk, v) for v, pk in ranked), error


@require_http_methods(["GET", "POST"])
def flash_choice(request, token):
    """Mark whom you would continue with, in order of preference."""
    if request.method == "POST" and not _may_post(request, token):
        return _page(request, "too_many_requests.html", {"message": brakes.wait_message()},
                     status=429)
    participant = services.participant_for(token)
    if participant is None:
        return _page(request, "planning/flash_not_found.html", {}, status=404)
    candidates = services.candidates_of(participant)
    chosen = dict(participant.choices.values_list("chosen_id", "rank"))
    error = ""
    if request.method == "POST":
        ordered, chosen, error = _read_ranks(request.POST, candidates)
        if not error:
            try:
                services.record_flash_choices(participant, ordered,
                                              consent=bool(request.POST.get("consent")))
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("Выбор сохранён. Изменить его можно по этой же "
                                            "ссылке."))
                return redirect("flash_choice", token=token)
    event = participant.event
    return _page(request, "planning/flash_choice.html", {
        "participant": participant, "event": event, "error": error,
        "when": format_when(event.starts_at, event.municipality.zone),
        "is_mentor": participant.side == FlashParticipant.Side.MENTOR,
        "rows": [(c, chosen.get(c.pk)) for c in candidates],
        "numbers": range(1, len(candidates) + 1),
        "consent": participant.consent_at is not None,
    }, status=422 if error else 200)

"""Calendar feed views: look up, answer 304 when nothing changed, else build the iCalendar."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from events import calendar, feed_sql
from events.models import Event

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _respond(request, state, build, *, filename, private=False):
    """Answer from the ETag / Last-Modified alone when the client is up to date."""
    last_modified = int(state.last_modified.timestamp()) if state.last_modified else None
    response = get_conditional_response(request, etag=state.etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(build(), content_type=CONTENT_TYPE)
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["ETag"] = state.etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    # Clients revalidate each time: a 304 costs one aggregate query.
    audience = {"private": True} if private else {"public": True}
    patch_cache_control(response, no_cache=True, **audience)
    if private:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _owner(kind, key):
    """A feed's owner by one statement of events.feed_sql, as for every poll; else a 404."""
    owner = feed_sql.owner_of(kind, key)
    if owner is None:
        raise Http404
    return owner


@require_safe
def person_calendar(request, token):
    """A person's secret feed; an unknown or revoked token is a 404."""
    feed = calendar.person_feed(_owner("person", token))
    return _respond(request, calendar.feed_state(feed), lambda: calendar.feed_ics(feed),
                    filename="calendar.ics", private=True)


@require_safe
def program_calendar(request, pk):
    feed = calendar.program_feed(_owner("program", pk))
    return _respond(request, calendar.feed_state(feed), lambda: calendar.feed_ics(feed),
                    filename=f"program-{pk}.ics")


@require_safe
def track_calendar(request, pk):
    feed = calendar.track_feed(_owner("track", pk))
    return _respond(request, calendar.feed_state(feed), lambda: calendar.feed_ics(feed),
                    filename=f"track-{pk}.ics")


@require_safe
def event_calendar(request, pk):
    event = get_object_or_404(Event.objects.select_related(*calendar.RELATED), pk=pk)
    return _respond(request, calendar.event_state(event), lambda: calendar.event_calendar(event),
                    filename=f"event-{pk}.ics")

"""URLs of the calendar feeds (.ics)."""

from django.urls import path

from events import feeds

app_name = "calendar"

urlpatterns = [
    path("calendar/<str:token>.ics", feeds.person_calendar, name="person"),
    path("calendar/programs/<int:pk>.ics", feeds.program_calendar, name="program"),
    path("calendar/tracks/<int:pk>.ics", feeds.track_calendar, name="track"),
    path("events/<int:pk>.ics", feeds.event_calendar, name="event"),
]

"""Times as people read them, in the zone of the event's municipality, named."""

import datetime
import zoneinfo

from events.formatting import format_span, format_when, month_label, zone_label

NOON_UTC = datetime.datetime(2026, 12, 12, 5, 0, tzinfo=datetime.UTC)


def test_format_when_shows_local_time_and_names_the_zone():
    assert format_when(NOON_UTC, "Asia/Vladivostok") == (
        "12 декабря 2026, 15:00 (Владивосток, UTC+10)")


def test_format_span_on_one_day_shows_the_date_once():
    ends = NOON_UTC + datetime.timedelta(hours=2)

    assert format_span(NOON_UTC, ends, "Europe/Moscow") == (
        "12 декабря 2026, 08:00–10:00 (Москва, UTC+3)")


def test_format_span_over_midnight_shows_both_dates():
    starts = datetime.datetime(2026, 3, 1, 13, 0, tzinfo=datetime.UTC)

    assert format_span(starts, starts + datetime.timedelta(hours=3), "Asia/Vladivostok") == (
        "1 марта 2026, 23:00 – 2 марта 2026, 02:00 (Владивосток, UTC+10)")


def test_zone_label_uses_the_offset_of_that_day_and_half_hours():
    summer = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)

    assert zone_label("Europe/Berlin", summer) == "Berlin, UTC+2"
    assert zone_label("Asia/Kolkata", summer) == "Kolkata, UTC+5:30"
    assert zone_label("America/Sao_Paulo", summer) == "Sao Paulo, UTC−3"


def test_month_label_is_the_local_month():
    new_year_eve_utc = datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC)

    assert month_label(new_year_eve_utc, "Asia/Vladivostok") == "Январь 2027"


def test_a_remembered_text_follows_the_instant_not_the_zone_it_was_given_in():
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    first = format_when(NOON_UTC, "Asia/Vladivostok")
    # The same instant written in another zone is the same text; another instant is not.
    assert format_when(NOON_UTC.astimezone(moscow), "Asia/Vladivostok") == first
    assert format_when(NOON_UTC + datetime.timedelta(hours=1), "Asia/Vladivostok") != first
    assert format_when(NOON_UTC, "Europe/Moscow") != first

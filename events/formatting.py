"""Times as people read them: in the zone of the event's municipality, with the zone named.

One place for pages, e-mails and PDFs, so that «15:00» means the same everywhere.
"""

import functools
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone, translation

# Russian zones by the city people know them by; others fall back to the IANA city.
ZONE_CITIES = {
    "Europe/Kaliningrad": "Калининград",
    "Europe/Moscow": "Москва",
    "Europe/Simferopol": "Симферополь",
    "Europe/Kirov": "Киров",
    "Europe/Volgograd": "Волгоград",
    "Europe/Astrakhan": "Астрахань",
    "Europe/Saratov": "Саратов",
    "Europe/Ulyanovsk": "Ульяновск",
    "Europe/Samara": "Самара",
    "Asia/Yekaterinburg": "Екатеринбург",
    "Asia/Omsk": "Омск",
    "Asia/Novosibirsk": "Новосибирск",
    "Asia/Barnaul": "Барнаул",
    "Asia/Tomsk": "Томск",
    "Asia/Novokuznetsk": "Новокузнецк",
    "Asia/Krasnoyarsk": "Красноярск",
    "Asia/Irkutsk": "Иркутск",
    "Asia/Chita": "Чита",
    "Asia/Yakutsk": "Якутск",
    "Asia/Khandyga": "Хандыга",
    "Asia/Vladivostok": "Владивосток",
    "Asia/Ust-Nera": "Усть-Нера",
    "Asia/Magadan": "Магадан",
    "Asia/Sakhalin": "Сахалин",
    "Asia/Srednekolymsk": "Среднеколымск",
    "Asia/Kamchatka": "Камчатка",
    "Asia/Anadyr": "Анадырь",
    "UTC": "UTC",
}


def date_format(value, format_string):
    # Month names follow the service's language, not the browser's: a page, a mail and a PDF
    # of one event read the same, next to the Russian city of the zone.
    if translation.get_language() == settings.LANGUAGE_CODE:  # a feed formats hundreds
        return formats.date_format(value, format_string)
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(value, format_string)


def _zone(zone):
    return zoneinfo.ZoneInfo(zone) if isinstance(zone, str) else zone


def utc_offset(moment):
    """«UTC+10», «UTC+5:30», «UTC−1» for an aware local time (the offset of that very day)."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone, moment):
    """«Владивосток, UTC+10»: the city of the zone and its offset at that moment."""
    zone = _zone(zone)
    key = getattr(zone, "key", str(zone))
    city = ZONE_CITIES.get(key) or key.rsplit("/", 1)[-1].replace("_", " ")
    offset = utc_offset(timezone.localtime(moment, zone))
    return offset if city == "UTC" else f"{city}, {offset}"


# The two texts every letter's snapshot carries are remembered (lru_cache): they depend only on
# the instants and the zone (the language is the service's, see date_format), and a surge of
# registrations for one seminar formats the same start a few hundred times.
@functools.lru_cache(maxsize=4096)
def format_when(moment, zone):
    """«12 декабря 2026, 15:00 (Владивосток, UTC+10)»."""
    local = timezone.localtime(moment, _zone(zone))
    return f"{date_format(local, 'j E Y, H:i')} ({zone_label(zone, moment)})"


@functools.lru_cache(maxsize=4096)
def format_span(starts_at, ends_at, zone):
    """«12 декабря 2026, 15:00–17:00 (Владивосток, UTC+10)»; both dates when days differ."""
    zone = _zone(zone)
    start, end = timezone.localtime(starts_at, zone), timezone.localtime(ends_at, zone)
    if start.date() == end.date():
        text = f"{date_format(start, 'j E Y, H:i')}–{date_format(end, 'H:i')}"
    else:
        text = f"{date_format(start, 'j E Y, H:i')} – {date_format(end, 'j E Y, H:i')}"
    return f"{text} ({zone_label(zone, starts_at)})"


def format_span_short(starts_at, ends_at, zone):
    """«12 декабря, 15:00–17:00»: for a list under a month heading that names the zone once."""
    zone = _zone(zone)
    start, end = timezone.localtime(starts_at, zone), timezone.localtime(ends_at, zone)
    if start.date() == end.date():
        return f"{date_format(start, 'j E, H:i')}–{date_format(end, 'H:i')}"
    return f"{date_format(start, 'j E, H:i')} – {date_format(end, 'j E, H:i')}"


def format_date(moment, zone):
    """«12 декабря 2026» in the given zone."""
    return date_format(timezone.localtime(moment, _zone(zone)), "j E Y")


def month_label(moment, zone):
    """«Декабрь 2026»: the heading of a month in lists."""
    return date_format(timezone.localtime(moment, _zone(zone)), "F Y")

"""Errors the events services raise."""

from config.errors import Conflict, Forbidden, Invalid, NotFound

__all__ = ["Conflict", "Forbidden", "Invalid", "NotFound", "RegistrationClosed", "EventFull",
           "EventCancelled", "WrongCheckinCode", "MarkingClosed", "SeatsFree",
           "HasRegistrations"]


class RegistrationClosed(Conflict):
    code = "registration_closed"


class EventFull(Conflict):
    code = "event_full"


class EventCancelled(Conflict):
    code = "event_cancelled"


class WrongCheckinCode(Invalid):
    code = "wrong_checkin_code"


class MarkingClosed(Conflict):
    code = "marking_closed"


class SeatsFree(Conflict):
    code = "seats_free"


class HasRegistrations(Conflict):
    code = "has_registrations"

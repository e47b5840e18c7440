"""Errors the surveys services raise; the API maps each to its code and status."""

from config.errors import Conflict, Forbidden, Invalid, NotFound

__all__ = ["Conflict", "Forbidden", "Invalid", "NotFound", "RoundClosed", "RoundNotOpen",
           "QuestionnaireLocked", "InvalidAnswers", "AnonymousRound", "NotPairRound"]


class RoundClosed(Conflict):
    code = "round_closed"


class RoundNotOpen(Conflict):
    code = "round_not_open"


class QuestionnaireLocked(Conflict):
    """The version has answers: changing it would change what people answered."""

    code = "questionnaire_has_answers"


class InvalidAnswers(Invalid):
    """Some answers did not pass; ``details["errors"]`` maps question codes to messages."""

    code = "invalid_answers"

    @property
    def errors(self):
        return self.details.get("errors", {})


class AnonymousRound(Conflict):
    """A per-person view was asked of an anonymous round."""

    code = "anonymous_round"


class NotPairRound(Conflict):
    """The side-by-side view was asked of a round not aimed at mentoring pairs and groups."""

    code = "not_pair_round"

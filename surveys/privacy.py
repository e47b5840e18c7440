"""What surveys forget of a person (registered with participants.erasure)."""

from surveys.models import Answer


def forget_person(traces):
    """Answers stay for the totals; free texts lose any mention of the person by name."""
    answers = Answer.objects.filter(traces.matching("text"),
                                    response__round__municipality_id=traces.municipality_id)
    for answer in answers.only("text").iterator():
        text = traces.redact(answer.text)
        if text != answer.text:
            answer.text = text
            answer.save(update_fields=["text"])

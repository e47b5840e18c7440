"""What the portfolio forgets of a person (registered with participants.erasure).

Visits stay (their maps count in the pair's history) and name nobody once the person row is
anonymised. Portfolio records are the mentor's own: their titles lose any mention of the person;
the superuser's «Стереть» deletes them with their proof files.
"""

from django.db import transaction

from portfolio.models import Achievement


def forget_person(traces):
    records = Achievement.objects.filter(mentor_id=traces.person_id)
    if traces.erase:
        files = [(a.evidence_file.storage, a.evidence_file.name) for a in records
                 if a.evidence_file]
        records.delete()
        for storage, name in files:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        return
    for record in Achievement.objects.filter(traces.matching("title"),
                                             municipality_id=traces.municipality_id):
        record.title = traces.redact(record.title)
        record.save(update_fields=["title"])

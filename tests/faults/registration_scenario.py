"""Steps of the registration scenarios (a database restart, a web worker killed), run in a
subprocess on the scenario's own database.

    python -m tests.faults.registration_scenario setup N SEATS   {event_id, person_ids, token}
    python -m tests.faults.registration_scenario state           the registrations' state
"""

import datetime
import json
import sys

import django


def setup(count, capacity):
    from django.core.management import call_command
    from django.utils import timezone

    from events.models import Event
    from participants.models import Municipality, Person
    from participants.services import issue_api_token
    from tests.factories import EventFactory, make_user

    call_command("migrate", interactive=False, verbosity=0)
    municipality = Municipality.objects.create(name="Ханкайский муниципальный округ",
                                               time_zone="Asia/Vladivostok")
    curator = make_user("curator", role="Куратор", municipality=municipality)
    start = timezone.now() + datetime.timedelta(days=3)
    event = EventFactory(municipality=municipality, capacity=capacity, starts_at=start,
                         ends_at=start + datetime.timedelta(hours=2),
                         status=Event.Status.PLANNED)
    people = [Person(municipality=municipality, last_name=f"Учитель{n}", first_name="Анна",
                     email=f"t{n}@school.example") for n in range(count)]
    for person in people:
        person.refresh_search_text()
    people = Person.objects.bulk_create(people)
    _token, raw = issue_api_token(curator, name="нагрузка")
    print(json.dumps({"event_id": event.pk, "person_ids": [p.pk for p in people],
                      "token": raw}))


def state():
    from django.db.models import Count

    from events.models import Event, Registration
    from notifications.models import Notification

    event = Event.objects.get()
    registrations = Registration.objects.filter(event=event)
    statuses = dict(registrations.values_list("status").annotate(n=Count("id")).order_by())
    people = list(registrations.values_list("person_id", flat=True))
    # Half-written: a registration without the letter its transaction writes, or a letter
    # about a registration that is not there.
    letters = list(Notification.objects.filter(kind__startswith="registration_")
                   .values_list("recipient_id", flat=True))
    told = set(letters)
    print(json.dumps({"capacity": event.capacity, "statuses": statuses, "people": people,
                      "without_letter": len(set(people) - told),
                      "letter_without_registration": len(told - set(people)),
                      "doubled_letters": len(letters) - len(told)}))


def main(argv):
    django.setup()
    if argv[1] == "setup":
        setup(int(argv[2]), int(argv[3]))
    elif argv[1] == "state":
        state()


if __name__ == "__main__":
    main(sys.argv)

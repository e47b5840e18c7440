"""Steps of the qcluster test that run in a subprocess on the test's own database.

    python -m tests.notifications.cluster_scenario setup N   migrate, N people, N messages
    python -m tests.notifications.cluster_scenario kick      ask the cluster to deliver
    python -m tests.notifications.cluster_scenario recover   ask the cluster to sweep
    python -m tests.notifications.cluster_scenario status    print {status: count} as JSON
    python -m tests.notifications.cluster_scenario holders   print the claims of rows sending
    python -m tests.notifications.cluster_scenario more N P  N more letters, keys prefixed P
    python -m tests.notifications.cluster_scenario waiting   count letters waiting out an outage
"""

import json
import sys

import django


def setup(count):
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    write(count, prefix="")


def write(count, *, prefix):
    """`count` new people and a letter due now to each; keys and addresses carry `prefix`."""
    from notifications.services import Message, enqueue
    from participants.models import Municipality, Person

    municipality, _ = Municipality.objects.get_or_create(name="Ханкайский муниципальный округ",
                                                         time_zone="Asia/Vladivostok")
    people = [Person(municipality=municipality, last_name=f"Учитель{n}", first_name="Анна",
                     email=f"teacher{prefix}{n}@school.example") for n in range(count)]
    for person in people:
        person.refresh_search_text()
    people = Person.objects.bulk_create(people)
    # enqueue() starts one delivery task after its commit, as the services' callers do.
    enqueue([Message(recipient_id=person.pk, kind="event_reminder", template="test_notice",
                     dedup_key=f"cluster:{prefix}{person.pk}",
                     context={"title": "Современный урок"})
             for person in people])


def main(argv):
    django.setup()
    from django.db.models import Count
    from django_q.tasks import async_task

    from notifications.models import Notification

    command = argv[1]
    if command == "setup":
        setup(int(argv[2]))
    elif command == "kick":
        async_task("notifications.tasks.deliver_due")
    elif command == "recover":
        async_task("notifications.tasks.recover_stuck")
    elif command == "status":
        counts = Notification.objects.values("status").annotate(n=Count("id"))
        print(json.dumps({row["status"]: row["n"] for row in counts}))
    elif command == "more":
        write(int(argv[2]), prefix=argv[3])
    elif command == "waiting":
        from notifications.delivery import SERVER_DOWN

        print(Notification.objects.filter(status="pending",
                                          last_error__startswith=SERVER_DOWN).count())
    elif command == "holders":
        print(json.dumps(sorted(set(Notification.objects.filter(status="sending")
                                    .values_list("claimed_by", flat=True)))))


if __name__ == "__main__":
    main(sys.argv)

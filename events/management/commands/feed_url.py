"""Print a person's personal calendar feed URL; `--revoke` issues a new one."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from events import services
from participants.models import Person


class Command(BaseCommand):
    help = "Ссылка на личный календарь участника (по e-mail); --revoke выдаёт новую."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--municipality", help="название муниципалитета, если e-mail "
                                                   "встречается в нескольких")
        parser.add_argument("--revoke", action="store_true",
                            help="отозвать прежнюю ссылку и выдать новую")

    def handle(self, *args, email, municipality=None, revoke=False, **options):
        person = self._person(email, municipality)
        feed = services.revoke_feed(person) if revoke else services.feed_for(person)
        path = reverse("calendar:person", kwargs={"token": feed.token})
        self.stdout.write(f"{settings.SITE_URL}{path}")

    def _person(self, email, municipality):
        people = Person.objects.filter(email__iexact=email.strip()).select_related("municipality")
        if municipality:
            people = people.filter(municipality__name=municipality)
        people = list(people[:2])
        if not people:
            raise CommandError(_("Участник с e-mail %(email)s не найден.") % {"email": email})
        if len(people) > 1:
            raise CommandError(_("E-mail %(email)s есть в нескольких муниципалитетах; "
                                 "укажите --municipality.") % {"email": email})
        return people[0]

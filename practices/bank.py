"""The public bank's read side: what an anonymous visitor may see, and nothing more.

Every query starts from `Practice.objects.published()` (accepted at one level at least) and
reads the author's e-mail and phone only through `public_contacts`, which returns them when the
author agreed. A page reads a fixed number of queries whatever the size of the bank.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min

from participants.models import MentoringGroup, Municipality, Organisation, Topic
from practices.models import Level, Practice

PER_PAGE = 20
EMBED_SIZE = 10
FEED_SIZE = 50
# Only what the list shows: the long texts and the contacts stay in the database.
LIST_FIELDS = ("id", "title", "author_name", "published_at", "accepted_level", "form",
               "role_model", "organisation__name", "organisation__short_name", "topic__name")


@dataclass(frozen=True)
class Filters:
    text: str = ""
    topic: int | None = None
    role_model: str = ""
    form: str = ""
    level: str = ""
    school: int | None = None
    year: int | None = None

    @classmethod
    def from_query(cls, query):
        """Read the filters from a query string; what does not parse is ignored, never a 500."""
        def number(name):
            value = (query.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        def choice(name, choices):
            value = query.get(name) or ""
            return value if value in choices.values else ""

        return cls(text=" ".join((query.get("q") or "").split())[:200],
                   topic=number("topic"), school=number("school"), year=number("year"),
                   role_model=choice("role_model", MentoringGroup.RoleModel),
                   form=choice("form", MentoringGroup.Form), level=choice("level", Level))

    def apply(self, queryset):
        if self.text:
            queryset = queryset.search(self.text)
        if self.topic:
            queryset = queryset.filter(topic_id=self.topic)
        if self.school:
            queryset = queryset.filter(organisation_id=self.school)
        if self.role_model:
            queryset = queryset.filter(role_model=self.role_model)
        if self.form:
            queryset = queryset.filter(form=self.form)
        if self.level:
            # Levels are climbed in order: accepted at «региональный» was accepted at the others.
            queryset = queryset.filter(accepted_level__in=Level.at_least(self.level))
        if self.year and 1900 < self.year < 3000:
            queryset = queryset.filter(published_at__gte=_year_start(self.year),
                                       published_at__lt=_year_start(self.year + 1))
        return queryset


def _year_start(year):
    return datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)


def published(municipality):
    return Practice.objects.published().filter(municipality=municipality)


def practice_page(municipality, filters, page_number):
    """One page of the municipality's bank under the filters."""
    queryset = filters.apply(published(municipality)).order_by("-published_at", "-id")
    page = Paginator(queryset.values(*LIST_FIELDS), PER_PAGE).get_page(page_number)
    page.object_list = [{**row, "level_label": Level(row["accepted_level"]).label}
                        for row in page.object_list]
    return page


def filter_options(municipality):
    """The choices of the filter form: topics, schools and years that have published practices."""
    shown = published(municipality)
    # From the first to the last year of publication: SQLite truncates dates in Python, row by
    # row, so the distinct years of 2,000 practices would cost more than the rest of the page.
    span = shown.aggregate(first=Min("published_at"), last=Max("published_at"))
    years = (list(range(span["last"].year, span["first"].year - 1, -1))
             if span["first"] else [])
    return {
        "topics": list(Topic.objects.filter(pk__in=shown.values("topic_id"))
                       .values("id", "name")),
        "schools": list(Organisation.objects.filter(pk__in=shown.values("organisation_id"))
                        .values("id", "name", "short_name")),
        "years": years,
        "role_models": MentoringGroup.RoleModel.choices,
        "forms": MentoringGroup.Form.choices,
        "levels": Level.choices,
    }


def municipalities():
    """Municipalities with their number of published practices (for the bank's front page)."""
    return (Municipality.objects.filter(practices__accepted_level__gt="")
            .annotate(published=Count("practices")).order_by("name"))


def public_practice(pk):
    """A published practice with its card, materials and accepted levels, or None."""
    return (Practice.objects.published().filter(pk=pk)
            .select_related("municipality", "organisation", "topic")
            .prefetch_related("materials").first())


def accepted_levels(practice):
    return list(practice.reviews.accepted().order_by("decided_at")
                .values("level", "decided_at"))


def public_contacts(practice):
    """The author's e-mail and phone for public pages: only with the author's consent."""
    if not practice.shows_contacts:
        return {"email": "", "phone": ""}
    return {"email": practice.author_email, "phone": practice.author_phone}


def latest(municipality, size):
    return list(published(municipality).select_related("organisation")
                .order_by("-published_at", "-id")[:size])

"""Published practices in bulk, for list tests and the benchmark (no service round trips)."""

import datetime

from django.utils import timezone

from practices.models import Practice, Review


def bulk_published(municipality, author, count, *, organisation=None, topic=None,
                   level="municipal", start=None):
    """`count` practices accepted at `level`, one a day back from `start`."""
    start = start or timezone.now()
    practices = []
    for n in range(count):
        practice = Practice(
            municipality=municipality, author=author, author_name=author.full_name,
            author_email=author.email, organisation=organisation or author.organisation,
            topic=topic, title=f"Практика № {n}: наставничество «учитель – учитель»",
            note="Пояснительная записка " * 20, content="Содержание " * 20,
            role_model="experienced_young", form="teacher_teacher", status="accepted",
            accepted_level=level, published_at=start - datetime.timedelta(days=n))
        practice.refresh_search_text()
        practices.append(practice)
    created = Practice.objects.bulk_create(practices, batch_size=500)
    Review.objects.bulk_create([
        Review(practice=p, level=level, submitted_at=p.published_at, outcome="accepted",
               decided_at=p.published_at) for p in created], batch_size=500)
    return created

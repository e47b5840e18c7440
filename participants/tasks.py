"""django-q2 entry points of participants: thin wrappers over the operations."""

from participants import importing


def purge_import_batches():
    """Delete expired unapplied uploads and scrub applied ones (daily schedule)."""
    return importing.purge_batches()

"""django-q2 entry points of planning; thin wrappers around the services."""

from planning.themes import services


def summarise_closed_rounds():
    """Hourly: store the difficulty sums of closed rounds for the themes page."""
    return services.summarise_closed_rounds()

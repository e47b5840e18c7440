"""The mentor's portfolio: observation visits, projects and contests, and the points for them.

Its own app because it reads across the others (personal programs, events led, practices of the
bank, observation maps of the surveys app) for one mentor and for the payments commission; none
of the four core apps owns that, and nothing below imports it.
"""

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Портфолио наставника"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from participants.erasure import register
        from portfolio.privacy import forget_person

        register(forget_person)

"""A person's own data across the apps, as they see and download it («Мои данные»).

A read model over participants, events, notifications and surveys: it sits at the top of the
import chain and nothing imports it but the URLs. No models, so no app of its own.
"""

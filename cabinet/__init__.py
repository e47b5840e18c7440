"""«Мой кабинет»: one person's page across apps — registrations and attendance (events), the
questionnaires waiting for them (surveys) and their calendar link.

It reads from events and surveys, so it sits above both (surveys imports events); nothing
imports it. Like personal_data, it is a package of views, not an app with models.
"""

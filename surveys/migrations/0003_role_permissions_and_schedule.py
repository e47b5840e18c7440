"""Curators see the questionnaires and run rounds; a django-q2 sweep opens rounds on time.

Questionnaires are global templates: only a superuser changes them (a curator's change would
change every municipality's questionnaire). Curators see invitations of named rounds only
through the admin's own rules; responses and answers have no admin at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = {"questionnaire": "view", "question": "view", "round": "add change view",
           "invitation": "view"}
SWEEP = "Анкеты: открыть опросы, время которых пришло"


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("surveys")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Куратор")
    codenames = [f"{verb}_{model}" for model, verbs in CURATOR.items() for verb in verbs.split()]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="surveys",
                                                     codename__in=codenames))
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SWEEP,
        defaults={"func": "surveys.tasks.open_due_rounds", "schedule_type": "I", "minutes": 15,
                  "repeats": -1},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_questionnaire_templates"),
        ("participants", "0002_roles_topics_consent"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

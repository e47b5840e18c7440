"""The forms of work named in the school's documents; curators add more in the admin."""

from django.db import migrations

FORMS = [
    "семинар", "семинар-практикум", "мастер-класс", "открытый урок", "анализ урока",
    "коуч-сессия", "проектировочная сессия", "деловая игра", "тренинг", "вебинар",
    "круглый стол", "консультация", "практическая лаборатория", "фестиваль",
    "выставка-ярмарка педагогических идей", "педагогическая мастерская",
    "технология открытого пространства", "флеш-наставничество", "день открытых дверей",
    "выездной семинар", "педсовет", "конкурс практик", "конференция", "методическая мозаика",
]


def forwards(apps, schema_editor):
    EventForm = apps.get_model("events", "EventForm")
    for name in FORMS:
        EventForm.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

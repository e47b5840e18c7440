"""The shipped questionnaires' descriptions lose their own anonymity sentence.

The survey page and the invitation state anonymity from `is_anonymous`, so a description that
said it too made the person read it twice. Only the untouched shipped wordings are changed; a
description a curator has edited stays as it is.
"""

from django.db import migrations

REWORDED = {
    "Анкета анонимная: ответы хранятся без имени, а в отчёт попадают только обобщённые данные. "
    "Ваша оценка поможет сделать следующие встречи полезнее.":
        "Ваша оценка поможет сделать следующие встречи полезнее.",
    "Мониторинг удовлетворённости наставников программой. Анкета анонимная: ответы хранятся без "
    "имени, в отчёт попадают только обобщённые данные.":
        "Мониторинг удовлетворённости наставников программой.",
    "Мониторинг удовлетворённости наставляемых программой. Анкета анонимная: ответы хранятся без "
    "имени, в отчёт попадают только обобщённые данные.":
        "Мониторинг удовлетворённости наставляемых программой.",
}


def forwards(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    for old, new in REWORDED.items():
        Questionnaire.objects.filter(description=old).update(description=new)


def backwards(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    for old, new in REWORDED.items():
        Questionnaire.objects.filter(description=new).update(description=old)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_anonymity_by_construction")]

    operations = [migrations.RunPython(forwards, backwards)]

"""The observation map every municipality starts from (seed 000, Khankaysky: «карта наблюдений»,
«посещение и взаимопосещение уроков», «анализ», «самоанализ», «консультирование»).

Each criterion is a phrase of the seeds: the themes of the school's tracks («Анализ современного
урока», «Функциональная грамотность…», «Идеи системно-деятельностного подхода…», «Планируемые
результаты как основа системы оценки…») and what its mentors can help with («Технология групповой
работы», «Проектирование современного урока», «Использование ЦОР»). A shared template: each
municipality works on its own copy, which its curator edits (new versions once it has answers).
"""

import uuid

from django.db import migrations

FAMILY = uuid.UUID("5b1f0d3e-8a52-4c1e-9d7a-0c4f6e2b9a71")
SHOWN = ["не наблюдается", "наблюдается слабо", "наблюдается частично", "наблюдается в основном",
         "наблюдается в полной мере"]

QUESTIONS = [
    ("design", "Урок спроектирован как современный урок: цели связаны с планируемыми "
               "результатами обновлённых ФГОС", "Проектирование современного урока."),
    ("activity_approach", "Используются технологии системно-деятельностного подхода", ""),
    ("group_work", "Используется технология групповой работы", ""),
    ("functional_literacy", "Задания направлены на формирование функциональной грамотности "
                            "учеников", ""),
    ("digital_resources", "Используются цифровые образовательные ресурсы (ЦОР)", ""),
    ("assessment", "Оценивается достижение планируемых результатов (методы и инструменты "
                   "оценивания)", ""),
    ("creativity", "Развиваются творческие способности учеников", ""),
    ("self_analysis", "Учитель проводит самоанализ урока", "Анализ и самоанализ после урока."),
]


def create(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Question = apps.get_model("surveys", "Question")
    if Questionnaire.objects.filter(family=FAMILY).exists():
        return
    questionnaire = Questionnaire.objects.create(
        family=FAMILY, version=1, is_current=True, title="Карта наблюдений урока",
        purpose="observation", is_anonymous=False,
        description="Заполняет наставник, посетив урок или внеклассное занятие наставляемого "
                    "(посещение и взаимопосещение уроков).")
    position = 0
    for position, (code, text, hint) in enumerate(QUESTIONS, start=1):
        Question.objects.create(questionnaire=questionnaire, position=position, code=code,
                                kind="scale5", text=text, help_text=hint, required=True,
                                scale_labels=SHOWN)
    Question.objects.create(questionnaire=questionnaire, position=position + 1,
                            code="difficulties", kind="text", required=False,
                            text="Выявленные затруднения (профессиональные дефициты)")
    Question.objects.create(questionnaire=questionnaire, position=position + 2,
                            code="recommendations", kind="text", required=True,
                            text="Рекомендации наставника (консультирование)")


def remove(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Questionnaire.objects.filter(family=FAMILY, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0001_initial"),
        ("surveys", "0007_questionnaire_municipality"),
    ]

    operations = [migrations.RunPython(create, remove)]

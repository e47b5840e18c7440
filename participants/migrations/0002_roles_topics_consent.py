"""Roles as groups with their permissions, the topic vocabulary from the seeds, consent text v1."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

TOPICS = [
    "Наставничество: подходы, механизмы и практики",
    "Проектирование современного урока",
    "Анализ современного урока",
    "Функциональная грамотность",
    "Технология групповой работы",
    "Цифровые образовательные ресурсы",
    "Системно-деятельностный подход",
    "Развитие творческих способностей учеников",
    "Оценка планируемых результатов",
    "Методическое сопровождение учителя",
    "Работа с родителями",
    "Дисциплина и мотивация учащихся",
    "Работа с детьми с ОВЗ",
    "Внеурочная деятельность",
    "Обновлённые ФГОС",
    "Профилактика профессионального выгорания",
]

CONSENT_V1 = (
    "Я даю согласие управлению образования и оператору сервиса «Школа наставничества» на "
    "обработку моих персональных данных (фамилия, имя, отчество, место работы, должность, "
    "преподаваемый предмет, квалификационная категория, педагогический стаж, адрес электронной "
    "почты, номер телефона) в целях организации муниципальной школы наставничества: учёта "
    "участников, регистрации на мероприятия, учёта посещаемости, проведения анкетирования и "
    "подготовки отчётов, в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ "
    "«О персональных данных». Согласие действует до его отзыва; отозвать его можно письменным "
    "заявлением или через куратора."
)

VIEW_ONLY = ["municipality", "organisation", "topic", "person", "mentorprofile", "menteerecord",
             "mentoringgroup", "groupmembership", "personalprogram", "planitem"]
CURATOR_MODELS = VIEW_ONLY + ["consent", "importbatch"]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="participants")

    curator, _ = Group.objects.get_or_create(name="Куратор")
    curator.permissions.set(
        perms.filter(content_type__model__in=CURATOR_MODELS).exclude(
            codename__in=["add_municipality", "change_municipality", "delete_municipality",
                          "add_topic", "change_topic", "delete_topic"]
        )
    )
    mentor, _ = Group.objects.get_or_create(name="Наставник")
    mentor.permissions.set(perms.filter(codename__in=[f"view_{m}" for m in VIEW_ONLY]))
    Group.objects.get_or_create(name="Участник")

    Topic = apps.get_model("participants", "Topic")
    for position, name in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"position": position})

    ConsentText = apps.get_model("participants", "ConsentText")
    ConsentText.objects.get_or_create(
        version="1", defaults={"text": CONSENT_V1, "effective_from": datetime.date(2026, 1, 1)}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

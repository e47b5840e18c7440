"""Demo facts the curator keeps for the indicators of «Ханкайский муниципальный округ»: schools'
staff counts (286 teachers, as in seed 003), which schools adopted the target model and when,
and practices presented at each level. Dated relative to today, so the current school year and
the one before both have figures; a second run adds nothing.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from indicators.models import ModelAdoption, PracticePresentation, StaffCount
from participants import demo_data as data
from participants.models import YOUNG_SPECIALIST_YEARS, Municipality

# Schools (by their place in demo_data.SCHOOLS) that adopted the model, and how many days
# before today: the first wave a year and more ago, then one by one this school year.
ADOPTIONS = [(0, 460, "Приказ № 112-о"), (1, 460, "Приказ № 87"), (2, 430, "Приказ № 54"),
             (3, 400, "Приказ № 31"), (5, 380, "Приказ № 19"), (4, 75, "Приказ № 102"),
             (6, 60, "Приказ № 77"), (8, 40, "Приказ № 45"), (12, 20, "Приказ № 23")]
# (school, practice, level, days before today)
PRACTICES = [
    (0, "«Ракушка добра»: наставник и молодой учитель начальных классов", "municipal", 420),
    (1, "Педагогическая мастерская «Современный урок»", "school", 400),
    (1, "Педагогическая мастерская «Современный урок»", "municipal", 70),
    (0, "«Ракушка добра»: наставник и молодой учитель начальных классов", "regional", 45),
    (3, "Клуб молодого педагога «Шаги в профессию»", "municipal", 50),
    (2, "«За сердцем Данко»: сетевое наставничество сельских школ", "regional", 30),
    (2, "«За сердцем Данко»: сетевое наставничество сельских школ", "federal", 12),
    (5, "Групповое наставничество по функциональной грамотности", "school", 25),
    (4, "Открытые уроки в паре «учитель — учитель»", "school", 15),
]


def _staff(municipality, schools, today):
    """Each school's teachers as in the plan, its young ones at least as many as the demo has."""
    young = dict(municipality.organisations.annotate(n=Count(
        "people", filter=Q(people__experience_years__lt=YOUNG_SPECIALIST_YEARS)))
        .values_list("pk", "n"))
    made = 0
    for short_name, _name, size in data.SCHOOLS:
        school = schools.get(short_name)
        if school is None:
            continue
        _row, created = StaffCount.objects.get_or_create(organisation=school, defaults={
            "teachers": size, "young_teachers": min(size, max(young.get(school.pk, 0),
                                                              size // 12)),
            "counted_on": today.replace(month=9, day=1) if today.month >= 9
            else today.replace(year=today.year - 1, month=9, day=1)})
        made += created
    return made


def load(stdout=None):
    municipality = Municipality.objects.filter(name=data.MUNICIPALITY).first()
    if municipality is None:
        return
    today = timezone.localdate(timezone=municipality.zone)
    order = [short_name for short_name, _name, _size in data.SCHOOLS]
    schools = {o.short_name: o for o in municipality.organisations.all()}

    def school(index):
        return schools.get(order[index])

    with transaction.atomic():
        staff = _staff(municipality, schools, today)
        adopted = 0
        for index, days, document in ADOPTIONS:
            if school(index) is not None:
                adopted += ModelAdoption.objects.get_or_create(
                    organisation=school(index),
                    defaults={"adopted_on": today - datetime.timedelta(days=days),
                              "document": document})[1]
        presented = 0
        for index, title, level, days in PRACTICES:
            if school(index) is None:
                continue
            presented += PracticePresentation.objects.get_or_create(
                organisation=school(index), title=title, level=level,
                defaults={"presented_on": today - datetime.timedelta(days=days)})[1]
    if stdout is not None:
        stdout.write(f"Показатели: численность педагогов школ — {staff}, внедрений целевой "
                     f"модели — {adopted}, представлений практик — {presented} (новых).")

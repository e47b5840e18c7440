"""The demo gives the indicators page figures to show: staff counts, adoptions, practices."""

import datetime

from django.utils import timezone

from indicators import demo as indicators_demo
from indicators.builder import Period, indicator_report
from indicators.models import ModelAdoption, PracticePresentation, StaffCount
from participants import demo as participants_demo


def test_demo_fills_the_indicators_of_this_year_and_the_one_before(db):
    municipality = participants_demo.load().municipality
    indicators_demo.load()
    counts = (StaffCount.objects.count(), ModelAdoption.objects.count(),
              PracticePresentation.objects.count())
    indicators_demo.load()  # a second run adds nothing
    assert (StaffCount.objects.count(), ModelAdoption.objects.count(),
            PracticePresentation.objects.count()) == counts

    # The demo dates things relative to today: the year up to today holds the second wave.
    today = timezone.localdate(timezone=municipality.zone)
    report = indicator_report(municipality, Period(today - datetime.timedelta(days=364), today))
    adopted = report.indicator("schools_adopted")
    assert adopted.denominator == 18 and 5 <= adopted.numerator < 18
    assert adopted.previous_numerator < adopted.numerator  # the model spreads
    assert report.indicator("teachers_in_registry").denominator == 286  # seed 003's teachers
    assert report.indicator("young_supported").denominator >= 10
    assert report.indicator("schools_presented").numerator >= 1
    assert municipality.department_name == (
        "Управление образования администрации Ханкайского муниципального округа")

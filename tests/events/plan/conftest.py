import datetime

import pytest

from participants import roles
from tests.events.plan import spassky
from tests.factories import MunicipalityFactory, PersonFactory, ProgramFactory, make_user


@pytest.fixture
def spassky_municipality(db):
    return MunicipalityFactory(name="Спасский муниципальный район", time_zone="Asia/Vladivostok")


@pytest.fixture
def spassky_program(spassky_municipality):
    return ProgramFactory(municipality=spassky_municipality, name="Комплексный план 2022–2023",
                          start_date=datetime.date(2022, 8, 1),
                          end_date=datetime.date(2023, 6, 30))


@pytest.fixture
def spassky_people(spassky_municipality):
    return {last: PersonFactory(municipality=spassky_municipality, last_name=last,
                                first_name=first, patronymic=patronymic)
            for last, first, patronymic in spassky.PEOPLE}


@pytest.fixture
def spassky_curator(spassky_municipality):
    return make_user("spassky-curator", role=roles.CURATOR, municipality=spassky_municipality)

import pytest

from events import fragments
from participants import roles
from tests.factories import MunicipalityFactory, make_user


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Ханкайский муниципальный округ", time_zone="Asia/Vladivostok")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Городской округ Большой Камень", time_zone="Asia/Vladivostok")


@pytest.fixture
def curator(municipality):
    return make_user("curator", role=roles.CURATOR, municipality=municipality)


@pytest.fixture
def other_curator(other_municipality):
    return make_user("other-curator", role=roles.CURATOR, municipality=other_municipality)


@pytest.fixture
def mentor_user(municipality):
    return make_user("mentor", role=roles.MENTOR, municipality=municipality)


@pytest.fixture
def superuser(db):
    return make_user("admin", superuser=True)


@pytest.fixture(autouse=True)
def _no_feed_fragments_from_another_test():
    """Rolled-back tests reuse primary keys; a frozen clock could then reuse a fragment's key."""
    fragments.clear()

import pytest
from django.core.cache import cache
from django.test import Client

from events.certificates import services
from tests.events.certificates.conftest import attend
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_brakes():
    cache.clear()


@pytest.fixture
def certificate(maria, held, track):
    attend(maria, held)
    return services.issue(maria, track=track)


def test_genuine_certificate_shows_what_the_paper_shows(certificate):
    response = Client().get(f"/certificates/{certificate.code}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Сертификат подлинный" in page
    assert "Иванова Мария Петровна" in page
    assert "7,5 академического часа" in page
    assert certificate.printed_code in page
    assert "maria@example.org" not in page  # nothing the paper does not show
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_code_as_printed_in_lower_case_is_accepted(certificate):
    response = Client().get(f"/certificates/{certificate.printed_code.lower()}/")

    assert response.status_code == 200


def test_revoked_certificate_says_so(certificate):
    services.revoke(certificate, reason="ошибка")

    page = Client().get(f"/certificates/{certificate.code}/").content.decode()

    assert "Сертификат отозван и недействителен" in page
    assert "Сертификат подлинный" not in page


@pytest.mark.parametrize("code", ["0" * 26, "12345", "%00", "x" * 5000])
def test_unknown_code_is_404(certificate, code):
    assert Client().get(f"/certificates/{code}/").status_code == 404


def test_guessing_is_braked_per_client(certificate, settings):
    client = Client()
    for _ in range(30):
        client.get("/certificates/" + "0" * 26 + "/")

    response = client.get(f"/certificates/{certificate.code}/")

    assert response.status_code == 429


def test_holder_downloads_own_certificate_and_no_one_elses(certificate, maria, municipality):
    maria.user = make_user("maria")
    maria.save()
    owner, stranger = Client(), Client()
    owner.force_login(maria.user)
    stranger.force_login(make_user("stranger", municipality=municipality))

    mine = owner.get(f"/cabinet/certificates/{certificate.pk}.pdf")
    theirs = stranger.get(f"/cabinet/certificates/{certificate.pk}.pdf")

    assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
    assert theirs.status_code == 404


def test_cabinet_lists_valid_certificates(certificate, maria):
    maria.user = make_user("maria")
    maria.save()
    client = Client()
    client.force_login(maria.user)

    page = client.get("/cabinet/").content.decode()

    assert f"/cabinet/certificates/{certificate.pk}.pdf" in page

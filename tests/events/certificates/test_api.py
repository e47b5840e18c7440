import io
import zipfile

import pytest
from django.test import Client

from events.certificates import services
from events.certificates.models import Certificate
from tests.events.certificates.conftest import attend
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(API + url, data, content_type="application/json")


def test_curator_issues_one_and_reads_it_back(curator, maria, held, track):
    attend(maria, held)
    client = signed_in(curator)

    response = post(client, "/certificates", {"person_id": maria.pk, "track_id": track.pk})

    assert response.status_code == 201
    body = response.json()
    assert body["hours"] == "7.5" and body["holder_name"] == "Иванова Мария Петровна"
    assert client.get(f"{API}/certificates/{body['id']}").json()["code"] == body["code"]
    pdf = client.get(f"{API}/certificates/{body['id']}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_batch_as_zip(curator, municipality, held, track):
    for name in ("Астахова", "Борисов"):
        attend(PersonFactory(municipality=municipality, last_name=name), held)

    response = post(signed_in(curator), "/certificates/batch.zip",
                    {"track_id": track.pk, "min_share": 0.75})

    assert response.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 2


def test_another_municipalitys_curator_sees_nothing(other_curator, maria, held, track):
    attend(maria, held)
    certificate = services.issue(maria, track=track)
    client = signed_in(other_curator)

    assert client.get(f"{API}/certificates/{certificate.pk}").status_code == 404
    assert client.get(f"{API}/certificates/{certificate.pk}/pdf").status_code == 404
    assert client.get(f"{API}/certificates").json()["items"] == []
    revoke = post(client, f"/certificates/{certificate.pk}/revoke", {"reason": "x"})
    assert revoke.status_code == 404 and revoke.json()["code"] == "not_found"
    issue = post(client, "/certificates/batch", {"track_id": track.pk})
    assert issue.status_code == 422 and issue.json()["details"]["field"] == "track_id"
    assert not Certificate.objects.get(pk=certificate.pk).is_revoked


def test_revoke_with_hostile_reason(curator, maria, held, track):
    attend(maria, held)
    certificate = services.issue(maria, track=track)

    response = post(signed_in(curator), f"/certificates/{certificate.pk}/revoke",
                    {"reason": "ошибка\x00\r\n=HYPERLINK(1)"})

    assert response.status_code == 200 and response.json()["revoked_at"]
    assert "\x00" not in Certificate.objects.get(pk=certificate.pk).revoked_reason


def test_errors_in_common_shape(curator, maria, held, track):
    client = signed_in(curator)

    nothing = post(client, "/certificates", {"person_id": maria.pk, "track_id": track.pk})
    two = post(client, "/certificates", {"person_id": maria.pk, "track_id": track.pk,
                                         "event_id": held[0].pk})

    assert nothing.status_code == 422 and nothing.json()["code"] == "nothing_attended"
    assert two.status_code == 422 and set(two.json()) == {"code", "message", "details"}


def test_mentor_cannot_issue(mentor_user, maria, held, track):
    attend(maria, held)

    response = post(signed_in(mentor_user), "/certificates",
                    {"person_id": maria.pk, "track_id": track.pk})

    assert response.status_code == 403


@pytest.mark.parametrize("size", [1, 3])
def test_list_takes_the_same_queries_at_any_size(size, curator, municipality, held, track,
                                                 django_assert_num_queries):
    for n in range(size):
        attend(PersonFactory(municipality=municipality, last_name=f"Астахова{n}"), held)
    services.issue_batch(track=track)
    client = signed_in(curator)
    client.get(f"{API}/certificates")  # the session and the user's roles are cached after this

    with django_assert_num_queries(QUERIES_PER_LIST):
        response = client.get(f"{API}/certificates")

    assert response.json()["count"] == size


QUERIES_PER_LIST = 6  # session, user, person (municipality), roles, count, page

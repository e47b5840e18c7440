"""REST endpoints of certificates: list, issue one, issue a batch (JSON, PDF or ZIP), revoke.

Staff only; every lookup is scoped to the user's municipality, so another municipality's
certificate, person, event or track is a 404 (or a 422 naming the field in a body), never a
403 that confirms it exists. Writes call events.certificates.services, which decides who may.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from config.api_types import Id, InSchema, Line, PathId, QueryId
from config.downloads import PDF, ZIP, attachment
from config.errors import Forbidden
from events.api_lookups import pick
from events.certificates import services
from events.certificates.models import Certificate
from events.certificates.pdf import certificates_pdf, certificates_zip, filename
from events.models import Event, Program, Track
from participants import roles
from participants.models import Person

router = Router(tags=["Сертификаты"])


class CertificateOut(Schema):
    id: int
    number: int
    code: str
    verify_url: str
    person_id: int
    event_id: int | None
    track_id: int | None
    program_id: int | None
    holder_name: str
    activity: str
    period: str
    hours: Decimal
    events_attended: int
    issuer: str
    curator_name: str
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None
    revoked_reason: str


class CertificateFilters(InSchema):
    person_id: QueryId | None = None
    event_id: QueryId | None = None
    track_id: QueryId | None = None
    program_id: QueryId | None = None


class CertificateSubjectIn(InSchema):
    event_id: Id | None = None
    track_id: Id | None = None
    program_id: Id | None = None


class CertificateIssueIn(CertificateSubjectIn):
    person_id: Id


class CertificateBatchIn(CertificateSubjectIn):
    min_share: float = Field(0.75, gt=0, le=1, description="доля посещённых мероприятий")


class CertificateRevokeIn(InSchema):
    reason: Line = Field("", max_length=500)


def _staff(user):
    if not roles.can_view(user):
        raise Forbidden(_("Доступно куратору и наставникам муниципалитета."))
    return user


def _certificates(user):
    return roles.scope(Certificate.objects.select_related("municipality"), _staff(user))


def _subject(user, data):
    return {
        "event": pick(roles.scope(Event.objects.select_related("municipality", "form",
                                                                "program"), user),
                       data.event_id, "event_id"),
        "track": pick(roles.scope(Track.objects.select_related("program__municipality"),
                                   user, "program__municipality"), data.track_id, "track_id"),
        "program": pick(roles.scope(Program.objects.select_related("municipality"), user),
                         data.program_id, "program_id"),
    }


@router.get("/certificates", response=list[CertificateOut], summary="Сертификаты")
@paginate
def list_certificates(request, filters: Query[CertificateFilters]):
    certificates = _certificates(request.auth)
    for field in ("person_id", "event_id", "track_id", "program_id"):
        value = getattr(filters, field)
        if value is not None:
            certificates = certificates.filter(**{field: value})
    return certificates


@router.post("/certificates", response={201: CertificateOut}, summary="Выдать сертификат")
def issue_certificate(request, payload: CertificateIssueIn):
    user = _staff(request.auth)
    person = pick(roles.scope(Person.objects.all(), user), payload.person_id, "person_id")
    return Status(201, services.issue(person, by=user, **_subject(user, payload)))


def _batch(request, payload):
    user = _staff(request.auth)
    return services.issue_batch(by=user, min_share=Decimal(str(payload.min_share)),
                                **_subject(user, payload))


@router.post("/certificates/batch", response=list[CertificateOut],
             summary="Выдать сертификаты всем, кто выполнил условие")
def issue_batch(request, payload: CertificateBatchIn):
    """Everyone who attended at least `min_share` of the events held: new and existing."""
    return _batch(request, payload)


@router.post("/certificates/batch.{fmt}", summary="Выдать сертификаты и получить файлом")
def issue_batch_file(request, fmt: Literal["pdf", "zip"], payload: CertificateBatchIn):
    """The same batch as one PDF (a page each) or a ZIP (a PDF each)."""
    certificates = _batch(request, payload)
    if fmt == "pdf":
        return attachment(certificates_pdf(certificates), PDF, "certificates.pdf")
    return attachment(certificates_zip(certificates), ZIP, "certificates.zip")


@router.get("/certificates/{certificate_id}", response=CertificateOut, summary="Сертификат")
def get_certificate(request, certificate_id: PathId):
    return get_object_or_404(_certificates(request.auth), pk=certificate_id)


@router.get("/certificates/{certificate_id}/pdf", summary="Сертификат в PDF")
def certificate_pdf(request, certificate_id: PathId):
    certificate = get_object_or_404(_certificates(request.auth), pk=certificate_id)
    return attachment(certificates_pdf([certificate]), PDF, filename(certificate))


@router.post("/certificates/{certificate_id}/revoke", response=CertificateOut,
             summary="Отозвать сертификат")
def revoke_certificate(request, certificate_id: PathId, payload: CertificateRevokeIn):
    certificate = get_object_or_404(_certificates(request.auth), pk=certificate_id)
    return services.revoke(certificate, reason=payload.reason, by=request.auth)

"""REST endpoints of the plan: items (CRUD, execution status with evidence) and plan imports
(upload → preview → apply).

Lookups go through querysets scoped like the rest of the events API, so another
municipality's item or upload is a 404. Writes call events/plan/services.py and
events/plan/importing.py, which decide who may write.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from config.api_types import PathId, QueryId
from events.api_lookups import pick, pick_all, require_staff, visible
from events.errors import Invalid
from events.models import Event, EventForm, Program, Track
from events.plan import importing, services
from events.plan.models import PlanImport, PlanItem, PlanResponsible
from events.plan.schemas import (
    PlanImportOut,
    PlanItemFilters,
    PlanItemIn,
    PlanItemOut,
    PlanItemPatch,
    PlanItemStatusIn,
)
from participants import roles
from participants.models import Organisation, Person

router = Router(tags=["План мероприятий"])


def _items(user):
    return (visible(PlanItem.objects.all(), user, "program__municipality")
            .select_related("program__municipality")
            .prefetch_related(
                Prefetch("responsibles", queryset=PlanResponsible.objects.select_related(
                    "person", "organisation")),
                Prefetch("events", queryset=Event.objects.only("pk")))
            .in_order())


def _related(data, program):
    """Ids of a body → objects of the program's municipality; an id out of reach is a 422."""
    municipality_id = program.municipality_id
    fields = {}
    if "track_id" in data:
        fields["track"] = pick(Track.objects.filter(program=program), data.pop("track_id"),
                                "track_id")
    if "form_id" in data:
        fields["form"] = pick(EventForm.objects.usable_in(municipality_id), data.pop("form_id"),
                              "form_id")
    if data.get("event_ids") is not None:
        fields["events"] = pick_all(Event.objects.filter(municipality_id=municipality_id),
                                     data.pop("event_ids"), "event_ids")
    data.pop("event_ids", None)
    if data.get("responsible") is not None:
        fields["responsible"] = [_responsible(entry, municipality_id)
                                 for entry in data.pop("responsible")]
    data.pop("responsible", None)
    return {**data, **fields}


def _responsible(entry, municipality_id):
    if sum(value not in (None, "") for value in entry.values()) != 1:
        raise Invalid(_("Ответственный — это person_id, organisation_id или text, что-то одно."),
                      details={"field": "responsible"})
    person = pick(Person.objects.filter(municipality_id=municipality_id),
                   entry.get("person_id"), "responsible.person_id")
    organisation = pick(Organisation.objects.filter(municipality_id=municipality_id),
                         entry.get("organisation_id"), "responsible.organisation_id")
    return services.Responsible(person=person, organisation=organisation,
                                text=entry.get("text") or "")


# --- items ---------------------------------------------------------------------------------

@router.get("/plan-items", response=list[PlanItemOut], summary="Пункты плана")
@paginate
def list_items(request, filters: Query[PlanItemFilters]):
    items = _items(request.auth)
    for name in ("program_id", "track_id", "status"):
        value = getattr(filters, name)
        if value is not None:
            items = items.filter(**{name: value})
    return items


@router.post("/plan-items", response={201: PlanItemOut}, summary="Добавить пункт плана")
def create_item(request, payload: PlanItemIn):
    user, data = request.auth, payload.dict()
    program = pick(visible(Program.objects.select_related("municipality"), user),
                    data.pop("program_id"), "program_id")
    item = services.create_item(program, by=user, **_related(data, program))
    return Status(201, _items(user).get(pk=item.pk))


@router.get("/plan-items/{item_id}", response=PlanItemOut, summary="Пункт плана")
def get_item(request, item_id: PathId):
    return get_object_or_404(_items(request.auth), pk=item_id)


@router.patch("/plan-items/{item_id}", response=PlanItemOut, summary="Изменить пункт плана")
def update_item(request, item_id: PathId, payload: PlanItemPatch):
    user = request.auth
    item = get_object_or_404(_items(user), pk=item_id)
    data = payload.dict(exclude_unset=True)
    if data.get("title", "") is None or data.get("period_kind", "") is None:
        raise Invalid(_("Название и вид срока нельзя очистить."))
    services.update_item(item, by=user, **_related(data, item.program))
    return _items(user).get(pk=item.pk)


@router.delete("/plan-items/{item_id}", response={204: None},
               summary="Удалить пункт плана (мероприятия остаются)")
def delete_item(request, item_id: PathId):
    item = get_object_or_404(_items(request.auth), pk=item_id)
    services.delete_item(item, by=request.auth)
    return Status(204, None)


@router.post("/plan-items/{item_id}/status", response=PlanItemOut,
             summary="Отметить исполнение: статус, примечание, ссылка или файл")
def set_status(request, item_id: PathId, payload: Form[PlanItemStatusIn],
               evidence_file: File[UploadedFile] = None):
    user = request.auth
    item = get_object_or_404(_items(user), pk=item_id)
    upload = "" if payload.clear_evidence_file else evidence_file
    services.set_status(item, payload.status, by=user, note=payload.note,
                        evidence_url=payload.evidence_url, evidence_file=upload)
    return _items(user).get(pk=item.pk)


# --- imports -------------------------------------------------------------------------------

def _uploads(user):
    require_staff(user)
    return roles.scope(PlanImport.objects.select_related("program__municipality"), user,
                       "program__municipality")


@router.post("/plan-imports", response={201: PlanImportOut},
             summary="Загрузить таблицу плана (DOCX, XLSX или CSV) для предпросмотра")
def upload_plan(request, file: File[UploadedFile], program_id: Form[QueryId]):
    user = request.auth
    program = pick(visible(Program.objects.select_related("municipality"), user), program_id,
                    "program_id")
    if file.size > importing.MAX_FILE_BYTES:
        raise Invalid(_("Файл больше %(limit)s МБ.") % {"limit": importing.MAX_FILE_BYTES // 2**20},
                      details={"field": "file"})
    upload = importing.create_upload(program, file_name=file.name, content=file.read(), by=user)
    return Status(201, upload)


@router.get("/plan-imports/{upload_id}", response=PlanImportOut,
            summary="Импорт плана: предпросмотр или итог")
def get_upload(request, upload_id: PathId):
    return get_object_or_404(_uploads(request.auth), pk=upload_id)


@router.post("/plan-imports/{upload_id}/apply", response=PlanImportOut,
             summary="Применить таблицу плана целиком")
def apply_upload(request, upload_id: PathId):
    upload = get_object_or_404(_uploads(request.auth), pk=upload_id)
    importing.apply_upload(upload, by=request.auth)
    return upload

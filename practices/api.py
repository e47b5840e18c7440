"""REST endpoints of the bank of practices: the author's and the curator's work, and the open
bank (without credentials).

Every queryset is scoped (practices/access.py): another municipality's practice, or another
mentor's, is a 404. The open bank lists published practices only, contacts only with consent.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from config.api_types import PathId
from config.errors import Forbidden, Invalid
from participants import roles
from participants.models import Municipality, Person, PersonalProgram
from practices import access, bank, services
from practices.models import Practice
from practices.schemas import (
    BankFilter,
    ConsentIn,
    DecisionIn,
    FromProgramIn,
    MaterialIn,
    MaterialOut,
    PracticeCard,
    PracticeFilter,
    PracticeIn,
    PracticeOut,
    PublicPracticeOut,
    ReturnIn,
    ReviewOut,
)

router = Router(tags=["Банк практик"])


def _user(request):
    return request.auth or request.user


def _practices(user):
    return access.visible(Practice.objects.prefetch_related("mentees"), user).order_by(
        "-updated_at", "-id")


def _practice(request, practice_id):
    return get_object_or_404(_practices(_user(request)), pk=practice_id)


def _card(payload):
    data = payload.dict(exclude_unset=True, exclude={"author_id"})
    for field in ("organisation", "topic"):
        if f"{field}_id" in data:
            data[field] = data.pop(f"{field}_id")
    return {name: ("" if value is None and name not in ("organisation", "topic",
                                                         "years_in_position") else value)
            for name, value in data.items()}


@router.get("/practices", response=list[PracticeOut], summary="Практики")
@paginate
def list_practices(request, filters: Query[PracticeFilter]):
    """A mentor's own practices; a curator's municipality; a regional expert's regional ones."""
    queryset = _practices(_user(request))
    if filters.q:
        queryset = queryset.search(filters.q)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.accepted_level:
        queryset = queryset.filter(accepted_level=filters.accepted_level)
    return queryset


@router.post("/practices", response={201: PracticeOut}, summary="Создать практику")
def create_practice(request, payload: PracticeIn):
    user = _user(request)
    if payload.author_id is None:
        author = Person.objects.filter(user=user).first()
        if author is None:
            raise Forbidden(_("Учётная запись не связана с участником: укажите автора."))
    else:
        author = roles.scope(Person.objects.all(), user).filter(pk=payload.author_id).first()
        if author is None:
            raise Invalid(_("Автор не найден."), details={"field": "author_id"})
    practice = services.create_practice(author, by=user, data=_card(payload))
    return Status(201, practice)


@router.post("/practices/from-program", response={201: PracticeOut},
             summary="Упаковать программу в практику")
def create_from_program(request, payload: FromProgramIn):
    """A practice prefilled from a finished personal program: mentor, mentees, role model,
    form, goal, plan, result."""
    user = _user(request)
    programs = roles.scope(PersonalProgram.objects.select_related("group", "group__mentor"),
                           user, "group__municipality")
    program = programs.filter(pk=payload.program_id).first()
    if program is None:
        raise Invalid(_("Программа не найдена."), details={"field": "program_id"})
    return Status(201, services.create_from_program(program, by=user))


@router.get("/practices/{int:practice_id}", response=PracticeOut, summary="Практика")
def get_practice(request, practice_id: PathId):
    return _practice(request, practice_id)


@router.patch("/practices/{int:practice_id}", response=PracticeOut,
              summary="Изменить информационную карту")
def update_practice(request, practice_id: PathId, payload: PracticeCard):
    practice = services.update_card(_practice(request, practice_id), by=_user(request),
                                    data=_card(payload))
    return practice


@router.put("/practices/{int:practice_id}/contacts-consent", response=PracticeOut,
            summary="Согласие автора на публикацию контактов")
def put_consent(request, practice_id: PathId, payload: ConsentIn):
    practice = services.set_contacts_consent(_practice(request, practice_id),
                                             by=_user(request), agreed=payload.agreed)
    return practice


def _material_out(practice, material):
    url = material.url or reverse("practice_material", args=[practice.pk, material.pk])
    return {"id": material.pk, "kind": material.kind, "title": material.title,
            "url": material.url, "file_size": material.file_size, "download_url": url}


@router.get("/practices/{int:practice_id}/materials", response=list[MaterialOut],
            summary="Материалы практики")
@paginate
def list_materials(request, practice_id: PathId):
    practice = _practice(request, practice_id)
    return [_material_out(practice, m) for m in practice.materials.all()]


@router.post("/practices/{int:practice_id}/materials", response={201: MaterialOut},
             summary="Приложить файл или ссылку")
def add_material(request, practice_id: PathId, payload: Form[MaterialIn],
                 file: File[UploadedFile] = None):
    """A file (size and type checked before it is stored) or a link, not both."""
    practice = _practice(request, practice_id)
    material = services.add_material(practice, by=_user(request), kind=payload.kind,
                                     title=payload.title, upload=file, url=payload.url)
    return Status(201, _material_out(practice, material))


@router.delete("/practices/{int:practice_id}/materials/{int:material_id}",
               response={204: None}, summary="Удалить материал")
def delete_material(request, practice_id: PathId, material_id: PathId):
    practice = _practice(request, practice_id)
    services.remove_material(get_object_or_404(practice.materials, pk=material_id),
                             by=_user(request))
    return Status(204, None)


@router.get("/practices/{int:practice_id}/reviews", response=list[ReviewOut],
            summary="Рассмотрения практики")
@paginate
def list_reviews(request, practice_id: PathId):
    return _practice(request, practice_id).reviews.order_by("submitted_at", "id")


@router.post("/practices/{int:practice_id}/submit", response={201: ReviewOut},
             summary="Подать на рассмотрение")
def submit(request, practice_id: PathId):
    """To the next level: school, then municipal, then regional."""
    return Status(201, services.submit(_practice(request, practice_id), by=_user(request)))


@router.post("/practices/{int:practice_id}/accept", response=ReviewOut,
             summary="Принять на уровне")
def accept(request, practice_id: PathId, payload: DecisionIn):
    """School and municipal levels: the municipal curator; regional: a regional expert."""
    return services.accept(_practice(request, practice_id), by=_user(request),
                           comment=payload.comment, forward=payload.forward)


@router.post("/practices/{int:practice_id}/return", response=ReviewOut,
             summary="Вернуть на доработку")
def return_practice(request, practice_id: PathId, payload: ReturnIn):
    """Back to the author, with the comment mailed to them."""
    return services.return_practice(_practice(request, practice_id), by=_user(request),
                                    comment=payload.comment)


@router.get("/practice-reviews", response=list[ReviewOut], summary="Очередь рассмотрения")
@paginate
def review_queue(request):
    return access.review_queue(_user(request))


@router.get("/bank/practices", response=list[PublicPracticeOut], auth=None,
            summary="Открытый банк практик")
@paginate
def public_bank(request, filters: Query[BankFilter]):
    """Published practices of a municipality; the author's contacts only with their consent.
    No credentials needed."""
    municipality = get_object_or_404(Municipality, pk=filters.municipality_id)
    wanted = bank.Filters(text=filters.q or "", topic=filters.topic, school=filters.school,
                          role_model=filters.role_model or "", form=filters.form or "",
                          level=filters.level or "", year=filters.year)
    queryset = (wanted.apply(bank.published(municipality)).select_related("organisation")
                .order_by("-published_at", "-id"))
    return queryset

"""REST endpoints for people, mentors, mentees, pairs and roster imports.

Every queryset is scoped to what the caller may see, so another municipality's object is a 404.
A reference inside a body that the caller cannot see is a 422 on that field.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from config.api_types import PathId, QueryId
from participants import importing, roles, services
from participants.errors import Forbidden, Invalid
from participants.models import (
    YOUNG_SPECIALIST_YEARS,
    ImportBatch,
    MenteeRecord,
    MentoringGroup,
    MentorProfile,
    Municipality,
    Organisation,
    Person,
    Topic,
)
from participants.schemas import (
    GroupIn,
    GroupOut,
    GroupPatch,
    ImportAppliedOut,
    ImportBatchOut,
    MenteeFilter,
    MenteeOut,
    MenteeRecordIn,
    MentorFilter,
    MentorOut,
    MentorProfileIn,
    OrganisationOut,
    PersonFilter,
    PersonIn,
    PersonOut,
    PersonPatch,
    TopicOut,
)

router = Router(tags=["Участники"])

MAX_IMPORT_BYTES = 5 * 1024 * 1024


# --- who is asking ------------------------------------------------------------------------


def _user(request):
    return request.auth or request.user


def _viewer(request):
    """The caller if they may read participants' data, else Forbidden."""
    user = _user(request)
    if not roles.can_view(user):
        raise Forbidden(_("Недостаточно прав для просмотра данных участников."))
    return user


def _manager(request):
    """The caller if they may change participants' data, else Forbidden."""
    user = _user(request)
    if not roles.can_manage(user):
        raise Forbidden(_("Недостаточно прав для изменения данных участников."))
    return user


def _target_municipality(user, municipality_id):
    """Where a write goes: the curator's own municipality; a superuser must name one."""
    if municipality_id is None:
        if user.is_superuser:
            raise Invalid(_("Укажите муниципалитет (municipality_id)."),
                          details={"field": "municipality_id"})
        municipality_id = roles.municipality_id_of(user)
        if municipality_id is None:
            raise Forbidden(_("Учётная запись не привязана к муниципалитету."))
    visible = roles.scope(Municipality.objects.all(), user, "pk")
    return _pick(visible, municipality_id, "municipality_id")


def _pick(queryset, pk, field):
    """An object referenced from a request body, or Invalid naming the field."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Invalid(_("Не найдено: %(field)s = %(pk)s.") % {"field": field, "pk": pk},
                      details={"field": field})
    return found


def _pick_many(queryset, pks, field):
    """Objects referenced from a request body, in the given order, or Invalid naming the field."""
    wanted = list(dict.fromkeys(pks))
    found = queryset.in_bulk(wanted)
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise Invalid(
            _("Не найдено: %(field)s = %(pks)s.")
            % {"field": field, "pks": ", ".join(map(str, missing))},
            details={"field": field, "missing": missing},
        )
    return [found[pk] for pk in wanted]


# --- querysets ------------------------------------------------------------------------------


def _people(user):
    mentor = MentorProfile.objects.filter(person=OuterRef("pk"))
    mentee = MenteeRecord.objects.filter(person=OuterRef("pk"))
    queryset = (
        Person.objects.select_related("organisation")
        .annotate(is_mentor=Exists(mentor), is_mentee=Exists(mentee))
    )
    return roles.limit_to_own_people(roles.scope(queryset, user), user)


def _filter_people(queryset, filters):
    if filters.q:
        queryset = queryset.search(filters.q)
    if filters.organisation_id is not None:
        queryset = queryset.filter(organisation_id=filters.organisation_id)
    if filters.young_specialist is True:
        queryset = queryset.young_specialists()
    elif filters.young_specialist is False:
        queryset = queryset.exclude(experience_years__lt=YOUNG_SPECIALIST_YEARS)
    if filters.is_mentor is not None:
        queryset = queryset.filter(is_mentor=filters.is_mentor)
    if filters.is_mentee is not None:
        queryset = queryset.filter(is_mentee=filters.is_mentee)
    if filters.category is not None:
        queryset = queryset.filter(category=filters.category)
    return queryset


def _mentors(user):
    queryset = MentorProfile.objects.select_related(
        "person__organisation"
    ).prefetch_related("topics").order_by(
        "person__last_name", "person__first_name", "person__patronymic", "pk"
    )
    return roles.limit_to_own_people(roles.scope(queryset, user, "person__municipality"), user,
                                     "person")


def _mentees(user):
    queryset = MenteeRecord.objects.select_related(
        "person__organisation"
    ).prefetch_related("difficulty_topics").order_by(
        "person__last_name", "person__first_name", "person__patronymic", "pk"
    )
    return roles.limit_to_own_people(roles.scope(queryset, user, "person__municipality"), user,
                                     "person")


def _groups(user):
    mentees = Person.objects.select_related("organisation").order_by(
        "last_name", "first_name", "patronymic", "pk"
    )
    queryset = MentoringGroup.objects.select_related("mentor__organisation").prefetch_related(
        Prefetch("mentees", queryset=mentees)
    )
    return roles.limit_to_own_people(roles.scope(queryset, user), user, "mentor")


def _person_data(user, payload, *, exclude_unset):
    """Service data from a person body: organisation_id becomes a visible organisation."""
    data = payload.dict(exclude_unset=exclude_unset, exclude={"municipality_id"})
    if "organisation_id" in data:
        pk = data.pop("organisation_id")
        organisations = roles.scope(Organisation.objects.all(), user)
        data["organisation"] = None if pk is None else _pick(organisations, pk, "organisation_id")
    return data


# --- people ---------------------------------------------------------------------------------


@router.get("/people", response=list[PersonOut], summary="Участники")
@paginate
def list_people(request, filters: Query[PersonFilter]):
    return _filter_people(_people(_viewer(request)), filters)


@router.post("/people", response={201: PersonOut}, summary="Добавить участника")
def create_person(request, payload: PersonIn):
    user = _manager(request)
    municipality = _target_municipality(user, payload.municipality_id)
    data = _person_data(user, payload, exclude_unset=False)
    person = services.create_person(municipality, data=data, by=user, awaits_consent=True)
    return Status(201, services.get_visible(_people(user), person.pk))


@router.get("/people/{int:person_id}", response=PersonOut, summary="Участник")
def get_person(request, person_id: PathId):
    return services.get_visible(_people(_viewer(request)), person_id)


@router.patch("/people/{int:person_id}", response=PersonOut, summary="Изменить участника")
def update_person(request, person_id: PathId, payload: PersonPatch):
    user = _manager(request)
    person = services.get_visible(_people(user), person_id)
    data = _person_data(user, payload, exclude_unset=True)
    services.update_person(person, data=data, by=user)
    return services.get_visible(_people(user), person_id)


# --- vocabularies ---------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut], summary="Организации")
@paginate
def list_organisations(request):
    queryset = Organisation.objects.order_by("short_name", "name", "pk")
    return roles.scope(queryset, _viewer(request))


@router.get("/topics", response=list[TopicOut], summary="Темы")
@paginate
def list_topics(request):
    _viewer(request)
    # Topics are one vocabulary shared by every municipality: nothing to scope.
    return Topic.objects.order_by("position", "name", "pk")


# --- mentor registry and mentee base --------------------------------------------------------


@router.get("/mentors", response=list[MentorOut], summary="Реестр наставников")
@paginate
def list_mentors(request, filters: Query[MentorFilter]):
    queryset = _mentors(_viewer(request))
    if filters.topic_id is not None:
        queryset = queryset.filter(topics=filters.topic_id)
    if filters.active is not None:
        queryset = queryset.filter(is_active=filters.active)
    return queryset


@router.put("/people/{int:person_id}/mentor-profile", response=MentorOut,
            summary="Внести в реестр наставников или изменить запись")
def put_mentor_profile(request, person_id: PathId, payload: MentorProfileIn):
    user = _manager(request)
    person = services.get_visible(roles.scope(Person.objects.all(), user), person_id)
    topics = _pick_many(Topic.objects.all(), payload.topic_ids, "topic_ids")
    profile = services.set_mentor_profile(
        person, topics=topics, can_help=payload.can_help, since=payload.since,
        is_active=payload.is_active, capacity=payload.capacity, by=user,
    )
    return services.get_visible(_mentors(user), profile.pk)


@router.get("/mentees", response=list[MenteeOut], summary="База наставляемых")
@paginate
def list_mentees(request, filters: Query[MenteeFilter]):
    queryset = _mentees(_viewer(request))
    if filters.reason is not None:
        queryset = queryset.filter(reason=filters.reason)
    if filters.topic_id is not None:
        queryset = queryset.filter(difficulty_topics=filters.topic_id)
    return queryset


@router.put("/people/{int:person_id}/mentee-record", response=MenteeOut,
            summary="Внести в базу наставляемых или изменить запись")
def put_mentee_record(request, person_id: PathId, payload: MenteeRecordIn):
    user = _manager(request)
    person = services.get_visible(roles.scope(Person.objects.all(), user), person_id)
    topics = _pick_many(Topic.objects.all(), payload.topic_ids, "topic_ids")
    record = services.set_mentee_record(
        person, reason=payload.reason, topics=topics, notes=payload.notes,
        since=payload.since, is_active=payload.is_active, by=user,
    )
    return services.get_visible(_mentees(user), record.pk)


# --- pairs and groups -----------------------------------------------------------------------


@router.get("/groups", response=list[GroupOut], summary="Наставнические пары и группы")
@paginate
def list_groups(request):
    return _groups(_viewer(request))


@router.post("/groups", response={201: GroupOut}, summary="Сформировать пару или группу")
def create_group(request, payload: GroupIn):
    user = _manager(request)
    municipality = _target_municipality(user, payload.municipality_id)
    people = roles.scope(Person.objects.all(), user)
    group = services.create_group(
        municipality,
        mentor=_pick(people, payload.mentor_id, "mentor_id"),
        mentees=_pick_many(people, payload.mentee_ids, "mentee_ids"),
        start_date=payload.start_date, consent_at=payload.consent_at, by=user,
        **payload.dict(include={"form", "role_model", "format", "end_date", "goal",
                                "order_reference"}),
    )
    return Status(201, services.get_visible(_groups(user), group.pk))


@router.get("/groups/{int:group_id}", response=GroupOut, summary="Пара или группа")
def get_group(request, group_id: PathId):
    return services.get_visible(_groups(_viewer(request)), group_id)


@router.patch("/groups/{int:group_id}", response=GroupOut, summary="Изменить пару или группу")
def patch_group(request, group_id: PathId, payload: GroupPatch):
    user = _manager(request)
    group = services.get_visible(_groups(user), group_id)
    data = payload.dict(exclude_unset=True, exclude={"mentee_ids", "consent_at"})
    mentees = None
    if payload.mentee_ids is not None:
        mentees = _pick_many(roles.scope(Person.objects.all(), user), payload.mentee_ids,
                             "mentee_ids")
    services.update_group(group, mentees=mentees, consent_at=payload.consent_at, by=user, **data)
    return services.get_visible(_groups(user), group_id)


# --- roster import --------------------------------------------------------------------------


def _batches(user):
    return roles.scope(ImportBatch.objects.select_related("municipality"), user)


@router.post("/imports", response={201: ImportBatchOut},
             summary="Загрузить список педагогов (CSV или XLSX) для предпросмотра")
def upload_import(request, file: File[UploadedFile], municipality_id: Form[QueryId | None] = None):
    user = _manager(request)
    municipality = _target_municipality(user, municipality_id)
    if file.size > MAX_IMPORT_BYTES:
        raise Invalid(_("Файл больше %(limit)s МБ.") % {"limit": MAX_IMPORT_BYTES // 2**20},
                      details={"field": "file"})
    batch = importing.create_batch(municipality, file_name=file.name, content=file.read(),
                                   by=user)
    return Status(201, batch)


@router.get("/imports/{int:batch_id}", response=ImportBatchOut, summary="Импорт и его итог")
def get_import(request, batch_id: PathId):
    # An upload holds a whole roster of personal data: curators only, not mentors.
    return services.get_visible(_batches(_manager(request)), batch_id)


@router.post("/imports/{int:batch_id}/apply", response=ImportAppliedOut,
             summary="Применить загруженный список")
def apply_import(request, batch_id: PathId):
    user = _manager(request)
    batch = services.get_visible(_batches(user), batch_id)
    plan = importing.apply_batch(batch, by=user)
    return {"batch": batch, "result": plan.as_dict()}

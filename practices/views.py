"""Pages of mentors (package a program, edit the card, attach, submit) and curators (review).

Thin: each POST calls one service; a refusal of the service shows as the form's error.
Another municipality's practice, or someone else's, is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from participants import roles
from participants.models import Person, PersonalProgram
from practices import access, services
from practices.forms import CardForm, DecisionForm, MaterialForm
from practices.models import Practice
from practices.public import serve_material

SIGNIN = "signin"


def _practice(request, pk):
    queryset = access.visible(Practice.objects.select_related(
        "author", "municipality", "organisation", "topic"), request.user)
    return get_object_or_404(queryset, pk=pk)


def _own_person(user):
    return Person.objects.filter(user=user).first()


def _programs_to_package(user):
    """Finished personal programs with no practice yet, that this user may package."""
    programs = (PersonalProgram.objects.filter(practices__isnull=True)
                .select_related("group", "group__mentor").prefetch_related("items"))
    if roles.can_manage(user):
        programs = roles.scope(programs, user, "group__municipality")
    else:
        programs = programs.filter(group__mentor__user=user)
    return [p for p in programs.order_by("-end_date", "id")[:50]
            if services.program_is_finished(p)]


@login_required(login_url=SIGNIN)
def my_practices(request):
    practices = (access.visible(Practice.objects.select_related("organisation"), request.user)
                 .order_by("-updated_at", "-id")[:200])
    return render(request, "practices/my_practices.html", {
        "practices": practices, "programs": _programs_to_package(request.user),
        "can_create": _own_person(request.user) is not None,
        "reviews": roles.can_manage(request.user) or access.is_regional_expert(request.user),
    })


@login_required(login_url=SIGNIN)
def new_practice(request):
    person = _own_person(request.user)
    if person is None:
        raise PermissionDenied(_("Учётная запись не связана с участником."))
    form = CardForm(request.POST or None, municipality=person.municipality,
                    initial=services._card_of(person) | {"organisation": person.organisation})
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.create_practice(person, by=request.user,
                                                data=form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Практика создана: приложите материалы и подайте её."))
            return redirect("practice_edit", practice.pk)
    return render(request, "practices/new.html", {"form": form})


@login_required(login_url=SIGNIN)
@require_POST
def from_program(request, program_id):
    programs = PersonalProgram.objects.select_related("group", "group__mentor")
    program = get_object_or_404(programs, pk=program_id)
    try:
        practice = services.create_from_program(program, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("practice_list")
    messages.success(request, _("Программа упакована в практику: проверьте карту, приложите "
                                "материалы и подайте на рассмотрение."))
    return redirect("practice_edit", practice.pk)


def _form_error(form, exc):
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@login_required(login_url=SIGNIN)
def edit(request, pk):
    practice = _practice(request, pk)
    can_edit = access.may_edit(request.user, practice)
    card = CardForm(request.POST if request.method == "POST" else None,
                    municipality=practice.municipality, initial=CardForm.initial_of(practice))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Нет прав на изменение этой практики."))
        if card.is_valid():
            try:
                services.update_card(practice, by=request.user, data=card.cleaned_data)
            except DomainError as exc:
                _form_error(card, exc)
            else:
                messages.success(request, _("Информационная карта сохранена."))
                return redirect("practice_edit", practice.pk)
    return _edit_page(request, practice, card=card)


def _edit_page(request, practice, *, card=None, material_form=None, decision_form=None,
               status=200):
    can_edit = access.may_edit(request.user, practice)
    pending = practice.reviews.pending().first()
    return render(request, "practices/edit.html", {
        "practice": practice, "can_edit": can_edit,
        "card": card or CardForm(municipality=practice.municipality,
                                 initial=CardForm.initial_of(practice)),
        "material_form": material_form or MaterialForm(),
        "decision_form": decision_form or DecisionForm(),
        "materials": practice.materials.all(),
        "reviews": practice.reviews.select_related("reviewer", "submitted_by")
        .order_by("submitted_at", "id"),
        "pending": pending,
        "may_decide": pending is not None and access.may_review(request.user, practice,
                                                                 pending.level),
        "is_author": access.is_author(request.user, practice),
        "next_level": services.next_level(practice),
        "consent_text": services.CONTACTS_CONSENT_TEXT,
    }, status=status)


@login_required(login_url=SIGNIN)
@require_POST
def add_material(request, pk):
    practice = _practice(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_material(practice, by=request.user, kind=data["kind"],
                                  title=data["title"], upload=data["file"], url=data["url"])
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Материал добавлен."))
            return redirect("practice_edit", practice.pk)
    return _edit_page(request, practice, material_form=form, status=422)


@login_required(login_url=SIGNIN)
@require_POST
def remove_material(request, pk, material_id):
    practice = _practice(request, pk)
    material = get_object_or_404(practice.materials, pk=material_id)
    try:
        services.remove_material(material, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Материал удалён."))
    return redirect("practice_edit", practice.pk)


@login_required(login_url=SIGNIN)
def material_file(request, pk, material_id):
    practice = _practice(request, pk)
    return serve_material(get_object_or_404(practice.materials, pk=material_id))


@login_required(login_url=SIGNIN)
@require_POST
def consent(request, pk):
    practice = _practice(request, pk)
    agreed = request.POST.get("agreed") == "1"
    try:
        services.set_contacts_consent(practice, by=request.user, agreed=agreed)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Согласие на публикацию контактов записано.") if agreed
                         else _("Контакты не будут показаны в открытом банке."))
    return redirect("practice_edit", practice.pk)


@login_required(login_url=SIGNIN)
@require_POST
def submit(request, pk):
    practice = _practice(request, pk)
    try:
        review = services.submit(practice, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Практика подана на рассмотрение: %(level)s уровень.")
                         % {"level": review.get_level_display()})
    return redirect("practice_edit", practice.pk)


@login_required(login_url=SIGNIN)
@require_POST
def decide(request, pk, decision):
    practice = _practice(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, practice, decision_form=form, status=422)
    data = form.cleaned_data
    try:
        if decision == "accept":
            review = services.accept(practice, by=request.user, comment=data["comment"],
                                     forward=data["forward"])
            messages.success(request, _("Практика принята: %(level)s уровень.")
                             % {"level": review.get_level_display()})
        else:
            services.return_practice(practice, by=request.user, comment=data["comment"])
            messages.success(request, _("Практика возвращена автору с комментарием."))
    except DomainError as exc:
        _form_error(form, exc)
        return _edit_page(request, practice, decision_form=form, status=exc.status)
    return redirect("practice_edit", practice.pk)


@login_required(login_url=SIGNIN)
def review_queue(request):
    if not (roles.can_manage(request.user) or access.is_regional_expert(request.user)):
        raise PermissionDenied(_("Очередь рассмотрения доступна куратору и экспертам."))
    queue = access.review_queue(request.user)[:200]
    return render(request, "practices/review_queue.html", {"queue": queue})

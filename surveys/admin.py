"""Admin for questionnaires and rounds; every write goes through surveys.services.

Questionnaires are global templates shared by every municipality: a superuser edits them, a
curator sees them (to choose one for a round) and edits their municipality's own copies (the
observation map); another municipality's copies are absent. A version with answers is
read-only; the action and the button «Создать новую версию» make the next version to edit.
Rounds are scoped to the curator's municipality. A named round lists who has answered (yes/no);
an anonymous round shows only counts. Responses and answers have no admin: reports come from
the evaluation forms.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from events.admin import EVENT_SCOPE_PATHS
from participants import roles
from participants.admin_scoping import MunicipalityScopedAdmin
from participants.models import MentoringGroup, Person
from surveys import services
from surveys.forms import QuestionForm, RoundForm
from surveys.models import Invitation, Question, Questionnaire, Round

LOCKED = _("На эту версию анкеты уже есть ответы, поэтому она открыта только для чтения: "
           "изменение исказило бы старые ответы. Чтобы изменить анкету, создайте новую версию.")


def _may_edit(request, obj):
    return services.may_edit(request.user, obj) and (obj is None or not services.has_answers(obj))


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    extra = 0
    ordering = ["position"]
    autocomplete_fields = ["topics"]

    # A curator edits the questions of their municipality's own copy, nothing else.
    def has_add_permission(self, request, obj=None):
        return obj is not None and _may_edit(request, obj) or request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return obj is not None and _may_edit(request, obj) or request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return obj is not None and _may_edit(request, obj) or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "is_current", "purpose", "is_anonymous",
                    "question_count", "has_answers"]
    list_filter = ["purpose", "is_current", "is_anonymous"]
    search_fields = ["title"]
    fields = ["title", "purpose", "description", "is_anonymous", "municipality", "version",
              "is_current"]
    readonly_fields = ["municipality", "version", "is_current"]
    inlines = [QuestionInline]
    actions = ["revise"]
    change_form_template = "admin/surveys/questionnaire/change_form.html"

    def get_queryset(self, request):
        found = super().get_queryset(request).annotate(
            n_questions=Count("questions", distinct=True),
            n_answers=Count("questions__answers", distinct=True))
        if request.user.is_superuser:
            return found
        # Shared templates and the curator's own municipality's copies; others look absent.
        return found.filter(Q(municipality__isnull=True)
                            | Q(municipality_id=roles.municipality_id_of(request.user)))

    @admin.display(description=_("вопросов"), ordering="n_questions")
    def question_count(self, obj):
        return obj.n_questions

    @admin.display(description=_("есть ответы"), boolean=True)
    def has_answers(self, obj):
        return bool(obj.n_answers)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if not request.user.is_superuser and obj is None:
            return False
        return _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and (obj is None or not obj.rounds.exists())

    def get_urls(self):
        revise = self.admin_site.admin_view(self.revise_view)
        return [path("<int:pk>/revise/", revise, name="surveys_questionnaire_revise"),
                *super().get_urls()]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            obj = self.get_object(request, object_id)
            extra_context["may_revise"] = obj is not None and services.may_edit(request.user, obj)
            if obj is not None and services.has_answers(obj):
                extra_context["locked"] = True
                if request.method == "GET" and services.may_edit(request.user, obj):
                    self.message_user(request, LOCKED, messages.WARNING)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def revise_view(self, request, pk):
        """The button «Создать новую версию»: POST only, then the new version's page."""
        questionnaire = get_object_or_404(Questionnaire, pk=pk)
        if request.method != "POST" or not services.may_edit(request.user, questionnaire):
            return HttpResponseRedirect(reverse("admin:surveys_questionnaire_change", args=[pk]))
        revised = services.revise_questionnaire(questionnaire, by=request.user)
        self.message_user(request, _("Создана версия %(v)s; старые ответы остались у версии "
                                     "%(old)s.") % {"v": revised.version,
                                                    "old": questionnaire.version})
        return HttpResponseRedirect(reverse("admin:surveys_questionnaire_change",
                                            args=[revised.pk]))

    @admin.action(description=_("Создать новую версию"))
    def revise(self, request, queryset):
        if not all(services.may_edit(request.user, q) for q in queryset):
            self.message_user(request, _("Новую версию создаёт администратор (своей карты "
                                         "наблюдений — куратор)."), messages.ERROR)
            return
        for questionnaire in queryset:
            revised = services.revise_questionnaire(questionnaire, by=request.user)
            self.message_user(request, _("«%(title)s»: создана версия %(v)s.")
                              % {"title": revised.title, "v": revised.version})

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.QUESTIONNAIRE_FIELDS
                if name in form.cleaned_data}
        if change:
            changed = {name: value for name, value in data.items() if name in form.changed_data}
            saved = (services.update_questionnaire(obj, by=request.user, **changed)
                     if changed else obj)
        else:
            saved = services.create_questionnaire(by=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        """Each question through the service, which refuses a version with answers."""
        deleted = [f for f in formset.deleted_forms if f.instance.pk]
        formset.new_objects, formset.changed_objects = [], []
        formset.deleted_objects = [f.instance for f in deleted]
        for question_form in deleted:
            services.delete_question(question_form.instance, by=request.user)
        for question_form in formset.forms:
            if question_form in formset.deleted_forms or not question_form.has_changed():
                continue
            is_new = question_form.instance.pk is None
            data = question_form.cleaned_data
            topics = data.get("topics")
            question = services.save_question(
                form.instance, by=request.user,
                question=None if is_new else question_form.instance,
                topics=list(topics) if topics is not None else None,
                **{name: data[name] for name in services.QUESTION_FIELDS if name in data},
            )
            if is_new:
                formset.new_objects.append(question)
            else:
                formset.changed_objects.append((question, question_form.changed_data))


class InvitationInline(admin.TabularInline):
    """Who was invited to a named round and whether they answered; never what."""

    model = Invitation
    fields = ["person", "answered", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["person__last_name", "person__first_name"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ответил"), boolean=True)
    def answered(self, obj):
        return obj.answered_at is not None


@admin.register(Round)
class RoundAdmin(MunicipalityScopedAdmin):
    scope_paths = EVENT_SCOPE_PATHS
    form = RoundForm
    list_display = ["title", "questionnaire", "audience", "opens_at", "closes_at",
                    "invited_count", "answered_count"]
    list_filter = ["audience", "questionnaire__purpose"]
    list_select_related = ["questionnaire"]
    search_fields = ["title"]
    date_hierarchy = "opens_at"
    autocomplete_fields = ["event", "track", "program"]
    actions = ["open_rounds", "remind_now", "remind_before_closing"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_invited=Count("invitations", distinct=True),
            n_answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False),
                             distinct=True))

    @admin.display(description=_("приглашено"), ordering="n_invited")
    def invited_count(self, obj):
        return obj.n_invited

    @admin.display(description=_("ответили"), ordering="n_answered")
    def answered_count(self, obj):
        return obj.n_answered

    def get_fields(self, request, obj=None):
        if obj is None:
            return super().get_fields(request, obj)
        return ["title", "questionnaire", "municipality", "audience", "event", "track",
                "program", "mentoring_group", "opens_at", "closes_at", "pair_of", "invited_count",
                "answered_count", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        # A round is not edited once created: its invitations already promise its terms.
        return self.get_fields(request, obj) if obj is not None else []

    def get_inlines(self, request, obj):
        return [InvitationInline] if obj is not None and not obj.is_anonymous else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        people = roles.scope(Person.objects.filter(is_anonymised=False), request.user)

        class ScopedRoundForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                if "persons" in self.fields:
                    self.fields["persons"].queryset = people

        return ScopedRoundForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            kwargs["queryset"] = Questionnaire.objects.filter(is_current=True)
        if db_field.name == "pair_of":
            kwargs["queryset"] = roles.scope(Round.objects.all(), request.user)
        if db_field.name == "mentoring_group":
            kwargs["queryset"] = roles.scope(MentoringGroup.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is editable; see get_readonly_fields
        self.assign_municipality(request, obj)
        data = form.cleaned_data
        round = services.create_round(
            data["questionnaire"], audience=data["audience"], by=request.user,
            municipality=obj.municipality, event=data.get("event"), track=data.get("track"),
            program=data.get("program"), persons=list(data.get("persons") or []),
            opens_at=data.get("opens_at"), closes_at=data.get("closes_at"),
            title=data.get("title") or "", pair_of=data.get("pair_of"),
            mentoring_group=data.get("mentoring_group"),
        )
        obj.pk = round.pk
        obj.refresh_from_db()

    @admin.action(description=_("Разослать приглашения"), permissions=["change"])
    def open_rounds(self, request, queryset):
        for round in queryset:
            if self.run_service(request, services.open_round, round, by=request.user) is not None:
                self.message_user(request, _("«%(title)s»: приглашения поставлены в очередь.")
                                  % {"title": round.title})

    def _remind(self, request, queryset, *, now):
        for round in queryset:
            count = self.run_service(request, services.remind_non_responders, round,
                                     by=request.user, at=timezone.now() if now else None)
            if count is not None:
                self.message_user(request, _("«%(title)s»: напоминаний — %(n)s.")
                                  % {"title": round.title, "n": count})

    @admin.action(description=_("Напомнить не ответившим сейчас"), permissions=["change"])
    def remind_now(self, request, queryset):
        self._remind(request, queryset, now=True)

    @admin.action(description=_("Напомнить не ответившим за день до закрытия"),
                  permissions=["change"])
    def remind_before_closing(self, request, queryset):
        self._remind(request, queryset, now=False)

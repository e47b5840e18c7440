"""The staff page for typing in paper questionnaires: the survey page's fields and checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participants import roles
from surveys import paper, questions, services
from surveys.errors import Conflict, Invalid, InvalidAnswers, RoundNotOpen
from surveys.models import Round


def _form(request, round, question_list, raws, *, errors=None, chosen="", status=200):
    errors = errors or {}
    fields = [questions.field(q, raws.get(q.code), error=errors.get(q.code, ""), number=number)
              for number, q in enumerate(question_list, start=1)]
    invitees = [] if round.is_anonymous else list(
        round.invitations.filter(answered_at__isnull=True).select_related("person")
        .order_by("person__last_name", "person__first_name", "pk"))
    return render(request, "surveys/paper.html", {
        "round": round, "questionnaire": round.questionnaire, "fields": fields,
        "invitees": invitees, "chosen": chosen, "error_count": len(errors),
        "entered": round.responses.filter(is_from_paper=True).count()}, status=status)


@login_required(login_url="signin")
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk):
    """Type in one paper questionnaire of a round; the page stays for the next one."""
    round = get_object_or_404(roles.scope(Round.objects.select_related(
        "questionnaire", "municipality", "event"), request.user), pk=pk)
    if not paper.may_enter(request.user, round):
        raise PermissionDenied(_("Вводить бумажные анкеты может куратор или ответственный "
                                 "наставник мероприятия."))
    question_list = services.questions_of(round.questionnaire)
    if request.method == "GET":
        return _form(request, round, question_list, {})
    data = {q.code: questions.read_form(q, request.POST) for q in question_list}
    chosen = request.POST.get("invitation", "")
    invitation = None
    if chosen:
        invitation = round.invitations.filter(pk=chosen if chosen.isdigit() else 0).first()
        if invitation is None:
            messages.error(request, _("Участник не приглашён в этот опрос."))
            return _form(request, round, question_list, data, status=422)
    try:
        paper.enter_paper_response(round, data, by=request.user, invitation=invitation)
    except InvalidAnswers as exc:
        return _form(request, round, question_list, data, errors=exc.errors, chosen=chosen,
                     status=422)
    except (Invalid, Conflict, RoundNotOpen) as exc:
        messages.error(request, exc.message)
        return _form(request, round, question_list, data, chosen=chosen, status=422)
    messages.success(request, _("Анкета с бумаги сохранена. Можно вводить следующую."))
    return redirect("survey_paper_entry", pk=round.pk)

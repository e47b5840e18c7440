"""The survey page behind a personal link: no password, a plain form that works without JavaScript.

The token identifies one invitation, the invitation its round: the page never takes a round or a
question from the request. Reading and checking answers is surveys.questions' job, saving is
surveys.services.save_answers'; the view only chooses the page to show.
"""

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config import brakes
from events.formatting import format_when
from surveys import questions, services
from surveys.errors import InvalidAnswers, RoundClosed, RoundNotOpen


def _page(request, template, context, *, status=200):
    response = render(request, template, context, status=status)
    # The link is the key to a person's answers: keep it out of caches, referrers and indexes.
    # `same-origin`, not `no-referrer`: the address (with the token) still never reaches another
    # site, but the browser can prove the form is ours. Under `no-referrer` Chromium posts
    # `Origin: null`, and over HTTPS a browser without Origin sends no Referer either, so
    # Django's CSRF check refused every answer.
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _saved_raws(question_list, response):
    if response is None:
        return {}
    by_question = defaultdict(list)
    for answer in response.answers.all():
        by_question[answer.question_id].append(answer)
    return {q.code: questions.raw_from_answers(q, by_question[q.pk]) for q in question_list}


def _form(request, invitation, question_list, raws, *, base, errors=None, saved_at=None,
          status=200, stale=False):
    errors = errors or {}
    fields = [questions.field(q, raws.get(q.code), error=errors.get(q.code, ""), number=number)
              for number, q in enumerate(question_list, start=1)]
    round = invitation.round
    context = {
        **base, "fields": fields, "total": len(fields),
        "answered": sum(1 for field in fields if field["answered"]),
        "error_count": len(errors), "is_sent": invitation.answered_at is not None,
        "person_name": "" if round.is_anonymous else invitation.person.full_name,
        "saved_at": format_when(saved_at, round.municipality.zone) if saved_at else "",
        "stale": stale,
    }
    return _page(request, "surveys/survey.html", context, status=status)


def _save(request, invitation, question_list, base):
    submit = request.POST.get("action") != "draft"
    data = {q.code: questions.read_form(q, request.POST) for q in question_list}
    url = reverse("survey", kwargs={"token": invitation.token})
    try:
        services.save_answers(invitation, data, submit=submit, question_list=question_list)
    except InvalidAnswers as exc:
        return _form(request, invitation, question_list, data, base=base, errors=exc.errors)
    except (RoundClosed, RoundNotOpen):
        return redirect(url)
    if not submit:
        messages.success(request, _("Черновик сохранён. Вернуться к анкете можно по этой же "
                                    "ссылке до %(closes)s.") % {"closes": base["closes"]})
    return redirect(url)


def _may_post(request, token):
    # Per client (someone trying links) and per link (a script hammering one questionnaire).
    return (brakes.take(request, "survey-post-client", brakes.client_key(request),
                        brakes.SURVEY_POSTS_PER_CLIENT)
            and brakes.take(request, "survey-post-link", token, brakes.SURVEY_POSTS_PER_LINK))


def _open_invitation(request, token):
    """(invitation, base context, None) while the round is open, else (…, the page to show)."""
    invitation = services.invitation_for(token)
    if invitation is None:
        return None, None, _page(request, "surveys/not_found.html", {}, status=404)
    round = invitation.round
    zone = round.municipality.zone
    base = {"round": round, "questionnaire": round.questionnaire,
            "opens": format_when(round.opens_at, zone),
            "closes": format_when(round.closes_at, zone),
            "edit_url": reverse("survey", kwargs={"token": invitation.token}) + "?edit=1"}
    now = timezone.now()
    if now < round.opens_at:
        return invitation, base, _page(request, "surveys/not_open.html", base)
    if now >= round.closes_at:
        return invitation, base, _page(request, "surveys/closed.html",
                                       {**base, "answered": invitation.answered_at is not None})
    return invitation, base, None


@require_http_methods(["GET", "POST"])
def survey(request, token):
    """Answer, save a draft, see the thanks page; closed and not yet open rounds say so."""
    if request.method == "POST" and not _may_post(request, token):
        return _page(request, "too_many_requests.html", {"message": brakes.wait_message()},
                     status=429)
    invitation, base, page = _open_invitation(request, token)
    if page is not None:
        return page
    question_list = services.questions_of(invitation.round.questionnaire)
    if request.method == "POST":
        return _save(request, invitation, question_list, base)
    if invitation.answered_at is not None and "edit" not in request.GET:
        return _page(request, "surveys/thanks.html", base)
    response = services.response_of(invitation)
    # An anonymous response keeps no time of its own (see surveys.models.Response).
    anonymous = invitation.round.is_anonymous
    saved_at = response.updated_at if response and not anonymous else None
    return _form(request, invitation, question_list, _saved_raws(question_list, response),
                 base=base, saved_at=saved_at)


def _after_csrf_failure(request, token):
    """The form again with everything typed and a fresh CSRF token; nothing is saved."""
    invitation, base, page = _open_invitation(request, token)
    if page is not None:
        return page
    question_list = services.questions_of(invitation.round.questionnaire)
    data = {q.code: questions.read_form(q, request.POST) for q in question_list}
    return _form(request, invitation, question_list, data, base=base, status=403, stale=True)


# config.csrf hands a refused post of this page here, so that nothing typed is lost.
survey.on_csrf_failure = _after_csrf_failure

"""The page a person sees when Django's CSRF check refuses a form: Russian, and nothing typed lost.

A view may offer its own answer by setting `on_csrf_failure` on the view function (the survey
page re-renders the form with what was typed); every other page gets a generic page that shows
the typed text back, so it can be copied. Passwords, tokens and other secrets are never echoed.
"""

from django.shortcuts import render
from django.urls import Resolver404, resolve

NOT_ECHOED = ("csrfmiddlewaretoken", "password", "token", "sesame", "next", "action")


def _typed(request):
    typed = []
    for name, values in request.POST.lists():
        if any(part in name.lower() for part in NOT_ECHOED):
            continue
        text = "\n".join(value for value in values if value.strip())
        if text:
            typed.append(text[:5000])
    return typed[:50]


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the view's own answer if it has one, else the generic Russian page."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    handler = getattr(match.func, "on_csrf_failure", None) if match else None
    if handler is not None:
        return handler(request, *match.args, **match.kwargs)
    back_url = request.get_full_path()
    return render(request, "403_csrf.html", {"typed": _typed(request), "back_url": back_url},
                  status=403)

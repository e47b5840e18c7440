"""The public verification page and the holder's own download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from config import brakes
from config.downloads import PDF, attachment
from events.certificates.models import Certificate, normalise_code
from events.certificates.pdf import certificates_pdf, filename

# Unknown codes per client address. A code has 130 random bits, so the brake is not what makes
# it unguessable; it keeps a scanner from hammering the page and the database.
DOOR = "certificate-verify"


def _page(request, template, context, *, status=200):
    response = render(request, template, context, status=status)
    # The address holds the code: keep it out of caches, search indexes and other sites.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def verify(request, code):
    """Whether a certificate is genuine: what it says, or that it was revoked; else 404."""
    client = brakes.client_key(request)
    if brakes.is_locked(request, DOOR, client, brakes.CERTIFICATE_UNKNOWN_CODES):
        return _page(request, "too_many_requests.html", {"message": brakes.wait_message()},
                     status=429)
    stored = normalise_code(code)
    certificate = (Certificate.objects.select_related("municipality").filter(code=stored).first()
                   if stored else None)
    if certificate is None:
        brakes.fail(request, DOOR, client, brakes.CERTIFICATE_UNKNOWN_CODES)
        raise Http404
    return _page(request, "certificates/verify.html", {"certificate": certificate})


@login_required(login_url="signin")
@require_GET
def download(request, pk):
    """The holder's own certificate as a PDF; anyone else's is absent."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("municipality"),
        pk=pk, person__user=request.user, revoked_at=None)
    response = attachment(certificates_pdf([certificate]), PDF, filename(certificate))
    response["Cache-Control"] = "no-store, private"
    return response

"""The public bank of best practices: pages without sign-in, an Atom feed, an embeddable list.

Only published practices (accepted at one level at least) exist here; anything else is a 404.
The author's e-mail and phone come only through bank.public_contacts (the author's consent).
"""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from participants.models import Municipality
from practices import bank, materials
from practices.models import Level, Material


def index(request):
    return render(request, "practices/bank/index.html",
                  {"municipalities": bank.municipalities()})


def practice_list(request, municipality_id):
    municipality = get_object_or_404(Municipality, pk=municipality_id)
    filters = bank.Filters.from_query(request.GET)
    page = bank.practice_page(municipality, filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "practices/bank/list.html", {
        "municipality": municipality, "page": page, "filters": filters,
        "options": bank.filter_options(municipality), "query": query.urlencode(),
        "levels": dict(Level.choices),
        "og": {"title": _("Банк лучших практик наставничества — %(m)s") % {"m": municipality},
               "description": _("Наставнические практики школ: %(m)s.") % {"m": municipality},
               "url": request.build_absolute_uri(request.path), "type": "website"},
    })


def practice_detail(request, pk):
    practice = bank.public_practice(pk)
    if practice is None:
        raise Http404(_("Практика не найдена или ещё не опубликована."))
    return render(request, "practices/bank/detail.html", {
        "practice": practice, "contacts": bank.public_contacts(practice),
        "levels": [{"label": Level(r["level"]).label, "date": r["decided_at"]}
                   for r in bank.accepted_levels(practice)],
        "materials": practice.materials.all(),
        "og": {"title": practice.title,
               "description": Truncator(practice.note or practice.content).chars(200),
               "url": request.build_absolute_uri(request.path), "type": "article"},
    })


def material_file(request, pk, material_id):
    """A file of a published practice, read through the storage (never a static URL)."""
    practice = bank.public_practice(pk)
    if practice is None:
        raise Http404(_("Практика не найдена или ещё не опубликована."))
    material = get_object_or_404(Material, pk=material_id, practice=practice)
    return serve_material(material)


def serve_material(material):
    if not material.file:
        return HttpResponseRedirect(material.url)
    name = material.file.name.rsplit("/", 1)[-1]
    extension = materials.extension_of(name)
    inline_type = materials.INLINE_TYPES.get(extension)
    content_type = inline_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(material.file.open("rb"), as_attachment=inline_type is None,
                        filename=name, content_type=content_type)


@xframe_options_exempt
def embed(request, municipality_id):
    """A small list for the education department's site, in an iframe.

    Only this page may be framed, and only by PRACTICE_EMBED_ANCESTORS; every other page keeps
    frame-ancestors 'none' and X-Frame-Options DENY.
    """
    municipality = get_object_or_404(Municipality, pk=municipality_id)
    response = render(request, "practices/bank/embed.html", {
        "municipality": municipality, "practices": bank.latest(municipality, bank.EMBED_SIZE),
        "levels": dict(Level.choices),
    })
    response._csp_replace = {"frame-ancestors": settings.PRACTICE_EMBED_ANCESTORS}
    return response


class PracticeFeed(Feed):
    """Atom feed of a municipality's newly published practices."""

    feed_type = Atom1Feed

    def get_object(self, request, municipality_id):
        return get_object_or_404(Municipality, pk=municipality_id)

    def title(self, municipality):
        return _("Банк лучших практик наставничества — %(m)s") % {"m": municipality}

    def link(self, municipality):
        return reverse("bank_list", args=[municipality.pk])

    def subtitle(self, municipality):
        return _("Новые наставнические практики, принятые куратором или экспертами.")

    def items(self, municipality):
        return bank.latest(municipality, bank.FEED_SIZE)

    def item_title(self, practice):
        return practice.title

    def item_description(self, practice):
        return Truncator(practice.note or practice.content).chars(500)

    def item_link(self, practice):
        return reverse("bank_practice", args=[practice.pk])

    def item_author_name(self, practice):
        return practice.author_name

    def item_pubdate(self, practice):
        return practice.published_at

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_categories(self, practice):
        return [str(Level(practice.accepted_level).label)]

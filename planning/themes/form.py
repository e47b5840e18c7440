"""The themes report as an evaluation-style form: the tables every renderer shows as they are.

The page, PDF and XLSX come from these tables (surveys/evaluation/exports.py renders them with
the Cyrillic font of config/pdf.py and safe_cell on every spreadsheet cell).
"""

from django.utils.translation import gettext as _

from surveys.evaluation.figures import (
    INT,
    NUM,
    Column,
    Fact,
    Form,
    Section,
    Table,
    breakdown_table,
    local_date,
    rank_columns,
    ranked_rows,
)
from surveys.suppression import MIN_GROUP, suppressed_text


def _groups_table(key, title, group_label, groups, hidden):
    return breakdown_table(key, title, group_label, [(g.label, g.n, g.topics) for g in groups],
                           hidden)


def _names(items):
    return "; ".join(items)


def _mentor_text(mentor):
    school = f", {mentor.school}" if mentor.school else ""
    return _("%(name)s%(school)s — занято %(load)s из %(capacity)s") % {
        "name": mentor.name, "school": school, "load": mentor.load, "capacity": mentor.capacity}


def _covered_text(item, zone):
    parts = [t.title + (" " + _("(черновик)") if t.is_draft else "") for t in item.tracks]
    for label, events in ((_("проведено"), item.held), (_("запланировано"), item.planned)):
        if events:
            parts.append(f"{label}: " + ", ".join(
                f"{e.title} ({local_date(e.starts_at, zone)})" for e in events))
    return _names(parts)


def _coverage_table(themes):
    zone = themes.municipality.zone
    rows = [{"topic": c.topic.name, "mean": c.topic.mean,
             "covered": _covered_text(c, zone) or _("нет"),
             "mentors": _names(_mentor_text(m) for m in c.mentors) or _("нет"),
             "gap": _("да") if c.is_gap else ""}
            for c in themes.coverage]
    # Five text columns at most: the PDF gives each at least 30 mm of an A4 page.
    return Table("coverage", _("Покрытие трудных тем"), [
        Column("topic", _("Тема")), Column("mean", _("Средняя трудность"), NUM),
        Column("covered", _("Треки и мероприятия")),
        Column("mentors", _("Наставники, которые могут помочь")),
        Column("gap", _("Пробел"))], rows,
        [Fact("hard", _("Трудных тем"), len(themes.coverage), INT),
         Fact("gaps", _("Тем без мероприятий и наставников"), len(themes.gaps), INT)],
        note=_("Трудная тема — средняя трудность не ниже 3 из 5. Пробел — по теме нет ни "
               "трека, ни мероприятия, ни наставника."))


def _suggestions_table(themes):
    rows = [{"place": place, "topic": c.topic.name, "mean": c.topic.mean, "count": c.topic.n,
             "mentors": _names(_mentor_text(m) for m in c.mentors) or _("нет наставников")}
            for place, c in enumerate(themes.suggestions, start=1)]
    return Table("suggestions", _("Темы треков на следующий период"), [
        Column("place", _("№"), INT), Column("topic", _("Тема")),
        Column("mean", _("Средняя трудность"), NUM), Column("count", _("Ответов"), INT),
        Column("mentors", _("Кто может вести"))], rows,
        note=_("Трудные темы, по которым нет ни трека, ни мероприятия; сначала самые трудные."))


def _header(themes):
    return [Fact("municipality", _("Муниципалитет"), themes.municipality.name),
            Fact("period", _("Период"), f"{themes.start:%d.%m.%Y} – {themes.end:%d.%m.%Y}"),
            Fact("rounds", _("Опросы о трудностях"), "; ".join(r.title for r in themes.rounds)
                 or _("нет")),
            Fact("respondents", _("Ответили"), suppressed_text() if themes.suppressed
                 else themes.respondents, INT)]


def themes_form(themes):
    """The report of difficulties → themes as sections of tables."""
    if themes.suppressed:
        rankings = [Table("overall", _("Темы по трудности"), note=_(
            "Ответов меньше %(n)s: результаты скрыты, чтобы нельзя было узнать ответы "
            "отдельного человека.") % {"n": MIN_GROUP})]
    else:
        rankings = [
            Table("overall", _("Темы по трудности"), rank_columns(),
                  ranked_rows(themes.overall)),
            _groups_table("experience", _("По опыту работы"), _("Группа"), themes.experience,
                          themes.hidden_experience),
            _groups_table("schools", _("По школам"), _("Школа"), themes.schools,
                          themes.hidden_schools)]
    sections = [Section("rankings", _("Трудности"), rankings),
                Section("coverage", _("Покрытие"), [_coverage_table(themes)]),
                Section("suggestions", _("Предложения"), [_suggestions_table(themes)])]
    return Form("themes", _("От затруднений к темам: %(municipality)s") % {
        "municipality": themes.municipality.name}, _header(themes), sections,
        f"themes-{themes.start:%Y%m%d}-{themes.end:%Y%m%d}", themes.municipality.time_zone)

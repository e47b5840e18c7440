"""The tidy CSV: one row per person and event, the facts every figure of the report comes from.

Comma-separated UTF-8 (with a BOM, so Excel reads the Cyrillic), ISO dates, 1/0 for yes/no and a
decimal point: `pandas.read_csv(path, parse_dates=["Дата"])` loads it in one call.
"""

from django.utils.translation import gettext as _

from config.spreadsheet import safe_cell
from events.reports import frame as facts


def _columns():
    return {
        "person_id": _("ID участника"), "full_name": _("ФИО"), "school": _("Школа"),
        "role": _("Роль"), "experience": _("Группа стажа"), "event_id": _("ID мероприятия"),
        "event_title": _("Мероприятие"), "date": _("Дата"), "track_number": _("Трек"),
        "form": _("Форма"), "event_hours": _("Ак. часов мероприятия"),
        "registration": _("Запись"), "status": _("Отметка"), "present": _("Присутствовал"),
        "no_show": _("Не пришёл по записи"), "hours": _("Ак. часов засчитано"),
    }


TEXT_COLUMNS = ("full_name", "school", "role", "experience", "event_title", "form",
                "registration", "status")


def tidy_frame(report):
    """The report's rows with Russian headings and values, every text made safe for Excel."""
    columns = _columns()
    rows = report.rows.reindex(columns=list(columns)).copy()
    labels = {"role": facts.role_labels(one=True), "experience": facts.experience_labels(),
              "status": facts.status_labels(),
              "registration": {"confirmed": _("записан(а)"), "waitlisted": _("лист ожидания")}}
    for key, names in labels.items():
        rows[key] = rows[key].map(names)
    rows["registration"] = rows["registration"].fillna(_("без записи"))
    for key in TEXT_COLUMNS:
        rows[key] = rows[key].map(safe_cell)
    for key in ("present", "no_show"):
        rows[key] = rows[key].astype(bool).astype(int)
    rows["track_number"] = rows["track_number"].astype("Int64")
    return rows.rename(columns=columns)


def to_csv(report):
    """The tidy rows as CSV bytes."""
    return tidy_frame(report).to_csv(index=False, date_format="%Y-%m-%d",
                                     lineterminator="\r\n").encode("utf-8-sig")

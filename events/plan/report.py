"""«Отчёт об исполнении плана»: the builder. Each item of a program (within a period) with its
status, the events that carried it out with their attendance, and the evidence.

One builder, several renderers: the page, PDF and XLSX (events/plan/exports.py) all show
`ExecutionReport.table()`, so they cannot disagree.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event
from events.plan.models import PlanItem, PlanResponsible
from events.plan.periods import period_label

HEAD = (gettext_lazy("№"), gettext_lazy("Мероприятие"), gettext_lazy("Срок"),
        gettext_lazy("Ответственные"), gettext_lazy("Исполнение"),
        gettext_lazy("Проведённые мероприятия"), gettext_lazy("Подтверждение"))


@dataclass(frozen=True)
class HeldEvent:
    title: str
    when: str  # local date of the municipality
    state: str  # проведено / запланировано / отменено
    confirmed: int
    attended: int

    def line(self):
        if self.state == _("проведено"):
            counts = _("записано %(confirmed)s, пришли %(attended)s") % {
                "confirmed": self.confirmed, "attended": self.attended}
        else:
            counts = self.state
        return f"{self.when} «{self.title}»: {counts}"


@dataclass(frozen=True)
class ReportRow:
    item_id: int
    number: int | None
    title: str
    period: str
    responsible: str
    status: str
    status_code: str
    note: str
    events: tuple
    evidence_url: str
    evidence_file: str  # the stored file's name; the page links to it


@dataclass
class ExecutionReport:
    program: str
    municipality: str
    start: datetime.date | None
    end: datetime.date | None
    generated: str
    rows: list = field(default_factory=list)

    @property
    def title(self):
        return _("Отчёт об исполнении плана")

    @property
    def period(self):
        if self.start is None and self.end is None:
            return _("весь период программы")
        start = f"{self.start:%d.%m.%Y}" if self.start else "…"
        end = f"{self.end:%d.%m.%Y}" if self.end else "…"
        return f"{start} – {end}"

    @property
    def filename(self):
        return "plan-report"

    def header(self):
        return [(_("Программа"), self.program), (_("Муниципалитет"), self.municipality),
                (_("Период отчёта"), self.period), (_("Сформирован"), self.generated)]

    def counts(self):
        """(status label, number of items) for each status, in the order of the choices."""
        counted = Counter(row.status_code for row in self.rows)
        return [(str(label), counted.get(code, 0)) for code, label in PlanItem.Status.choices]

    def table(self):
        """(head, rows of strings): what every renderer prints."""
        head = [str(label) for label in HEAD]
        rows = []
        for row in self.rows:
            status = row.status + (f"\n{row.note}" if row.note else "")
            events = "\n".join(event.line() for event in row.events) or "—"
            evidence = "\n".join(part for part in (row.evidence_url, row.evidence_file) if part)
            rows.append(["" if row.number is None else str(row.number), row.title, row.period,
                         row.responsible, status, events, evidence or "—"])
        return head, rows


def execution_report(program, *, start=None, end=None, now=None):
    """The report of a program's plan over [start, end] (either may be None: open)."""
    zone = program.municipality.zone
    now = now or timezone.now()
    events = Event.objects.with_counts().order_by("starts_at", "pk")
    items = (PlanItem.objects.filter(program=program).overlapping(start, end)
             .select_related("program")
             .prefetch_related(
                 Prefetch("responsibles", queryset=PlanResponsible.objects.select_related(
                     "person", "organisation")),
                 Prefetch("events", queryset=events))
             .in_order())
    report = ExecutionReport(
        program=program.name, municipality=program.municipality.name, start=start, end=end,
        generated=timezone.localtime(now, zone).strftime("%d.%m.%Y %H:%M"))
    for item in items:
        report.rows.append(ReportRow(
            item_id=item.pk, number=item.number, title=item.title,
            period=period_label(item.period_kind, item.start, item.end, item.at_time),
            responsible=", ".join(r.name for r in item.responsibles.all()),
            status=item.get_status_display(), status_code=item.status, note=item.status_note,
            events=tuple(_held(event, zone, now) for event in item.events.all()),
            evidence_url=item.evidence_url,
            evidence_file=item.evidence_file.name.rsplit("/", 1)[-1] if item.evidence_file
            else ""))
    return report


def _held(event, zone, now):
    if event.is_cancelled:
        state = _("отменено")
    elif event.ends_at <= now:
        state = _("проведено")
    else:
        state = _("запланировано")
    return HeldEvent(title=event.title, when=timezone.localtime(event.starts_at, zone)
                     .strftime("%d.%m.%Y"), state=state, confirmed=event.confirmed_count,
                     attended=event.attended_count)

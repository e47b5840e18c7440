"""GET /api/v1/indicators: the municipal indicators as JSON, and the report as PDF or XLSX."""

from typing import Literal

from django.utils import timezone
from ninja import Query, Router

from indicators import access, exports
from indicators.builder import indicator_report
from indicators.schemas import IndicatorsOut, IndicatorsQuery

router = Router(tags=["Показатели"])


def _report(request, query):
    municipality = access.municipality_for(request.auth, query.municipality_id)
    today = timezone.localdate(timezone=municipality.zone)
    period = access.period_of(query.date_from, query.date_to, today=today)
    return indicator_report(municipality, period)


@router.get("/indicators", response=IndicatorsOut, summary="Показатели муниципалитета")
def indicators(request, query: Query[IndicatorsQuery]):
    """Each indicator as a share (numerator, denominator) with the list behind it, for the
    period and the previous period of the same length."""
    return _report(request, query)


@router.get("/indicators.{fmt}", summary="Отчёт куратора файлом")
def indicators_file(request, fmt: Literal["pdf", "xlsx"], query: Query[IndicatorsQuery]):
    """The same report as a PDF (A4) or an XLSX workbook with charts."""
    return exports.download(_report(request, query), fmt)

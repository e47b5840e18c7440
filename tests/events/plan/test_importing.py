"""Import of a plan table: the Spassky plan in DOCX, XLSX and CSV; re-import; broken tables."""

import pytest

from events.plan import importing
from events.plan.models import PlanItem
from participants.errors import ImportFailed
from tests.events.plan import spassky


def _responsible_as_expected(item):
    return [r.person.last_name if r.person_id else f"text:{r.text}"
            for r in item.responsibles.all()]


@pytest.mark.parametrize(("build", "name"), [(spassky.docx_bytes, "plan.docx"),
                                             (spassky.xlsx_bytes, "plan.xlsx"),
                                             (spassky.csv_bytes, "plan.csv")])
def test_spassky_plan_imports_to_sixteen_items_as_written(spassky_program, spassky_people,
                                                          spassky_curator, build, name):
    importing.apply_import(spassky_program, build(), name, by=spassky_curator)

    items = list(PlanItem.objects.filter(program=spassky_program).order_by("number"))
    assert [item.number for item in items] == list(range(1, 17))
    for item in items:
        kind, start, end = spassky.EXPECTED_PERIODS[item.number]
        assert (item.period_kind, item.starts_on, item.ends_on) == (kind, start, end), item.number
        assert _responsible_as_expected(item) == spassky.EXPECTED_RESPONSIBLE[item.number], \
            item.number
    assert items[5].start == spassky_program.start_date  # «весь период» is the program's
    assert items[5].end == spassky_program.end_date
    assert items[0].title.startswith("Создание творческой группы")
    assert items[0].period_text == "август – 10 сентября 2022 г."


def test_second_import_of_the_same_table_changes_nothing(spassky_program, spassky_people,
                                                         spassky_curator):
    content = spassky.docx_bytes()
    importing.apply_import(spassky_program, content, "plan.docx", by=spassky_curator)
    before = {item.pk: (item.updated_at, item.sequence)
              for item in PlanItem.objects.filter(program=spassky_program)}

    preview = importing.preview_import(spassky_program, content, "plan.docx")
    importing.apply_import(spassky_program, spassky.xlsx_bytes(), "plan.xlsx",
                           by=spassky_curator)

    assert preview.counts() == {"creates": 0, "updates": 0, "unchanged": 16, "errors": 0}
    after = {item.pk: (item.updated_at, item.sequence)
             for item in PlanItem.objects.filter(program=spassky_program)}
    assert after == before


def test_changed_row_updates_only_its_item(spassky_program, spassky_people, spassky_curator):
    importing.apply_import(spassky_program, spassky.docx_bytes(), "plan.docx",
                           by=spassky_curator)
    rows = list(spassky.ROWS)
    rows[3] = ("4.", rows[3][1], "ноябрь 2022 г.", rows[3][3])

    preview = importing.apply_import(spassky_program, spassky.docx_bytes(rows), "plan.docx",
                                     by=spassky_curator)

    assert preview.counts() == {"creates": 0, "updates": 1, "unchanged": 15, "errors": 0}
    assert preview.rows[3]["changes"] == ["period_text", "starts_on", "ends_on"]
    item = PlanItem.objects.get(program=spassky_program, number=4)
    assert (item.starts_on.month, item.sequence) == (11, 1)


def test_broken_table_is_refused_whole_with_rows_and_reasons(spassky_program, spassky_people,
                                                             spassky_curator):
    rows = list(spassky.ROWS)
    rows[2] = ("3.", rows[2][1], "до 31.02.2022", rows[2][3])  # no such date
    rows[6] = ("7.", "", rows[6][2], rows[6][3])  # no title
    rows[9] = ("10.", rows[9][1], "когда-нибудь", "МК")
    rows[12] = ("12.", rows[12][1], rows[12][2], rows[12][3])  # number of row 12 again

    with pytest.raises(ImportFailed) as refused:
        importing.apply_import(spassky_program, spassky.docx_bytes(rows), "plan.docx",
                               by=spassky_curator)

    errors = refused.value.details["errors"]
    # Row numbers as a person counts them in the table: the header is row 1.
    assert {(e["row"], e["message"]) for e in errors} == {
        (4, "Срок «до 31.02.2022»: такой даты нет."),
        (8, "Не указано мероприятие."),
        (11, "Срок «когда-нибудь» не распознан: непонятно «когда»."),
        (14, "Пункт с тем же номером или названием уже есть в строке 13."),
    }
    assert refused.value.message == "В таблице есть ошибки (строк: 4); ничего не записано."
    assert not PlanItem.objects.exists()

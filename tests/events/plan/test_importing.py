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


def test_hostile_cells_are_cleaned_or_refused_with_reasons(spassky_program, spassky_curator):
    rows = [
        ("1", "=HYPERLINK(\"http://x\")\x00 форум\x0b «Образовательные инициативы» 😀 \u202e",
         "август 2022 г.", "МК\x07"),
        ("12345678901234567890", "Мониторинг", "октябрь 2022", "МК"),
        ("3", "я" * 5000, "ноябрь 2022", "МК"),
        ("4", "Формирование реестра", "ноябрь 2022", "М" * 400),
    ]

    preview = importing.preview_import(spassky_program, spassky.csv_bytes(rows), "plan.csv")

    assert preview.rows[0]["title"] == ("=HYPERLINK(\"http://x\") форум «Образовательные "
                                        "инициативы» 😀")
    assert preview.rows[0]["responsible"] == [{"kind": "text", "id": None, "name": "МК"}]
    assert {(e["row"], e["message"]) for e in preview.errors} == {
        (3, "Номер «12345678901234567890» — не целое число."),
        (4, "Название мероприятия длиннее 1000 символов."),
    }
    assert preview.rows[1]["responsible"][0]["name"] == "М" * 300  # cut to the field's size


def test_docx_declaring_xml_entities_is_refused(spassky_program):
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(spassky.docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data.replace(b"?>", b"?><!DOCTYPE d [<!ENTITY x \"boom\">]>", 1)
            target.writestr(member, data)

    with pytest.raises(ImportFailed, match="DTD"):
        importing.preview_import(spassky_program, buffer.getvalue(), "plan.docx")


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"PK\x03\x04not really a zip", "plan.docx", "Не удалось прочитать файл DOCX."),
    (b"\xd0\xcf\x11\xe0", "plan.doc", "Формат DOC не поддерживается: сохраните документ как "
                                      "DOCX."),
    ("Фамилия;Имя\nИванова;Мария\n".encode(), "plan.csv",
     "В таблице нет колонок «Мероприятие» и «Срок» (нужны также «№» и «Ответственные»)."),
])
def test_unreadable_file_is_refused_with_a_reason(spassky_program, content, name, message):
    with pytest.raises(ImportFailed) as refused:
        importing.preview_import(spassky_program, content, name)

    assert refused.value.message == message


def test_person_named_ambiguously_is_a_row_error(spassky_program, spassky_people):
    from tests.factories import PersonFactory

    PersonFactory(municipality=spassky_program.municipality, last_name="Буглак",
                  first_name="Семён", patronymic="Григорьевич")

    preview = importing.preview_import(spassky_program, spassky.csv_bytes(
        [("1", "Мониторинг", "октябрь 2022", "буглак с. г.")]), "plan.csv")

    assert preview.errors == [{"row": 2, "message": "«буглак с.г.»: в реестре несколько "
                               "участников с такими фамилией и инициалами; укажите "
                               "ответственного вручную."}]


def test_person_is_matched_with_yo_as_ye_and_in_any_case(spassky_program):
    from tests.factories import PersonFactory

    person = PersonFactory(municipality=spassky_program.municipality, last_name="Алёшина",
                           first_name="Ёлка", patronymic="Ивановна")

    preview = importing.preview_import(spassky_program, spassky.csv_bytes(
        [("1", "Мониторинг", "октябрь 2022", "АЛЕШИНА Е.И., Е.И. Алешина")]), "plan.csv")

    assert [r["id"] for r in preview.rows[0]["responsible"]] == [person.pk, person.pk]

"""Imports that cannot hurt the server: XML bombs, zip bombs, huge sheets, floods of errors."""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from participants import importing
from participants.errors import ImportFailed
from participants.models import Person

HEADER = ["Фамилия", "Имя", "E-mail"]


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_member(content, name, transform):
    """The XLSX with one member of its zip rewritten by transform(old bytes)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    assert name in source.namelist()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info.filename, transform(data) if info.filename == name else data)
    return target.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [\n<!ENTITY lol "lol">\n'
          + b"".join(b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;")
                                                 * 10) for n in range(1, 10))
          + b"]>\n")


def test_defusedxml_guards_openpyxl():
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("member", [SHEET, "xl/workbook.xml", "xl/styles.xml"])
def test_xlsx_declaring_xml_entities_is_refused_unparsed(municipality, member):
    content = xlsx_bytes([HEADER, ["Ким", "Анна", "a@school.ru"], ["Ли", "Борис", ""]])

    def bomb(data):
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return LAUGHS + body.replace("Ким".encode(), b"&lol9;")

    with pytest.raises(ImportFailed, match="сущност"):
        importing.read_rows(with_member(content, member, bomb), "bomb.xlsx")


def test_xlsx_unpacking_beyond_the_limit_is_refused_before_parsing(municipality):
    content = xlsx_bytes([HEADER, ["Ким", "Анна", "a@school.ru"]])
    padding = b" " * (importing.MAX_UNPACKED_BYTES + 1)
    bomb = with_member(content, SHEET, lambda data: data.replace(b"<sheetData>",
                                                                 b"<sheetData>" + padding))
    assert len(bomb) < importing.MAX_UNPACKED_BYTES // 100  # tiny packed, huge unpacked

    with pytest.raises(ImportFailed, match="распакованном виде больше"):
        importing.read_rows(bomb, "bomb.xlsx")


def test_xlsx_declaring_a_whole_sheet_of_cells_reads_only_what_is_there(municipality):
    # openpyxl pads every row to the declared width and the sheet to the declared height:
    # A1:XFD1048576 meant 17 billion empty cells.
    content = with_member(
        xlsx_bytes([HEADER, ["Ким", "Анна", "a@school.ru"]]), SHEET,
        # openpyxl writes "<dimension ref=.../>" with lxml installed and ".../ >" without it.
        lambda data: re.sub(rb'<dimension ref="A1:C2"\s*/>', b'<dimension ref="A1:XFD1048576"/>',
                            data))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)

    rows = importing.read_rows(content, "wide.xlsx")
    assert rows == [(2, {"last_name": "Ким", "first_name": "Анна", "email": "a@school.ru"})]


def test_too_many_rows_are_refused(municipality):
    lines = [";".join(HEADER)] + [f"Ким{n};Анна;" for n in range(importing.MAX_ROWS + 1)]
    with pytest.raises(ImportFailed, match="строк больше"):
        importing.read_rows("\n".join(lines).encode(), "many.csv")
    # exactly the limit is fine
    assert len(importing.read_rows("\n".join(lines[:-1]).encode(), "many.csv")) == (
        importing.MAX_ROWS)


def test_too_many_columns_are_refused_and_empty_trailing_ones_are_not(municipality):
    wide = HEADER + [f"колонка {n}" for n in range(importing.MAX_COLUMNS)]
    with pytest.raises(ImportFailed, match="колонок больше"):
        importing.read_rows(xlsx_bytes([wide, ["Ким", "Анна", ""]]), "wide.xlsx")
    trailing = ";".join(HEADER) + ";" * 5000 + "\nКим;Анна;" + ";" * 5000
    assert importing.read_rows(trailing.encode(), "t.csv") == [
        (2, {"last_name": "Ким", "first_name": "Анна", "email": ""})]


def test_errors_are_reported_first_hundred_and_a_count(municipality):
    lines = [";".join(HEADER)] + [f";Анна{n};не-почта-{n}" for n in range(300)]
    with pytest.raises(ImportFailed) as caught:
        importing.apply_import(municipality, "\n".join(lines).encode(), "bad.csv")
    details = caught.value.details
    assert len(details["errors"]) == importing.MAX_ERRORS == 100
    assert details["counts"]["errors"] == 600  # two problems in each of 300 rows
    assert details["errors"][0]["row"] == 2 and details["errors"][-1]["row"] == 51
    assert "300" in caught.value.message


def test_a_long_cell_is_quoted_shortened_in_its_error(municipality):
    lines = [";".join(HEADER), "Ким;Анна;" + "x" * 30000]
    plan = importing.plan_import(municipality, "\n".join(lines).encode(), "long.csv")
    assert len(plan.errors) == 1 and len(plan.errors[0].message) < 300


def test_control_characters_in_cells_are_cleaned(municipality):
    lines = [";".join(HEADER), "Ки\x00м\x01;Ан\x0bна\x1b;a@school.ru"]
    importing.apply_import(municipality, "\n".join(lines).encode(), "t.csv")
    person = Person.objects.get(email="a@school.ru")
    assert (person.last_name, person.first_name) == ("Ким", "Ан на")


def test_api_answer_to_a_flood_of_bad_rows_stays_small(curator, municipality):
    lines = [";".join(HEADER)] + [f";Анна;{'ф' * 200}" for n in range(5000)]
    client = Client()
    client.force_login(curator)
    response = client.post("/api/v1/imports", {"file": SimpleUploadedFile(
        "bad.csv", "\n".join(lines).encode())})
    assert response.status_code == 201, response.content[:500]
    assert len(response.content) < 60_000
    assert response.json()["summary"]["counts"]["errors"] == 10000


def test_api_refuses_a_zip_bomb_with_the_error_shape(curator, municipality):
    content = xlsx_bytes([HEADER, ["Ким", "Анна", "a@school.ru"]])
    bomb = with_member(content, SHEET, lambda data: data.replace(
        b"<sheetData>", b"<sheetData>" + b" " * (importing.MAX_UNPACKED_BYTES + 1)))
    client = Client()
    client.force_login(curator)
    response = client.post("/api/v1/imports", {"file": SimpleUploadedFile("b.xlsx", bomb)})
    assert 400 <= response.status_code < 500
    body = response.json()
    assert set(body) == {"code", "message", "details"} and "МБ" in body["message"]


def test_a_dtd_hidden_past_the_prolog_check_is_still_refused_by_defusedxml(municipality):
    # The archive check reads the first 4 KB of each part; a long comment pushes the DTD past
    # it, and then defusedxml (which openpyxl uses once installed) refuses it while parsing.
    content = xlsx_bytes([HEADER, ["Ким", "Анна", "a@school.ru"]])
    comment = b"<!--" + b"x" * 5000 + b"-->\n"
    dtd = LAUGHS[LAUGHS.index(b"<!DOCTYPE"):]
    hidden = with_member(content, SHEET, lambda data: comment + dtd + data.replace(
        "Ким".encode(), b"&lol9;"))
    with pytest.raises(ImportFailed, match="сущност"):
        importing.read_rows(hidden, "hidden.xlsx")

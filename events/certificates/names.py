"""The holder's name in the dative case («выдан Ивановой Марии Петровне») by petrovich.

petrovich declines by rules that need the grammatical gender, and our people carry none: the
patronymic tells it (…вна/…чна — female, …ич — male). Without a patronymic we do
not guess from the first name (Саша, Женя): the certificate then uses the nominative wording
«Выдан: Иванова Мария», which is right for everyone.
"""

from petrovich.enums import Case, Gender
from petrovich.main import Petrovich

_petrovich = None


def _inflector():
    global _petrovich
    if _petrovich is None:  # the rules are a JSON file read once per process
        _petrovich = Petrovich()
    return _petrovich


def gender_of(patronymic):
    ending = (patronymic or "").strip().lower()
    if ending.endswith(("вна", "чна")):
        return Gender.FEMALE
    if ending.endswith("ич"):
        return Gender.MALE
    return None


def _is_cyrillic_word(text):
    return bool(text) and all(ch.isalpha() and "а" <= ch.lower() <= "я" or ch.lower() == "ё"
                              or ch in "- " for ch in text)


def dative(last_name, first_name, patronymic):
    """«Ивановой Марии Петровне», or "" when the name cannot be declined with confidence."""
    gender = gender_of(patronymic)
    parts = (last_name, first_name, patronymic)
    if gender is None or not all(_is_cyrillic_word(part) for part in parts):
        return ""
    inflector = _inflector()
    return " ".join((inflector.lastname(last_name, Case.DATIVE, gender),
                     inflector.firstname(first_name, Case.DATIVE, gender),
                     inflector.middlename(patronymic, Case.DATIVE, gender)))

"""Russian wording shared by the PDF, the verification page and the letter."""

from decimal import Decimal


def number_text(value):
    """«8», «1,5»: a Russian decimal comma, no trailing zero."""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


def hours_text(value):
    """«1 академический час», «2 академических часа», «8 академических часов», «1,5 …часа»."""
    value = Decimal(value)
    if value != value.to_integral_value():
        return f"{number_text(value)} академического часа"
    n = int(value)
    if n % 10 == 1 and n % 100 != 11:
        word = "академический час"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "академических часа"
    else:
        word = "академических часов"
    return f"{n} {word}"

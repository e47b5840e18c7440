"""The bank of best mentoring practices (банк лучших практик, seeds 001 and 003).

An app of its own: a practice is what a finished personal program becomes once «упакована»
(participants owns the program, not what is published from it), with its information card,
its materials, a review per level (school → municipal → regional) and the public bank pages.
It imports participants and notifications; the indicators read its accepted levels.
"""

"""Small-group suppression: the one threshold, and what every evaluation figure does below it.

A group — the respondents of a round, a school, an experience group, the pairs of a before/after
comparison, a round in a trend — with fewer than MIN_GROUP members shows no figure and no free
text, in every form and every export: with three answers, "the mean of the school" is a person.
Zero is no group and shows as zero. The rule holds for named rounds too: their figures are
read by more people than the curator who ran the round.
"""

from django.utils.translation import gettext as _

# The smallest group any figure describes (k); the one place to change it.
MIN_GROUP = 5


def is_small(n):
    """Whether `n` respondents are too few to show: 1..MIN_GROUP-1 (nobody is nothing to hide)."""
    return 0 < n < MIN_GROUP


def suppressed_text():
    return _("скрыто: меньше %(n)s ответов") % {"n": MIN_GROUP}


def hidden_groups(sizes):
    """Groups to suppress: those under MIN_GROUP, and then the smallest shown ones until the
    hidden respondents number MIN_GROUP — else a lone hidden group's figures would follow
    from the total minus the groups shown."""
    hidden = {group for group, n in sizes.items() if n < MIN_GROUP}
    if hidden and sum(sizes[g] for g in hidden) < MIN_GROUP:
        for group, _n in sorted(((g, n) for g, n in sizes.items() if g not in hidden),
                                key=lambda gn: gn[1]):
            hidden.add(group)
            if sum(sizes[g] for g in hidden) >= MIN_GROUP:
                break
    return hidden

"""The municipal indicators (seed 003): a read model over participants, events and surveys.

An app of its own because none of the four core apps owns what it holds: the figures combine
all of them, so it sits at the top of the import chain and nothing below imports it. It also
keeps the few facts the indicators need that no other app records (a school's adoption of the
target model, a practice presented at a level).
"""

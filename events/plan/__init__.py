"""The school's plan as it is written: numbered items with periods, deadlines and responsible
people, imported from the curator's table, shown in the feeds and reported on.

Timed events stay in events/models.py; a plan item is carried out by one event, a series or
none at all (a monitoring task), and keeps its own period and execution status.
"""

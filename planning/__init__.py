"""Planning: read models that combine participants, events and surveys to decide what to do next.

At the top of the import chain: it may import every app, and no app imports it.
"""

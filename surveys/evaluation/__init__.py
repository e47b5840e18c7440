"""Evaluation forms (оценочные листы): the answers counted in the database (counts), the tables
and figures of a question (figures), the forms of a round, a series and a before/after (builder),
their files (exports), pages (views, urls) and REST endpoints (api)."""

"""Link tokens in a message's data are masked for staff; ids and words stay readable."""

from notifications.masking import masked


def test_tokens_in_paths_and_queries_are_masked_everywhere_in_the_data():
    context = {"survey_url": "https://school.example/s/Abc_def-0123456789xyzXYZ0123/",
               "links": ["https://school.example/calendar/q1w2e3r4t5y6u7i8o9p0AS.ics",
                         "https://school.example/signin/?sesame=AAAAAQAAAAAAAbcdefgh1234"],
               "event_url": "https://school.example/events/42/", "count": 3}
    assert masked(context) == {
        "survey_url": "https://school.example/s/•••/",
        "links": ["https://school.example/calendar/•••.ics",
                  "https://school.example/signin/?sesame=•••"],
        "event_url": "https://school.example/events/42/", "count": 3}

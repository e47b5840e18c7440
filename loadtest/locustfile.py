"""Three loads on the site, one user class each (run by loadtest/run.py, one class at a time).

- FeedClient: a subscribed calendar application polling its personal feed with If-None-Match.
- Teacher: one registration for the popular seminar through the API (Bearer token), then gone.
- Respondent: opens an invitation's questionnaire page and submits it, one after another.

The subjects (tokens) come from the JSON file in LOAD_SUBJECTS (manage.py prepare_load).
FastHttpUser (geventhttpclient): locust's cheaper client, since the load runs on the same two
cores as the site.
"""

import json
import os
import random
import re
from itertools import cycle
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, constant_pacing, task
from locust.exception import StopUser

SUBJECTS = json.loads(open(os.environ["LOAD_SUBJECTS"], encoding="utf-8").read())
FEEDS = cycle(SUBJECTS["feeds"])
API_TOKENS = iter(SUBJECTS["api_tokens"])
INVITATIONS = iter(SUBJECTS["invitations"])
POLL_SECONDS = float(os.environ.get("FEED_POLL_SECONDS", "10"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class FeedClient(FastHttpUser):
    wait_time = constant_pacing(POLL_SECONDS)

    def on_start(self):
        token, self.etag = next(FEEDS)
        self.url = f"/calendar/{token}.ics"
        # Subscribed calendars poll at phases of their own, not all at the moment the load
        # starts: the first poll comes at a random point of the first period.
        gevent.sleep(random.uniform(0, POLL_SECONDS))

    @task
    def poll(self):
        # A subscribed client: it has the ETag; a 200 means the feed changed (then it keeps
        # the new one), a 304 that nothing did.
        with self.client.get(self.url, headers={"If-None-Match": self.etag},
                             name="feed: poll with ETag", catch_response=True) as response:
            if response.status_code == 200:
                self.etag = response.headers.get("ETag")
                response.success()
            elif response.status_code == 304:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class Teacher(FastHttpUser):
    wait_time = constant(0)

    @task
    def register(self):
        token = next(API_TOKENS, None)
        if token is None:
            raise StopUser()
        with self.client.post(f"/api/v1/events/{SUBJECTS['event_id']}/registrations",
                              headers={"Authorization": f"Bearer {token}"}, json={},
                              name="registration (API)", catch_response=True) as response:
            if response.status_code in (200, 201):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
        raise StopUser()


class Respondent(FastHttpUser):
    wait_time = constant_pacing(float(os.environ.get("SURVEY_PACING_SECONDS", "3")))

    @task
    def answer(self):
        token = next(INVITATIONS, None)
        if token is None:
            raise StopUser()
        url = f"/s/{token}/"
        page = self.client.get(url, name="survey: page")
        found = CSRF.search(page.text or "")
        if page.status_code != 200 or not found:
            return
        data = {**SUBJECTS["answers"], "action": "submit",
                "csrfmiddlewaretoken": found.group(1)}
        with self.client.post(url, data=urlencode(data), name="survey: post",
                              allow_redirects=False,
                              headers={"Referer": self.host + url,
                                       "Content-Type": "application/x-www-form-urlencoded"},
                              catch_response=True) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")

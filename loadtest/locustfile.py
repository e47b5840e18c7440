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
import time
from itertools import cycle
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, task
from locust.exception import StopUser

SUBJECTS = json.loads(open(os.environ["LOAD_SUBJECTS"], encoding="utf-8").read())
FEEDS = cycle(SUBJECTS["feeds"])
API_TOKENS = iter(SUBJECTS["api_tokens"])
INVITATIONS = iter(SUBJECTS["invitations"])
POLL_SECONDS = float(os.environ.get("FEED_POLL_SECONDS", "10"))
SURGE_SECONDS = float(os.environ.get("SURGE_SECONDS", "10"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PhasedUser(FastHttpUser):
    """A client that comes every `period` seconds at a phase of its own.

    Real subscribers and respondents do not act in step: the first visit comes at a random
    point of the first period, then one every period from it. locust's constant_pacing counts
    from the user's start, so a phase slept in on_start is taken off the first wait and every
    client's second visit lands in the same few seconds: a herd no real population makes.
    """

    abstract = True
    period = 60.0

    def on_start(self):
        gevent.sleep(random.uniform(0, self.period))
        self.next_visit = time.monotonic()

    def wait_time(self):
        self.next_visit += self.period
        return max(0.0, self.next_visit - time.monotonic())


class FeedClient(PhasedUser):
    period = POLL_SECONDS

    def on_start(self):
        token, self.etag = next(FEEDS)
        self.url = f"/calendar/{token}.ics"
        super().on_start()

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
    """One registration at a random moment of the surge, then nothing more.

    All are started at once and each waits for its own moment, so the surge's registrations
    arrive spread over SURGE_SECONDS as people's clicks do. The user stays after registering:
    locust's dispatcher replaces a user that stops at its next step, and with users spawned 50
    a second and stopping after one request the surge came as bursts of ~100 at one instant.
    """

    wait_time = constant(3600)

    def on_start(self):
        gevent.sleep(random.uniform(0, SURGE_SECONDS))

    @task
    def register(self):
        token = next(API_TOKENS, None)
        if token is None:
            return
        with self.client.post(f"/api/v1/events/{SUBJECTS['event_id']}/registrations",
                              headers={"Authorization": f"Bearer {token}"}, json={},
                              name="registration (API)", catch_response=True) as response:
            if response.status_code in (200, 201):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class Respondent(PhasedUser):
    period = float(os.environ.get("SURVEY_PACING_SECONDS", "3"))

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

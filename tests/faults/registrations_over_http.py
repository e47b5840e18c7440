"""The client side of the registration scenarios: set up and read the scenario's database (in a
subprocess, tests/faults/registration_scenario.py) and register one person over HTTP."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

from tests.notifications.cluster import ROOT


def scenario(env, *args):
    done = subprocess.run([sys.executable, "-m", "tests.faults.registration_scenario", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def register(base, event_id, person_id, token):
    """One registration over HTTP: (status, Retry-After, body); status 0 for no answer."""
    request = urllib.request.Request(
        f"{base}/api/v1/events/{event_id}/registrations", method="POST",
        data=json.dumps({"person_id": person_id}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, None, json.loads(response.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            body = json.loads(body)
        except ValueError:
            body = {"raw": body[:200].decode(errors="replace")}
        return error.code, error.headers.get("Retry-After"), body
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return 0, None, {"raw": repr(error)}

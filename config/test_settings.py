"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: E402,F403

# The suite on an SQLite file (.ci/run): config.sqlite queues the writers of a file database
# only, and lends them the process's writer connection; an in-memory one bypasses both.
if os.environ.get("TEST_SQLITE_FILE") and DATABASES["default"]["ENGINE"] == "config.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_SQLITE_FILE"]}  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# A delivery task at each commit, in the committing thread: tests look at the queue at once
# (production coalesces a surge's wake-ups in a thread, notifications/wakeup.py).
NOTIFICATIONS_START_COALESCE_SECONDS = 0
# An API token's use is written in the request (production writes it from a thread).
API_TOKEN_USE_WRITE_SECONDS = 0

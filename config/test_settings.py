"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: E402,F403

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

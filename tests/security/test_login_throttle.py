"""Admin log-in guessing is throttled (issue 18, point 3): django-axes locks an account and address pair."""

import pytest
from django.core.management import call_command

from tests.security.observatory import parse_csp

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(make_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: many log-ins
    user = make_user("Editor", username="ed")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, password, username="ed", ip="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_passwords_lock_out_and_the_right_one_is_refused_until_reset(client, staff, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = log_in(client, "guess")
        assert response.status_code == 200 and "Please enter the correct username and password" in response.text
    locked = log_in(client, "guess")
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.text
    text = locked.text.replace("\xa0", " ")
    assert "locked after 5 wrong passwords" in text and "try again in 1 hour" in text
    assert "The Newsdesk newsroom" in text
    assert "axes_reset_username" in locked.text
    assert parse_csp(locked["Content-Security-Policy"])["default-src"] == ["'none'"]

    refused = log_in(client, PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session

    call_command("axes_reset_username", "ed", verbosity=0)
    welcomed = log_in(client, PASSWORD)
    assert welcomed.status_code == 302 and welcomed["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_the_lock_holds_only_that_account_from_that_address(client, staff, make_user):
    for _ in range(5):
        log_in(client, "guess")
    assert log_in(client, PASSWORD).status_code == 429
    assert log_in(client, PASSWORD, ip="203.0.113.20").status_code == 302, "the editor, elsewhere, still gets in"


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, staff, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "ed", "password": "guess"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )
    response = client.post(
        LOGIN, {"username": "ed", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.99"
    )
    assert response.status_code == 429


def test_staff_unlock_in_the_admin(client, admin_client, staff):
    for _ in range(5):
        log_in(client, "guess")
    attempts = admin_client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200 and "198.51.100.7" in attempts.text
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username="ed").delete()
    assert log_in(client, PASSWORD).status_code == 302

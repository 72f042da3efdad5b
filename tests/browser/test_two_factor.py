"""Two-factor sign-in in a real browser: set it up from the QR page, then sign in with the app's code."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def app_code(secret, steps_ahead=0):
    """What an authenticator app shows for the key typed in by hand."""
    key = base64.b32decode("".join(secret.split()))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_set_up_then_sign_in_with_the_code(admin_page, new_page, reporter, check_a11y):
    page = admin_page(reporter)
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.locator("svg[role=img]")).to_have_attribute("aria-label", "QR code of your two-factor key")
    check_a11y(page)
    secret = page.locator(".two-factor__secret").inner_text()
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert page.locator(".two-factor__backup-codes li").count() == 10
    check_a11y(page)

    fresh = new_page()
    fresh.goto("/admin/")
    check_a11y(fresh)
    fresh.get_by_label("Username").fill(reporter.username)
    fresh.get_by_label("Password").fill("correct horse battery")
    fresh.get_by_role("button", name="Log in").click()
    expect(fresh.locator(".errornote")).to_contain_text("Enter the code your authenticator app shows now")
    fresh.get_by_label("Password").fill("correct horse battery")
    fresh.get_by_label("Two-factor code").fill(app_code(secret, steps_ahead=1))
    fresh.get_by_role("button", name="Log in").click()
    expect(fresh.get_by_role("heading", name="Publishing and moderation")).to_be_visible()

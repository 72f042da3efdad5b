"""Two-factor sign-in for staff: set up with a QR code, asked at every sign-in, required for Editors by a setting."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from staff.models import AuditEntry

LOGIN = reverse("admin:login")
SETUP = reverse("staff:two_factor")
INDEX = reverse("admin:index")
PASSWORD = "correct horse battery"


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def forgive_failures():
    """What waiting out the throttle does, without the wait."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def sign_in(client, user, token=""):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, "otp_token": token, "next": INDEX})


def enroll(client):
    """Set up two-factor for the signed-in user; returns the device and the backup codes shown."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"otp_token": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def enrolled(client, reporter):
    client.force_login(reporter)
    device, codes = enroll(client)
    client.logout()
    return device, codes


def test_the_login_page_asks_for_the_code_as_an_optional_field(client, db):
    html = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in html
    assert 'autocomplete="one-time-code"' in html
    assert "<script>" not in html


def test_without_a_device_the_password_is_enough(client, reporter):
    assert sign_in(client, reporter).status_code == 302
    assert client.get(INDEX).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert (entry.user, entry.note, entry.ip_address) == (reporter, "password only", "127.0.0.1")


def test_setup_page_shows_the_key_as_an_svg_qr_code_and_as_text(client, reporter):
    client.force_login(reporter)
    response = client.get(SETUP)
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=reporter, confirmed=False)
    assert response.status_code == 200
    assert '<svg role="img" aria-label="QR code of your two-factor key"' in html
    assert "<script" not in html.split('id="content-main"')[1]
    assert "style=" not in html.split('id="content-main"')[1]
    assert "".join(re.search(r'two-factor__secret">([A-Z2-7 ]+)<', html).group(1).split())
    # Reloading keeps the same key: the app scanned a minute ago still works.
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=reporter, confirmed=False) == device


def test_a_wrong_code_does_not_turn_it_on(client, reporter):
    client.force_login(reporter)
    client.get(SETUP)
    response = client.post(SETUP, {"otp_token": "000000"})
    assert response.status_code == 400
    assert "not the code the app shows now" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reporter, confirmed=True).exists()


def test_setting_up_shows_ten_backup_codes_once_and_is_audited(client, reporter):
    client.force_login(reporter)
    device, codes = enroll(client)
    assert device.confirmed
    assert len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=reporter).values_list("token", flat=True)) == set(codes)
    assert AuditEntry.objects.filter(user=reporter, action=AuditEntry.Action.TWO_FACTOR_ON).count() == 1
    page = client.get(SETUP).content.decode()
    assert "Two-factor sign-in is on" in page
    assert not any(code in page for code in codes)
    # The session that set it up counts as verified: the admin goes on working.
    assert client.get(INDEX).status_code == 200


def test_new_backup_codes_replace_the_old(client, reporter):
    client.force_login(reporter)
    _, old = enroll(client)
    html = client.post(SETUP, {"new_codes": "1"}).content.decode()
    new = re.findall(r"<li><code>(\w+)</code></li>", html)
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.BACKUP_CODES).exists()


def test_with_a_device_the_password_alone_is_refused(client, reporter, enrolled):
    response = sign_in(client, reporter)
    assert response.status_code == 200
    assert "Enter the code your authenticator app shows now" in response.content.decode()
    assert client.get(INDEX).status_code == 302
    refused = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).get()
    assert (refused.username, refused.note) == ("reporter", "no two-factor code")


def test_a_wrong_code_is_refused_and_audited(client, reporter, enrolled):
    assert sign_in(client, reporter, "123456").status_code == 200
    assert AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED).note == "wrong two-factor code"


def test_the_apps_next_code_signs_in(client, reporter, enrolled):
    """The code used to set up is spent; the app's next one (within the allowed clock drift) works."""
    device, _ = enrolled
    assert sign_in(client, reporter, code_for(device, offset=1)).status_code == 302
    assert client.get(INDEX).status_code == 200
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).latest("id").note == "with two-factor"


def test_a_backup_code_signs_in_once(client, reporter, enrolled):
    _, codes = enrolled
    assert sign_in(client, reporter, codes[0]).status_code == 302
    client.logout()
    assert sign_in(client, reporter, codes[0]).status_code == 200
    forgive_failures()
    assert sign_in(client, reporter, codes[1]).status_code == 302


def test_after_a_wrong_code_even_the_right_one_waits(client, reporter, enrolled, settings):
    """django-otp's throttling: each failure doubles the wait before the next code is even checked."""
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 60  # however slow this machine
    device, _ = enrolled
    assert sign_in(client, reporter, "000000").status_code == 200
    assert sign_in(client, reporter, code_for(device, offset=1)).status_code == 200
    forgive_failures()
    assert sign_in(client, reporter, code_for(device, offset=1)).status_code == 302


def test_a_code_is_good_once(client, reporter, enrolled):
    device, _ = enrolled
    # The code that set the device up cannot sign in again.
    assert sign_in(client, reporter, code_for(device)).status_code == 200


def test_a_session_with_a_device_but_no_code_is_signed_out(client, reporter, enrolled):
    client.force_login(reporter)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    assert "_auth_user_id" not in client.session


@pytest.fixture
def editors_must(settings):
    settings.STAFF_2FA_REQUIRED_GROUPS = ["Editor"]


def test_an_editor_without_a_device_does_nothing_before_setting_it_up(client, editor, make_article, editors_must):
    story = make_article(status=Article.Status.DRAFT)
    assert sign_in(client, editor).status_code == 302
    assert client.get(INDEX)["Location"] == SETUP
    assert client.get(reverse("admin:articles_article_change", args=[story.pk]))["Location"] == SETUP
    action = {"action": "publish_now", "_selected_action": [story.pk]}
    assert client.post(reverse("admin:articles_article_changelist"), action)["Location"] == SETUP
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert client.get(SETUP).status_code == 200
    enroll(client)
    assert client.get(INDEX).status_code == 200
    client.post(reverse("admin:articles_article_changelist"), action)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_other_groups_may_but_need_not(client, reporter, moderator, editors_must):
    for user in (reporter, moderator):
        client.force_login(user)
        assert client.get(INDEX).status_code == 200


def test_a_locked_phone_can_be_reset_by_an_administrator(client, reporter, enrolled, make_user):
    admin_user = make_user(is_superuser=True)
    client.force_login(admin_user)
    device, _ = enrolled
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, reporter).status_code == 302


def test_codes_typed_with_spaces_are_accepted(client, reporter, enrolled):
    device, _ = enrolled
    code = code_for(device, offset=1)
    assert sign_in(client, reporter, f"{code[:3]} {code[3:]}").status_code == 302


def test_every_admin_page_links_to_the_two_factor_page(client, moderator):
    client.force_login(moderator)
    html = client.get(INDEX).content.decode()
    assert f'<a href="{SETUP}">Two-factor sign-in</a>' in html
    assert "Publishing and moderation" in html  # still the site's own admin header and index


def test_joining_a_group_that_must_use_it_counts_in_the_open_session(client, reporter, editors_must):
    assert sign_in(client, reporter).status_code == 302
    assert client.get(INDEX).status_code == 200
    editors = reporter.groups.model.objects.get(name="Editor")
    reporter.groups.add(editors)
    assert client.get(INDEX)["Location"] == SETUP
    editors.user_set.remove(reporter)
    assert client.get(INDEX).status_code == 200


def test_a_removed_device_counts_in_the_open_session(client, reporter, enrolled, editors_must):
    device, _ = enrolled
    assert sign_in(client, reporter, code_for(device, offset=1)).status_code == 302
    assert client.get(INDEX).status_code == 200
    reporter.groups.add(reporter.groups.model.objects.get(name="Editor"))
    assert client.get(INDEX).status_code == 200  # it signed in with its code
    TOTPDevice.objects.filter(pk=device.pk).get().delete()
    assert client.get(INDEX)["Location"] == SETUP


def test_a_draft_preview_waits_for_two_factor_like_the_admin(client, editor, make_article, editors_must):
    story = make_article(status=Article.Status.DRAFT, headline="Not out yet")
    preview = reverse("articles:story_by_id_bare", args=[story.pk])
    assert sign_in(client, editor).status_code == 302
    assert client.get(preview).status_code == 404
    enroll(client)
    assert "Not out yet" in client.get(preview).content.decode()


def test_giving_a_code_leaves_the_users_other_sessions_alone(client, reporter, enrolled):
    """django-otp saves the device at every code given; only setting it up or removing it is a change of rules."""
    from django.core.cache import cache

    from staff.two_factor import rules_key

    device, _ = enrolled
    client.get(LOGIN)  # a later moment: the set-up's changes have committed
    stamp = cache.get(rules_key(reporter.pk))
    assert stamp is not None  # setting the device up was one
    assert sign_in(client, reporter, code_for(device, offset=1)).status_code == 302
    assert client.get(INDEX).status_code == 200
    device.refresh_from_db()
    assert device.last_t is not None  # the device was saved with the code's time step
    assert cache.get(rules_key(reporter.pk)) == stamp
    device.confirmed = False
    device.save()
    client.get(INDEX)
    assert cache.get(rules_key(reporter.pk)) != stamp

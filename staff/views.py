from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import audit, two_factor
from .forms import EnrollForm


def two_factor_page(request):
    """Set up two-factor sign-in (scan, then type one code to prove it works), or renew the backup codes."""
    user = request.user
    context = {**admin.site.each_context(request), "title": _("Two-factor sign-in")}
    if two_factor.has_device(user):
        if request.method == "POST" and "new_codes" in request.POST:
            context["backup_codes"] = two_factor.new_backup_codes(user)
            audit.record(user, audit.Action.BACKUP_CODES, request=request)
        return TemplateResponse(request, "staff/two_factor_on.html", context)
    device = two_factor.pending_device(user)
    form = EnrollForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = two_factor.confirm(request, device, form.cleaned_data["otp_token"])
        if codes is not None:
            audit.record(user, audit.Action.TWO_FACTOR_ON, request=request)
            return TemplateResponse(request, "staff/two_factor_on.html", {**context, "backup_codes": codes})
        form.add_error(
            "otp_token", _("That is not the code the app shows now. Check the phone's clock, then try again.")
        )
    context.update(form=form, qr_svg=two_factor.qr_svg(device), secret=two_factor.secret_text(device))
    return TemplateResponse(request, "staff/two_factor_setup.html", context, status=400 if form.errors else 200)

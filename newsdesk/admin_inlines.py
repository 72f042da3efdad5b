"""Tables of inline rows whose inputs say what they are to screen readers."""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .admin_autocomplete import ValidAutocompleteMixin


class LabelledTabularInline(ValidAutocompleteMixin, admin.TabularInline):
    """A tabular inline whose inputs carry their column's name: a cell of the table has no <label>.

    The autocomplete fields' Select2 boxes take the name from their select (static/js/admin-a11y.js).
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", capfirst(field.label))
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete")

        return LabelledFormSet

"""The admin's autocomplete, with a thumbnail for each photo, so that pickers show what they pick."""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from .models import Photo


class PhotoAwareAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Photo):
            result["thumbnail"] = obj.thumbnail_url()
            result["credit"] = obj.credit
        return result

"""The story editor (django-prose-editor) in admin pages, under the site's Content-Security-Policy."""

from js_asset import Media

# The base stylesheet (ProseMirror's white-space and caret rules) that Tiptap, inside
# django-prose-editor's editor.js, adds to the page as a <style> element. Another editor version
# may change it: tests/browser/test_csp.py then fails, and Chromium's message names the new hash.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class ProseEditorAdminMixin:
    """For a ModelAdmin whose form has the editor: its import map carries the request's nonce, and the
    stylesheet Tiptap writes into the page is allowed by its hash (on these pages only)."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        response = super().render_change_form(request, context, *args, **kwargs)
        response._csp_update = {"style-src": [EDITOR_STYLE_HASH]}
        return response

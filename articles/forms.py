import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.widgets import AdminProseEditorWidget

from . import body, embeds
from .models import Article, Author, LiveUpdate, Section
from .sanitize import check_size, clean_html, paragraph_ends

EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


class DatePicker(forms.DateInput):
    """A date input that never shows a value it cannot hold: HTML allows only a YYYY-MM-DD date there.

    Whatever else a reader or a link sent is left out; the field's error message says what was wrong.
    """

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


def date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=DatePicker(format="%Y-%m-%d"),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )


class AuthorField(forms.ModelChoiceField):
    """An author by name, as readers type it, or by slug, as links carry it.

    A text box rather than a list: a list of every author grows with the
    newsroom, and rendering 2,000 options cost more than the search itself.
    """

    widget = forms.TextInput(attrs={"placeholder": _("Name")})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            named = self.queryset.filter(Q(slug=text) | Q(name__iexact=text))
            author = named.order_by(Case(When(slug=text, then=0), default=1), "pk").first()
        except ValueError:  # e.g. a NUL character, which the database refuses
            author = None
        if author is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return author


def local_midnight(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


class SearchForm(forms.Form):
    """The reader's search and its filters. Anything invalid is reported and left out of the search."""

    q = forms.CharField(
        label=_("Search for"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words, “a phrase”, -excluded")}),
        error_messages={"max_length": _("Please shorten your search to %(limit_value)d characters or fewer.")},
    )
    section = forms.ModelChoiceField(
        Section.objects.only("name", "slug"),
        label=_("Section"),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
        error_messages={"invalid_choice": _("There is no such section; searching all sections.")},
    )
    author = AuthorField(
        Author.objects.only("name", "slug"),
        label=_("Author"),
        required=False,
        error_messages={"invalid_choice": _("There is no such author; searching all authors.")},
    )
    since = date_field(_("From"))
    until = date_field(_("To"))
    order = forms.ChoiceField(
        choices=[("relevance", _("Most relevant")), ("date", _("Newest first"))], required=False, label=_("Sort by")
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    FILTERS = ("section", "author", "since", "until", "order")

    def filter_fields(self):
        return [self[name] for name in self.FILTERS]

    def filters_in_use(self):
        """Whether the reader set a filter (or sent a bad one): then the folded filters start open."""
        return self.is_bound and any(self.data.get(name) for name in self.FILTERS)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date; showing results from any later date."))
        return cleaned


def body_editor_config():
    """The editor offers exactly what sanitize.py keeps, so that nothing an editor formats is lost on save."""
    return {
        "extensions": {
            "Bold": True,
            "Italic": True,
            "Subscript": True,
            "Superscript": True,
            "Heading": {"levels": [2, 3, 4]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HorizontalRule": True,
            "HardBreak": True,
            "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
            "History": True,
            "FieldLabel": True,
            "Embed": {
                "hosts": sorted(host for provider in embeds.PROVIDERS for host in provider.hosts),
                # The label of an embed in the editor (the editor's script has no catalog of its own).
                "label": _("Embed:"),
            },
        }
    }


def checked_body(typed):
    """A body too long or deep to clean is refused before any pass over it; the model's clean then
    refuses markup that would lose words (sanitize.py)."""
    check_size(typed)
    return body.prepare(typed)


class ArticleAdminForm(forms.ModelForm):
    """The story form: a rich-text body (a plain textarea without JavaScript), checked before it is stored."""

    class Meta:
        model = Article
        fields = ["body"]  # the admin's fieldsets add the rest
        widgets = {"body": AdminProseEditorWidget(config=body_editor_config(), preset="configurable")}
        help_texts = {
            "body": _(
                "Paste from Google Docs, Word or a web page: formatting beyond sub-heads, emphasis, lists, "
                "quotes and links is dropped. A YouTube, Vimeo, X, Instagram, TikTok, Facebook, Spotify, "
                "SoundCloud, Datawrapper, Flourish or Google Maps address on a line of its own becomes an embed."
            )
        }

    new_tags = forms.CharField(
        required=False,
        max_length=1000,
        label=_("New tags"),
        help_text=_("Tags not in the list yet, separated by commas; they are created when the story is saved."),
    )

    # The edit lock: the version of the story this form was loaded with. It is in none of the admin's
    # fieldsets (they would give it a label); the change form template puts it in the form.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    new_note = forms.CharField(
        required=False,
        max_length=5000,
        label=_("Add a note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the people working on the story; never shown to readers."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    # Set by ``clean`` when someone else saved the story since this form was loaded (see revisions.Conflict).
    conflict = None

    def clean(self):
        """Refuse to save over a newer save: say what changed, and let a second save knowingly keep this text."""
        cleaned = super().clean()
        loaded = cleaned.get("version")
        if self.instance.pk and loaded is not None and loaded != self.instance.version:
            from .revisions import Conflict

            self.conflict = Conflict(self.instance, loaded)
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(self.instance.version)
            raise ValidationError(
                _(
                    "Someone else saved this story while you were editing it. Your changes are kept in the form "
                    "below and were not saved: compare them with what changed, then save again to keep yours."
                ),
                code="conflict",
            )
        if loaded is None:
            cleaned["version"] = self.instance.version
        self.keep_stored_precision(cleaned)
        return cleaned

    def keep_stored_precision(self, cleaned):
        """A date the editor left as shown keeps the value stored. The widget shows whole seconds; saving
        what it shows would move a story published "now" (with microseconds) on its first save after, and
        make every list that shows its card stale for an edit that changed only the body."""
        for name in cleaned.keys() - set(self.changed_data):
            if isinstance(self.fields[name], forms.SplitDateTimeField) and getattr(self.instance, name, None):
                cleaned[name] = getattr(self.instance, name)

    def clean_body(self):
        return checked_body(self.cleaned_data["body"])

    def clean_new_tags(self):
        names = list(dict.fromkeys(name.strip() for name in self.cleaned_data["new_tags"].split(",") if name.strip()))
        for name in names:
            if len(name) > 80:
                raise ValidationError(
                    _("“%(name)s…” is longer than a tag can be (80 characters).") % {"name": name[:40]}
                )
            if not slugify(name):
                raise ValidationError(
                    _("“%(name)s” has no letters or digits to make a tag's address from.") % {"name": name}
                )
        return names


class InBodyFormSet(forms.BaseInlineFormSet):
    """What sits inside the body ("Also read" links, photos) must fall inside it: a paragraph past its end errs."""

    def clean(self):
        super().clean()
        count = len(paragraph_ends(clean_html(self.instance.body)))
        for form in self.forms:
            after = form.cleaned_data.get("after_paragraph") if form.cleaned_data else None
            if after is None or form.cleaned_data.get("DELETE"):
                continue
            if after < 1:
                form.add_error("after_paragraph", _("Paragraphs are counted from 1."))
            elif after > count:
                form.add_error(
                    "after_paragraph",
                    ngettext("The body has %d paragraph; ", "The body has %d paragraphs; ", count) % count
                    + _("choose a number from 1 to %(last)d (the numbers in the editor's margin).")
                    % {"last": max(count, 1)},
                )


class LiveUpdateForm(forms.ModelForm):
    """A live update: the same editor and the same checks as a story's body."""

    class Meta:
        model = LiveUpdate
        fields = ["article", "posted_at", "headline", "body", "author", "photo", "pinned"]
        widgets = {"body": AdminProseEditorWidget(config=body_editor_config(), preset="configurable")}

    def clean_body(self):
        return checked_body(self.cleaned_data["body"])

import datetime
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections
from django.db.models import Case, Q, When
from django.utils import timezone

from .metadata import plain_text
from .models import MARK_START, MARK_STOP, Article, Author, Section, search_words

EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


def date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST), MaxValueValidator(LATEST)],
    )


class AuthorField(forms.ModelChoiceField):
    """An author by name, as readers type it, or by slug, as links carry it.

    A text box rather than a list: a list of every author grows with the
    newsroom, and rendering 2,000 options cost more than the search itself.
    """

    widget = forms.TextInput(attrs={"placeholder": "Name"})

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


def mark_words(text, words, width=None):
    """``text`` with ``words`` between the search markers: the fallback's highlighting.

    With ``width``, only about that many characters around the first match.
    """
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    if width:
        first = pattern.search(text)
        start = max((first.start() if first else 0) - width // 3, 0)
        text = ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")
    return pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_STOP}", text)


class ResultsPage:
    """One page of results, found without counting every match.

    Fetching one row past the page tells whether another page follows; a
    count(*) over all matches of a common word would cost more than the page.
    """

    def __init__(self, queryset, number, per_page):
        start = (number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.object_list = rows[:per_page]
        self.number = number
        self.start_index = start + 1
        self.has_previous = number > 1
        self.has_next = len(rows) > per_page and number < settings.SEARCH_MAX_PAGES

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


class SearchForm(forms.Form):
    """The reader's search and its filters. Anything invalid is reported and left out of the search."""

    q = forms.CharField(
        label="Search for",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words, “a phrase”, -excluded"}),
        error_messages={"max_length": "Please shorten your search to %(limit_value)d characters or fewer."},
    )
    section = forms.ModelChoiceField(
        Section.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label="All sections",
        error_messages={"invalid_choice": "There is no such section; searching all sections."},
    )
    author = AuthorField(
        Author.objects.only("name", "slug"),
        required=False,
        error_messages={"invalid_choice": "There is no such author; searching all authors."},
    )
    since = date_field("From")
    until = date_field("To")
    order = forms.ChoiceField(
        choices=[("relevance", "Most relevant"), ("date", "Newest first")], required=False, label="Sort by"
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date; showing results from any later date.")
        return cleaned

    def results(self):
        """The requested page of matching live stories, or None when there is nothing to search for.

        Invalid filters are reported by the form and left out; the valid ones apply.
        """
        if not self.is_bound or "q" in self.errors:
            return None
        criteria = self.cleaned_data
        text = criteria.get("q")
        if not text:
            return None
        stories = Article.objects.published()
        if criteria.get("section"):
            stories = stories.filter(section=criteria["section"])
        if criteria.get("author"):
            stories = stories.filter(bylines__author=criteria["author"])
        if criteria.get("since"):
            stories = stories.filter(publish_at__gte=local_midnight(criteria["since"]))
        if criteria.get("until"):
            stories = stories.filter(publish_at__lt=local_midnight(criteria["until"] + datetime.timedelta(days=1)))
        order = criteria.get("order") or "relevance"
        number = min(criteria.get("page") or 1, settings.SEARCH_MAX_PAGES)
        # This page and the row after it, which tells whether another page follows.
        depth = number * settings.PAGE_SIZE + 1
        found = stories.search(text, order=order, depth=depth).for_listing()
        page = ResultsPage(found, number, settings.PAGE_SIZE)
        ranked = connections[found.db].vendor == "postgresql" and order == "relevance"
        # On the last page of a full ranking window, say so and link to the page of older matches by date.
        window_full = not page.has_next and page.start_index + len(page.object_list) > settings.SEARCH_RANK_WINDOW
        page.ranked_newest = settings.SEARCH_RANK_WINDOW if ranked and window_full else None
        page.older_by_date = settings.SEARCH_RANK_WINDOW // settings.PAGE_SIZE + 1
        highlight(page.object_list, text)
        return page


def highlight(stories, text):
    """Give each story its headline and a snippet with the words of ``text`` marked."""
    if stories and connections[Article.objects.db].vendor == "postgresql":
        marked = Article.objects.filter(pk__in=[story.pk for story in stories]).highlights(text)
        for story in stories:
            story.headline_marked, story.snippet = marked[story.pk]
        return
    words = search_words(text)
    for story in stories:
        story.headline_marked = mark_words(story.headline, words)
        story.snippet = mark_words(plain_text(story.body), words, width=240)

"""The menu, breadcrumbs and footer every page of the stand-in shows, looked up on each request."""

from django import template
from wagtail.models import Page, Site

from standin.base.models import FooterText

register = template.Library()


@register.simple_tag(takes_context=True)
def get_site_root(context):
    return Site.find_for_request(context["request"]).root_page


def has_menu_children(page):
    return page.get_children().live().in_menu().exists()


@register.inclusion_tag("tags/top_menu.html", takes_context=True)
def top_menu(context, parent, calling_page=None):
    items = parent.get_children().live().in_menu()
    for item in items:
        item.show_dropdown = has_menu_children(item)
        item.active = bool(calling_page) and calling_page.url_path.startswith(item.url_path)
    return {"calling_page": calling_page, "menuitems": items, "request": context["request"]}


@register.inclusion_tag("tags/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"ancestors": []}
    return {
        "ancestors": Page.objects.ancestor_of(page, inclusive=True).filter(depth__gt=1),
        "request": context["request"],
    }


@register.inclusion_tag("includes/footer_text.html", takes_context=True)
def get_footer_text(context):
    footer = FooterText.objects.filter(live=True).first()
    return {"footer_text": footer.body if footer else ""}

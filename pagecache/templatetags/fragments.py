from django import template
from django.utils.safestring import mark_safe

from .. import fragments

register = template.Library()


@register.tag
def fragment(parser, token):
    """``{% fragment "name" part ... tags=list %}...{% endfragment %}``: the block, stored as a fragment.

    ``name`` and the parts tell it apart; ``tags`` name everything the block
    shows (see pagecache.fragments), besides the tags recorded while it
    renders. A function marked ``do_not_call_in_templates`` is called for the
    tags only when the block is rendered (the rows it reads are read then).
    Without tags (a reader's personal view of it), the block is rendered each
    time and never stored; with an empty list, it is kept while the page
    generation stands (for what only site-wide changes change).
    """
    bits = token.split_contents()[1:]
    tags = [bit.removeprefix("tags=") for bit in bits if bit.startswith("tags=")]
    parts = [parser.compile_filter(bit) for bit in bits if not bit.startswith("tags=")]
    if len(tags) != 1 or not parts:
        raise template.TemplateSyntaxError("{% fragment %} takes a name, optional parts and tags=…")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parts, parser.compile_filter(tags[0]), nodelist)


class FragmentNode(template.Node):
    def __init__(self, parts, tags, nodelist):
        self.parts, self.tags, self.nodelist = parts, tags, nodelist

    def render(self, context):
        tags = self.tags.resolve(context)
        if tags is None or tags == "":  # None, or no such variable
            return self.nodelist.render(context)
        name = fragments.key(*(part.resolve(context) for part in self.parts))
        (html,) = fragments.render_many(context.get("request"), [(name, tags, lambda: self.nodelist.render(context))])
        return mark_safe(html)  # a rendered template, escaped as it was rendered

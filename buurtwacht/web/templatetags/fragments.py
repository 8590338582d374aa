"""{% fragment "name" key ... %}...{% endfragment %}: a block rendered once per process for
the same name, key values and language, and reused (web/fragments.py).  The key must name
everything the block shows; inside it the CSRF token and any CLIENT_ID are markers, put
in for each request."""

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from buurtwacht.web import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, key: list[Any]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.key = key

    def render(self, context: template.Context) -> SafeString:
        parts = [self.name.resolve(context), *(part.resolve(context) for part in self.key)]
        key = fragments.digest("fragment", get_language(), *parts)
        html = fragments.FRAGMENTS.get(key)
        if html is None:
            with context.push(csrf_token=fragments.CSRF):
                html = self.nodelist.render(context)
            fragments.FRAGMENTS.put(key, html)
        return fragments.personal(context["request"], html)


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )

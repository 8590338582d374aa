"""Group health on the admins' pages: a few short advice lines (groups/selectors.py)."""

from django import template

from buurtwacht.groups.models import Group
from buurtwacht.groups.selectors import HealthAdvice, group_health

register = template.Library()


@register.inclusion_tag("groups/_health.html")
def health_advice(group: Group) -> dict[str, list[HealthAdvice]]:
    return {"advice": group_health(groups=[group])[group.pk]}

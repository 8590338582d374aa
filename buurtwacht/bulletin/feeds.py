"""The Atom feed of a group's public notices (R-RUL-7), with Django's syndication."""

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from buurtwacht.groups.models import Group

from . import selectors
from .models import Notice


class GroupNoticesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Group:
        group = Group.objects.filter(pk=kwargs["group_id"]).first()
        if group is None:
            raise Http404
        return group

    def title(self, obj: Group) -> str:
        return _("News of %(group)s") % {"group": obj.name}

    def subtitle(self, obj: Group) -> str:
        return _("Public notices of the neighbourhood watch group %(group)s") % {"group": obj.name}

    def link(self, obj: Group) -> str:
        return reverse("register_group", args=[obj.pk])

    def feed_guid(self, obj: Group) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("bulletin_feed", args=[obj.pk])

    def author_name(self, obj: Group) -> str:
        return obj.name

    def items(self, obj: Group) -> list[Notice]:
        return list(selectors.published_notices(group_id=obj.pk, limit=20))

    def item_title(self, item: Notice) -> str:
        return item.title

    def item_description(self, item: Notice) -> str:
        # Atom's summary is HTML here: the text escaped, its line breaks kept.
        return linebreaksbr(item.body, autoescape=True)

    def item_link(self, item: Notice) -> str:
        return reverse("register_group", args=[item.group_id]) + f"#bericht-{item.pk}"

    def item_guid(self, item: Notice) -> str:
        return f"{settings.SITE_URL.rstrip('/')}/kaart/groep/{item.group_id}/berichten/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Notice) -> Any:
        return item.published_at

    def item_updateddate(self, item: Notice) -> Any:
        return item.published_at

    def item_categories(self, item: Notice) -> list[str]:
        return [str(item.get_kind_display())]  # type: ignore[attr-defined]

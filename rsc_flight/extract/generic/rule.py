"""The generic rule: every field's rule, in order, each given what it depends on.

The order is the dependency order: the page's URL comes first because links are
resolved against it; the site's name before the title and description that must not be
it; the navigation before the category found in it; the body before the previous/next
links found outside it.  Each value a later rule needs is passed to it as an argument;
nothing is written into ``context.found`` while the rule runs.
"""

from __future__ import annotations

from ..model import SiteSnapshot
from ..rules import Candidate, RuleContext
from . import body, dates, identity, people, prefer, props, taxonomy
from .evidence import Evidence
from .scope import Scope, resolver

__all__ = ["generic_fields"]


def generic_fields(context: RuleContext) -> dict[str, Candidate]:
    """The generic rule: candidates for every field it can find evidence for.

    Beside fields, it leaves in ``context.shared`` what the article keeps of the page:
    the head entries, the JSON-LD objects, the canonical URL as declared, the site
    snapshot, and warnings.
    """
    ev = Evidence.read(context)
    scope = Scope.read(context)
    shared = context.shared
    shared["head"] = tuple(entry for entry, _ in ev.entries)
    shared["json_ld"] = tuple(item for item, _ in ev.ld)
    shared["canonical"] = ev.canonical
    warnings: list[str] = shared.setdefault("warnings", [])
    warnings.extend(ev.warnings)

    # Links are resolved against the page's URL once it is known; before, against what
    # earlier rules found or the caller gave.
    known_url = context.current("url")
    origin = identity.site_origin(ev, context.url)
    url = identity.page_url(context, ev, origin, resolver(known_url or context.url))
    page_url = url.value if url is not None else known_url
    resolve = resolver(page_url or context.url)

    # The body first: the "Updated:" label is looked for outside it.
    found_body = body.body(context, scope.nodes)
    if found_body.warning is not None:
        warnings.append(found_body.warning)
    site_name = identity.site_name(ev)
    fields = {
        "url": url,
        "title": identity.title(context, ev, scope),
        "site_name": site_name,
        "description": identity.description(ev, site_name.value),
        "authors": people.authors(context, ev, scope),
        "published": dates.published(ev, scope, context.page.route_path),
        "modified": dates.modified(context, ev, scope, found_body.node),
        "language": identity.language(context, ev),
        "tags": taxonomy.tags(context, ev, scope),
    }
    nav = taxonomy.navigation(context, scope.article, resolve)
    shared["site"] = SiteSnapshot(
        name=site_name.value,
        origin=origin,
        description=identity.site_description(ev, site_name.value),
        build_id=context.page.build_id,
        navigation=tuple(nav),
    )
    fields["categories"] = taxonomy.categories(ev, nav, page_url)
    fields["image"] = identity.image(ev, resolve)
    fields["robots"] = identity.robots(ev)
    fields["body_html"] = found_body.candidate
    # Only the page's links can be neighbours: those are what neighbours() reads.
    fields["prev"], fields["next"] = body.neighbours(
        context, ev, scope.page_links, found_body.node, resolve
    )
    # The post a client component carries fills in what the markup leaves out.
    post = props.find_post(context)
    if post is not None:
        post_fields = props.post_fields(post, resolve)
        body_html = found_body.candidate.value if found_body.candidate is not None else None
        prefer.prefer_props(context, fields, post_fields, body_html, warnings)
    return {
        name: found
        for name, found in fields.items()
        if found is not None and found.value not in (None, "", (), [])
    }

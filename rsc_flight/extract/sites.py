"""Rules shipped with rsc_flight for themes and sites the generic extractor cannot read alone.

``THEME_MINIMAL_MISTAKES`` reads the markup of Jekyll's *Minimal Mistakes* theme and its
ports to Next.js (class names ``page__title``, ``page__meta``, ``page__content``,
``page__taxonomy-item``): it pins title, date, tags and body to where the theme puts them.

``SITE_SECRETT2633`` adds what only the site's language and conventions tell: the
modified date after "수정:" ("modified:"), the previous/next list ("이전글"/"다음글"),
the category in the heading "<category> 의 다른글" ("other posts in <category>"), the
permalink a client component receives, and the reviewed paper's link and authors in the
body (the body's "저자:" line names the *paper's* authors, not the post's).
"""

from __future__ import annotations

from .rules import FieldSpec, Rule

__all__ = ["SITE_RULES", "SITE_SECRETT2633", "THEME_MINIMAL_MISTAKES"]

THEME_MINIMAL_MISTAKES = Rule(
    name="theme.minimal-mistakes",
    requires=("h1.page__title",),
    fields={
        "title": FieldSpec("h1.page__title"),
        "published": FieldSpec(".page__meta time", take="@dateTime", parse="date"),
        "tags": FieldSpec(".page__taxonomy-item", parse="strip:# ", many=True),
        "body_html": FieldSpec(".page__content [dangerouslySetInnerHTML]", take="html"),
    },
)

SITE_SECRETT2633 = Rule(
    name="site.secrett2633",
    hosts=("blog.secrett2633.site", "secrett2633.github.io"),
    requires=("h1.page__title",),
    fields={
        "modified": FieldSpec(".page__meta span", label="수정:", parse="date"),
        "prev": FieldSpec("section li:text-starts('이전글')", take="link"),
        "next": FieldSpec("section li:text-starts('다음글')", take="link"),
        "categories": FieldSpec("article > section > h3", parse=r"regex:^(.+?)\s*의 다른글$"),
        "url": FieldSpec("$*[postPermalink]", take="@postPermalink"),
        "extras.series": FieldSpec("h1.page__title", parse=r"regex:^(\[[^\]]+\])"),
        "extras.paper_url": FieldSpec(
            "body://blockquote//a[contains(@href, 'arxiv.org/abs/')]", take="@href"
        ),
        "extras.paper_authors": FieldSpec(
            "body://p[strong[starts-with(normalize-space(.), '저자:')]]",
            label="저자:",
            parse="split:,",
            many=True,
        ),
        "extras.ai_generated": FieldSpec(
            "body://blockquote[contains(., 'AI로 작성되었습니다')]", take="exists"
        ),
    },
)

#: The site and theme rules shipped with the library, in the order they apply.
SITE_RULES = (THEME_MINIMAL_MISTAKES, SITE_SECRETT2633)

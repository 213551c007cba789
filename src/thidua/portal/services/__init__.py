"""Every portal write: permission check, sanitised HTML, checked images, action log.

One module per concern (site, articles, exhibition, review, books, events; shared helpers in
_common); this package re-exports the public API, so ``services.article_save`` keeps working."""

from thidua.portal.services._common import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    RESERVED_SLUGS,
    SLUG_LENGTH,
    URL_SCHEMES,
    Upload,
    make_slug,
    sanitize_html,
    text_of,
)
from thidua.portal.services.articles import (
    ArticleFields,
    article_delete,
    article_publish,
    article_save,
    article_submit,
    article_unpublish,
)
from thidua.portal.services.books import BOOK_FIELDS, book_delete, book_move, book_save
from thidua.portal.services.events import EVENT_FIELDS, event_delete, event_save, event_shown
from thidua.portal.services.exhibition import (
    PhotoFields,
    album_delete,
    album_save,
    photo_add,
    photo_delete,
    photo_move,
    photo_submit,
    photo_withdraw,
)
from thidua.portal.services.review import submission_review
from thidua.portal.services.site import section_create, site_save

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "BOOK_FIELDS",
    "EVENT_FIELDS",
    "RESERVED_SLUGS",
    "SLUG_LENGTH",
    "URL_SCHEMES",
    "ArticleFields",
    "PhotoFields",
    "Upload",
    "album_delete",
    "album_save",
    "article_delete",
    "article_publish",
    "article_save",
    "article_submit",
    "article_unpublish",
    "book_delete",
    "book_move",
    "book_save",
    "event_delete",
    "event_save",
    "event_shown",
    "make_slug",
    "photo_add",
    "photo_delete",
    "photo_move",
    "photo_submit",
    "photo_withdraw",
    "sanitize_html",
    "section_create",
    "site_save",
    "submission_review",
    "text_of",
]

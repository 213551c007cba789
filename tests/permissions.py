"""The permission matrix: every role × every named URL → expected status.

Later issues add their URLs here; test_permissions fails on any URL missing from MATRIX.
"""

from collections.abc import Callable
from typing import Any

ROLES = [
    "anonymous",
    "no_totp",
    "system_admin",
    "emulation_office",
    "council_member",
    "signer",
    "unit_officer",
    "unit_head",
    "media_staff",
    "contest_organiser",
]
SIGNED_IN = ROLES[2:]
CITY = {"system_admin", "emulation_office", "council_member", "signer"}
MANAGERS = {"system_admin", "emulation_office"}
PEOPLE_EDITORS = MANAGERS | {"unit_officer", "unit_head"}
UNIT_ROLES = {"unit_officer", "unit_head", "media_staff", "contest_organiser"}
WARD = {"unit_officer", "unit_head"}  # phường Suối Hoa
CENTRE = {"media_staff", "contest_organiser"}  # the Trung tâm: another unit
# A dossier: its unit, Nội vụ and signers (council members only for dossiers on their agenda).
DOSSIER = {"emulation_office", "signer", "unit_officer", "unit_head"}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def staff(allowed: set[str] | None = None, denied: int = 403, ok: int = 200) -> dict[str, int]:
    """Signed-in page: anonymous → login, no TOTP → TOTP page, then allowed roles see it."""
    table = {"anonymous": 302, "no_totp": 302}
    for role in SIGNED_IN:
        table[role] = ok if allowed is None or role in allowed else denied
    return table


def only(
    allowed: set[str],
    *,
    hidden: set[str] = frozenset(),
    denied: int = 403,
    denied_for: set[str] = frozenset(),
) -> dict[str, int]:
    table = staff(set(allowed) - set(denied_for), denied)
    table.update(dict.fromkeys(hidden, 404))
    return table


# url name -> (kwargs builder taking the fixtures dict, expected statuses per role)
Kwargs = Callable[[dict[str, Any]], dict[str, Any]]
NONE: Kwargs = lambda f: {}  # noqa: E731
ISSUED: Kwargs = lambda f: {"pk": f["issued"].pk}  # noqa: E731
SITE: Kwargs = lambda f: {"slug": f["site"].slug}  # noqa: E731
ARTICLE: Kwargs = lambda f: {"pk": f["article"].pk}  # noqa: E731
MEDIA = {"media_staff"}


def public(status: int = 200) -> dict[str, int]:
    """A public portal page: every visitor; TOTP still comes first for a signed-in account."""
    return everyone(status) | {"no_totp": 302}


MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    "core:home": (NONE, everyone(302)),
    "workspace:home": (NONE, staff()),
    "core:healthz": (NONE, everyone(200)),
    "core:readyz": (NONE, everyone(200)),
    "core:metrics": (NONE, everyone(200)),  # the test client is 127.0.0.1, the allowed scraper
    "core:job": (lambda f: {"pk": f["job"].pk}, only(set())),  # only whoever started it
    "core:job-download": (lambda f: {"pk": f["job"].pk}, only(set())),
    "accounts:login": (NONE, {**everyone(302), "anonymous": 200}),
    "accounts:logout": (NONE, everyone(405)),
    # Before the second factor only sign-out and the TOTP step (issue 18, M1); an account
    # without an authenticator is sent on to the enrolment code.
    "accounts:totp": (NONE, {**everyone(200), "anonymous": 302, "no_totp": 302}),
    "accounts:totp-enrol": (NONE, {**everyone(200), "anonymous": 302}),
    "accounts:password-change": (NONE, staff()),
    "accounts:password-change-done": (NONE, staff()),
    "accounts:password-reset": (NONE, public()),
    "accounts:password-reset-done": (NONE, public()),
    "accounts:password-reset-confirm": (lambda f: {"uidb64": "MQ", "token": "sai"}, public()),
    "accounts:password-reset-complete": (NONE, public()),
    "organizations:unit-tree": (NONE, staff()),
    "organizations:unit-list": (NONE, staff()),
    "organizations:unit-create": (NONE, only(MANAGERS)),
    "organizations:unit-merge": (NONE, only(MANAGERS)),
    "organizations:unit-import": (NONE, only(MANAGERS)),
    "organizations:unit-export": (NONE, staff()),
    "organizations:unit-template": (NONE, staff()),
    "organizations:unit-detail": (
        lambda f: {"pk": f["city"].vu_ninh.pk},
        only(SIGNED_IN, hidden={"unit_officer", "unit_head", "media_staff", "contest_organiser"}),
    ),
    "organizations:unit-edit": (lambda f: {"pk": f["city"].vu_ninh.pk}, only(MANAGERS)),
    "organizations:person-list": (NONE, staff()),
    "organizations:person-create": (NONE, only(PEOPLE_EDITORS)),
    "organizations:person-import": (NONE, only(PEOPLE_EDITORS)),
    "organizations:person-export": (NONE, only(PEOPLE_EDITORS)),
    "organizations:person-template": (NONE, staff()),
    "organizations:person-edit": (
        lambda f: {"pk": f["person"].pk},  # a person of phường Suối Hoa
        only(PEOPLE_EDITORS, hidden={"media_staff", "contest_organiser"}),
    ),
    "organizations:import-errors": (
        lambda f: {"pk": f["batch"].pk},
        only(set(), hidden=set(SIGNED_IN)),
    ),
    "organizations:block-list": (NONE, staff()),
    "organizations:block-create": (NONE, only(MANAGERS)),
    "organizations:block-edit": (lambda f: {"pk": f["block"].pk}, only(MANAGERS)),
    "organizations:user-list": (NONE, only({"system_admin"})),
    "organizations:user-create": (NONE, only({"system_admin"})),
    "organizations:user-detail": (lambda f: {"pk": f["person_user"].pk}, only({"system_admin"})),
    "organizations:user-toggle-active": (lambda f: {"pk": f["person_user"].pk}, staff(ok=405)),
    "organizations:user-login-unlock": (lambda f: {"pk": f["person_user"].pk}, staff(ok=405)),
    "organizations:user-totp-enrolment": (
        lambda f: {"pk": f["person_user"].pk},
        staff(ok=405),
    ),
    "organizations:user-role-revoke": (lambda f: {"pk": 1, "grant_pk": 1}, staff(ok=405)),
    "notifications:notice-list": (NONE, staff()),
    "notifications:preferences": (NONE, staff()),
    # campaigns: `draft` is a draft plan, `issued` the issued seed plan sent to every unit here
    "campaigns:campaign-list": (NONE, staff()),
    "campaigns:campaign-import": (NONE, only({"emulation_office"})),
    # POST only (a GET is 405 once signed in); a post without the signed review is sent back
    "campaigns:campaign-import-review": (NONE, staff(ok=405)),
    "campaigns:campaign-detail": (lambda f: {"pk": f["issued"].pk}, staff()),
    "campaigns:campaign-review": (
        lambda f: {"pk": f["draft"].pk},
        only({"emulation_office"}, hidden=UNIT_ROLES),
    ),
    "campaigns:campaign-edit": (
        lambda f: {"pk": f["draft"].pk},
        only({"emulation_office"}, hidden=UNIT_ROLES),
    ),
    "campaigns:campaign-preview": (lambda f: {"pk": f["draft"].pk}, only(CITY, hidden=UNIT_ROLES)),
    "campaigns:assignment-create": (
        lambda f: {"pk": f["draft"].pk},
        only({"emulation_office"}, hidden=UNIT_ROLES),
    ),
    "campaigns:assignment-edit": (
        lambda f: {"pk": f["draft"].pk, "assignment_pk": f["draft"].assignments.first().pk},
        only({"emulation_office"}, hidden=UNIT_ROLES),
    ),
    "campaigns:campaign-issue": (lambda f: {"pk": f["draft"].pk}, staff(ok=405)),
    "campaigns:campaign-transition": (
        lambda f: {"pk": f["issued"].pk, "step": "close"},
        staff(ok=405),
    ),
    "campaigns:campaign-acknowledge": (lambda f: {"pk": f["issued"].pk}, staff(ok=405)),
    "campaigns:campaign-copy": (lambda f: {"pk": f["issued"].pk}, staff(ok=405)),
    "campaigns:campaign-delete": (
        lambda f: {"pk": f["draft"].pk},
        only({"emulation_office"}, hidden=UNIT_ROLES),
    ),
    "campaigns:activity-form-add": (lambda f: {"pk": f["issued"].pk}, staff(ok=405)),
    "campaigns:campaign-deliveries": (lambda f: {"pk": f["issued"].pk}, only(CITY)),
    "campaigns:campaign-pdf": (lambda f: {"pk": f["issued"].pk}, staff()),
    "campaigns:campaign-docx": (lambda f: {"pk": f["issued"].pk}, staff()),
    "campaigns:task-list": (NONE, staff()),
    # reporting: a request sent to phường Suối Hoa, with an aggregate and an urging letter
    "awards:nomination-list": (ISSUED, staff()),
    "awards:session-create": (ISSUED, only({"emulation_office"})),
    "awards:nomination-detail": (
        lambda f: {"pk": f["nomination"].pk},
        only(DOSSIER, hidden=set(SIGNED_IN) - DOSSIER),
    ),
    # one URL per change of a dossier: POST only (a GET is 405 once signed in)
    **{
        f"awards:{name}": (lambda f: {"pk": f["nomination"].pk}, staff(ok=405))
        for name in (
            "nominee-person-add",
            "nominee-unit-add",
            "nominee-household-add",
            "document-attach",
            "nomination-send",
            "nomination-head-return",
            "nomination-submit",
            "nomination-receive",
            "nomination-appraise",
            "nomination-delete",
        )
    },
    **{
        f"awards:nominee-{name}": (
            lambda f: {"pk": f["nomination"].pk, "nominee_pk": 1},
            staff(ok=405),
        )
        for name in ("remove", "up", "down")
    },
    **{
        f"awards:document-{name}": (lambda f: {"pk": f["document"].pk}, staff(ok=405))
        for name in ("replace", "remove")
    },
    "awards:submission-download": (
        lambda f: {"pk": f["nomination"].pk, "kind": "pdf"},
        only(DOSSIER, hidden=set(SIGNED_IN) - DOSSIER),
    ),
    "awards:document": (
        lambda f: {"pk": f["document"].pk},
        only(DOSSIER, hidden=set(SIGNED_IN) - DOSSIER),
    ),
    "awards:document-file": (
        lambda f: {"pk": f["document"].pk},
        only(DOSSIER, hidden=set(SIGNED_IN) - DOSSIER),
    ),
    "awards:document-page": (
        lambda f: {"pk": f["document"].pk, "page": 1},
        only(DOSSIER, hidden=set(SIGNED_IN) - DOSSIER),
    ),
    "awards:session": (
        lambda f: {"pk": f["session"].pk},
        only({"emulation_office"}, hidden=set(SIGNED_IN) - {"emulation_office"}),
    ),
    "awards:minutes-pdf": (lambda f: {"pk": f["session"].pk}, only(set(), hidden=set(SIGNED_IN))),
    # council pages: `session` is a session of a council none of the matrix users sits on
    "awards:session-list": (NONE, staff()),
    "awards:session-live": (
        lambda f: {"pk": f["session"].pk},
        only({"emulation_office"}, hidden=set(SIGNED_IN) - {"emulation_office"}),
    ),
    "awards:session-results": (
        lambda f: {"pk": f["session"].pk},
        only({"emulation_office"}, hidden=set(SIGNED_IN) - {"emulation_office"}),
    ),
    # one URL per change of a session: POST only (a GET is 405 once signed in)
    **{
        f"awards:{name}": (lambda f: {"pk": f["session"].pk}, staff(ok=405))
        for name in (
            "session-roll-call",
            "session-counting",
            "session-open",
            "session-close",
            "minutes-number",
        )
    },
    **{
        f"awards:{name}": (lambda f: {"pk": f["session"].pk, "item_pk": 1}, staff(ok=405))
        for name in (
            "item-vote-open",
            "item-close",
            "item-named-votes",
            "ballot-choose",
            "ballot-cast",
        )
    },
    "awards:written-opinion": (
        lambda f: {"pk": f["session"].pk},
        only({"emulation_office"}, hidden=set(SIGNED_IN) - {"emulation_office"}),
    ),
    "awards:decision-list": (ISSUED, only(CITY)),
    "awards:decision-detail": (lambda f: {"pk": f["decision"].pk}, only(CITY)),
    # one URL per change of a decision: POST only (a GET is 405 once signed in)
    **{
        f"awards:decision-{name}": (lambda f: {"pk": f["decision"].pk}, staff(ok=405))
        for name in (
            "save",
            "bases-refresh",
            "discard",
            "send",
            "return",
            "approve",
            "record-scan",
            "correct",
            "print",
        )
    },
    **{
        f"awards:decision-line-{name}": (
            lambda f: {"pk": f["decision"].pk, "line_pk": 1},
            staff(ok=405),
        )
        for name in ("edit", "remove")
    },
    "awards:decision-download": (
        lambda f: {"pk": f["decision"].pk, "kind": "pdf"},
        only(CITY),
    ),
    "awards:decision-scan": (lambda f: {"pk": f["decision"].pk}, only(set(), hidden=CITY)),
    "awards:registry": (NONE, only(CITY | WARD)),
    "awards:statistics": (NONE, only(CITY)),
    "awards:bnv-statistics": (NONE, only(CITY)),
    "awards:bnv-statistics-download": (lambda f: {"kind": "xlsx"}, only(CITY)),
    "awards:bnv-staffing": (NONE, only({"emulation_office"})),
    "awards:registry-import": (NONE, only({"emulation_office"})),
    "awards:registry-template": (NONE, only({"emulation_office"})),
    "awards:registry-import-errors": (NONE, only({"emulation_office"})),
    "awards:registry-history": (
        lambda f: {"kind": "ca-nhan", "pk": f["record"].person_id},
        only(CITY | WARD, hidden=CENTRE),
    ),
    "awards:record": (lambda f: {"pk": f["record"].pk}, only(CITY | WARD, hidden=CENTRE)),
    "awards:certificate": (
        lambda f: {"pk": f["record"].pk},
        only({"emulation_office"}, hidden=CENTRE),
    ),
    "awards:printer-list": (NONE, only(MANAGERS)),
    "awards:hold-list": (NONE, only({"emulation_office"})),
    "awards:calibration": (lambda f: {"pk": f["printer"].pk}, only(MANAGERS)),
    "awards:layout": (lambda f: {"pk": f["award"].pk}, only(MANAGERS)),
    "awards:layout-preview": (lambda f: {"pk": f["award"].pk}, staff(ok=405, denied=405)),
    "awards:layout-sample": (lambda f: {"pk": f["award"].pk}, staff(ok=405)),
    "awards:layout-reset": (lambda f: {"pk": f["award"].pk}, staff(ok=405)),
    "awards:verify": (lambda f: {"token": f["record"].token}, everyone(200)),
    # The reward fund: Nội vụ and leaders of the issuer read; only Nội vụ writes.
    "awards:fund": (NONE, only({"emulation_office", "signer"})),
    "awards:fund-entry": (NONE, only({"emulation_office"})),
    "awards:fund-payments": (NONE, only({"emulation_office", "signer"})),
    "awards:fund-export": (NONE, only({"emulation_office", "signer"})),
    "awards:rule-list": (NONE, only(CITY)),
    "awards:rule-create": (NONE, only({"emulation_office"})),
    "awards:rule-edit": (lambda f: {"pk": f["rule_set"].pk}, only(CITY)),
    "reporting:request-list": (ISSUED, staff()),
    "reporting:template-create": (ISSUED, only({"emulation_office"})),
    "reporting:request-create": (ISSUED, only({"emulation_office"})),
    "reporting:dashboard": (ISSUED, only(CITY)),
    "reporting:request-detail": (lambda f: {"pk": f["report_request"].pk}, only(CITY)),
    "reporting:aggregate": (lambda f: {"pk": f["report_request"].pk}, only({"emulation_office"})),
    "reporting:aggregate-issue": (  # POST only: a GET is 405 once signed in
        lambda f: {"pk": f["report_request"].pk},
        staff(ok=405),
    ),
    "reporting:aggregate-download": (
        lambda f: {"pk": f["report_request"].pk, "kind": "pdf"},
        only({"emulation_office"}),
    ),
    "reporting:aggregate-annex": (
        lambda f: {"pk": f["report_request"].pk},
        only({"emulation_office"}),
    ),
    "reporting:my-reports": (NONE, staff()),
    "reporting:indicator-export": (
        lambda f: {"pk": f["report_request"].pk},
        only(SIGNED_IN, hidden=CENTRE),
    ),
    "reporting:indicator-import": (
        lambda f: {"pk": f["report_request"].pk},
        only(WARD, hidden=CENTRE),
    ),
    "reporting:attachment-file": (
        lambda f: {"pk": f["attachment"].pk},
        only(SIGNED_IN, hidden=CENTRE),
    ),
    # POST only; the service keeps it to the report's drafters while it is being drafted
    "reporting:attachment-remove": (lambda f: {"pk": f["attachment"].pk}, staff(ok=405)),
    "reporting:report": (lambda f: {"pk": f["assignment"].pk}, only(SIGNED_IN, hidden=CENTRE)),
    "reporting:report-autosave": (lambda f: {"pk": f["assignment"].pk}, staff(ok=405)),
    # one URL per change of a unit's report or a request: POST only (a GET is 405)
    **{
        f"reporting:report-{name}": (lambda f: {"pk": f["assignment"].pk}, staff(ok=405))
        for name in ("attach", "send", "return-to-officer", "submit", "accept", "return")
    },
    **{
        f"reporting:request-{name}": (lambda f: {"pk": f["report_request"].pk}, staff(ok=405))
        for name in ("urge", "aggregate")
    },
    "reporting:report-compare": (
        lambda f: {"pk": f["assignment"].pk},
        {**staff(ok=302), **dict.fromkeys(CENTRE, 404)},
    ),
    "reporting:urging-download": (
        lambda f: {"pk": f["letter"].pk, "kind": "pdf"},
        only(SIGNED_IN, denied_for=CENTRE),
    ),
    # participation: records of phường Suối Hoa in the issued campaign
    "participation:registration-list": (ISSUED, staff()),
    "participation:registration": (
        lambda f: {"pk": f["issued"].pk, "unit_pk": f["city"].suoi_hoa.pk},
        only(SIGNED_IN, denied_for=CENTRE),
    ),
    **{
        f"participation:registration-{name}": (
            lambda f: {"pk": f["issued"].pk, "unit_pk": f["city"].suoi_hoa.pk},
            staff(ok=405),
        )
        for name in ("save", "send", "approve", "return")
    },
    "awards:hold-end": (lambda f: {"pk": 1}, staff(ok=405)),
    "participation:pledge-sign": (ISSUED, only({"emulation_office"})),
    "participation:activity-list": (ISSUED, staff()),
    "participation:activity-create": (ISSUED, only(WARD)),
    "participation:activity-import": (ISSUED, only(WARD)),
    "participation:activity-template": (ISSUED, staff()),
    "participation:activity-export": (ISSUED, staff()),
    "participation:activity-import-errors": (ISSUED, staff()),
    "participation:rollup": (ISSUED, staff()),
    "participation:good-model-list": (ISSUED, staff()),
    "participation:good-model-create": (ISSUED, only(WARD)),
    "participation:difficulty-list": (ISSUED, staff()),
    "participation:activity-edit": (lambda f: {"pk": f["activity"].pk}, only(WARD)),
    "participation:evidence-delete": (lambda f: {"pk": f["evidence"].pk}, staff(ok=405)),
    # POST only, confirmed on the activity's page; the service keeps it to who may edit it
    "participation:activity-delete": (lambda f: {"pk": f["activity"].pk}, staff(ok=405)),
    "participation:activity-detail": (
        lambda f: {"pk": f["activity"].pk},
        only(SIGNED_IN, denied_for=CENTRE),
    ),
    "participation:good-model-detail": (
        lambda f: {"pk": f["good_model"].pk},
        only(SIGNED_IN, denied_for=CENTRE),
    ),
    **{
        f"participation:good-model-{name}": (
            lambda f: {"pk": f["good_model"].pk},
            staff(ok=405),
        )
        for name in ("review", "adopt", "resubmit")
    },
    **{
        f"participation:difficulty-{name}": (
            lambda f: {"pk": f["difficulty"].pk},
            staff(ok=405),
        )
        for name in ("answer", "forward", "close")
    },
    "participation:difficulty-detail": (
        lambda f: {"pk": f["difficulty"].pk},
        only(SIGNED_IN, denied_for=CENTRE),
    ),
    "participation:evidence-file": (
        lambda f: {"pk": f["evidence"].pk},
        only(SIGNED_IN, denied_for=CENTRE),
    ),
    "participation:evidence-thumb": (
        lambda f: {"pk": f["evidence"].pk},
        only(SIGNED_IN, denied_for=CENTRE),
    ),
    "campaigns:task-update": (lambda f: {"target_pk": 1}, staff(ok=405)),
    "notifications:notice-read-all": (NONE, staff(ok=405)),
    # only one's own notices: none of these users has one with this id
    "notifications:notice-open": (lambda f: {"pk": 10**9}, staff(ok=404)),
    # Public portal (issue #10): anyone, except a signed-in account still owing its second factor.
    "portal:index": (NONE, public(302)),  # one public site: straight to it
    "portal:sitemap": (NONE, public()),
    "portal:robots": (NONE, public()),
    "portal:image": (lambda f: {"kind": "photo", "pk": f["photo"].pk, "size": "thumb"}, public()),
    "portal:home": (SITE, public()),
    "portal:news": (SITE, public()),
    "portal:section": (lambda f: SITE(f) | {"section": f["section"].slug}, public()),
    "portal:article": (lambda f: SITE(f) | {"article": f["article"].slug}, public()),
    "portal:exhibition": (SITE, public()),
    "portal:album": (lambda f: SITE(f) | {"album": f["album"].slug}, public()),
    "portal:books": (SITE, public()),
    "portal:events": (SITE, public()),
    "portal:honours": (SITE, public()),
    "portal:certificate-check": (SITE, public()),
    "portal:event": (lambda f: SITE(f) | {"event": f["event"].slug}, public()),
    "portal:good-models": (SITE, public()),
    "portal:good-model": (lambda f: SITE(f) | {"pk": f["public_model"].pk}, public()),
    "portal:search": (SITE, public()),
    "portal:feed-rss": (SITE, public()),
    "portal:feed-atom": (SITE, public()),
    # Editorial side: media staff; units send photos and articles.
    "portal:manage": (ISSUED, staff()),
    "portal:campaign-pages": (NONE, only(MEDIA)),
    "portal:section-create": (ISSUED, staff(ok=405)),
    "portal:article-create": (ISSUED, only(MEDIA)),
    "portal:article-edit": (ARTICLE, only(MEDIA, hidden=set(SIGNED_IN) - MEDIA)),
    "portal:article-preview": (ARTICLE, only(MEDIA, hidden=set(SIGNED_IN) - MEDIA)),
    "portal:article-publish": (ARTICLE, staff(ok=405)),
    "portal:article-unpublish": (ARTICLE, staff(ok=405)),
    "portal:article-delete": (ARTICLE, staff(ok=405)),
    "portal:album-create": (ISSUED, only(MEDIA)),
    "portal:album-edit": (lambda f: {"pk": f["album"].pk}, only(MEDIA)),
    "portal:album-delete": (lambda f: {"pk": f["album"].pk}, staff(ok=405)),
    "portal:photo-withdraw": (lambda f: {"pk": f["photo"].pk}, staff(ok=405)),
    "portal:photo-delete": (lambda f: {"pk": f["photo"].pk}, staff(ok=405)),
    "portal:photo-move": (lambda f: {"pk": f["photo"].pk}, staff(ok=405)),
    "portal:book-create": (ISSUED, only(MEDIA)),
    "portal:book-edit": (lambda f: ISSUED(f) | {"book": f["book"].pk}, only(MEDIA)),
    "portal:book-delete": (lambda f: ISSUED(f) | {"book": f["book"].pk}, staff(ok=405)),
    "portal:book-move": (lambda f: ISSUED(f) | {"book": f["book"].pk}, staff(ok=405)),
    "portal:event-create": (ISSUED, only(MEDIA)),
    "portal:event-edit": (lambda f: ISSUED(f) | {"event": f["event"].pk}, only(MEDIA)),
    "portal:event-delete": (lambda f: ISSUED(f) | {"event": f["event"].pk}, staff(ok=405)),
    "portal:submissions": (ISSUED, only(MEDIA)),
    "portal:submission-review": (lambda f: {"kind": "anh", "pk": f["photo"].pk}, staff(ok=405)),
    "portal:submit-photo": (ISSUED, only(WARD)),
    "portal:submit-article": (ISSUED, only(WARD)),
}


def api_token_only() -> dict[str, int]:
    """API v1 answers bearer tokens only: a browser session gets 401 (after the TOTP step)."""
    return {**everyone(401), "no_totp": 302}


def api_write_only() -> dict[str, int]:
    """A path with no GET: 405 before authentication (the write tests in tests/api cover it)."""
    return {**everyone(405), "no_totp": 302}


def api_public() -> dict[str, int]:
    """The OpenAPI schema and its docs page are public (they hold no data)."""
    return {**everyone(200), "no_totp": 302}


CAMPAIGN_ID: Kwargs = lambda f: {"campaign_id": f["issued"].pk}  # noqa: E731
UNIT_REGISTRATION: Kwargs = lambda f: {  # noqa: E731
    "campaign_id": f["issued"].pk,
    "unit_id": f["city"].suoi_hoa.pk,
}
REPORT_ID: Kwargs = lambda f: {"report_id": f["assignment"].pk}  # noqa: E731
NOMINATION_ID: Kwargs = lambda f: {"nomination_id": f["nomination"].pk}  # noqa: E731

MATRIX.update(
    {
        "api:openapi-json": (NONE, api_public()),
        "api:openapi-view": (NONE, api_public()),
        "api:api-root": (NONE, {**everyone(404), "no_totp": 302}),
        "api:units": (NONE, api_token_only()),
        "api:unit-detail": (lambda f: {"unit_id": f["city"].vu_ninh.pk}, api_token_only()),
        "api:people": (NONE, api_token_only()),
        "api:person-detail": (lambda f: {"person_id": f["person"].pk}, api_token_only()),
        "api:person-create": (NONE, api_token_only()),
        "api:person-change": (lambda f: {"person_id": f["person"].pk}, api_token_only()),
        "api:campaigns": (NONE, api_token_only()),
        "api:campaign-detail": (CAMPAIGN_ID, api_token_only()),
        "api:campaign-assignments": (CAMPAIGN_ID, api_token_only()),
        "api:registrations": (CAMPAIGN_ID, api_token_only()),
        "api:activities": (CAMPAIGN_ID, api_token_only()),
        "api:activity-create": (CAMPAIGN_ID, api_token_only()),
        "api:activity-detail": (lambda f: {"activity_id": f["activity"].pk}, api_token_only()),
        "api:activity-change": (lambda f: {"activity_id": f["activity"].pk}, api_token_only()),
        "api:report-requests": (CAMPAIGN_ID, api_token_only()),
        "api:reports": (lambda f: {"request_id": f["report_request"].pk}, api_token_only()),
        "api:nominations": (CAMPAIGN_ID, api_token_only()),
        "api:nomination-create": (CAMPAIGN_ID, api_token_only()),
        "api:decisions": (CAMPAIGN_ID, api_token_only()),
        "api:award-records": (NONE, api_token_only()),
        "api:contests": (CAMPAIGN_ID, api_token_only()),
        "api:round-results": (lambda f: {"round_id": f["contest_round"].pk}, api_token_only()),
        "api:registration-save": (UNIT_REGISTRATION, api_write_only()),
        "api:registration-send": (UNIT_REGISTRATION, api_write_only()),
        "api:report-request-detail": (
            lambda f: {"request_id": f["report_request"].pk},
            api_token_only(),
        ),
        "api:report-draft": (REPORT_ID, api_token_only()),
        "api:report-draft-save": (REPORT_ID, api_token_only()),
        "api:report-send": (REPORT_ID, api_write_only()),
        "api:report-return-to-officer": (REPORT_ID, api_write_only()),
        "api:nomination-detail": (NOMINATION_ID, api_token_only()),
        "api:nominee-add": (NOMINATION_ID, api_write_only()),
        "api:nomination-send": (NOMINATION_ID, api_write_only()),
        # staff pages for the tokens: system administrators only
        "integrations:token-list": (NONE, only({"system_admin"})),
        "integrations:token-issue": (NONE, only({"system_admin"})),
        "integrations:token-revoke": (lambda f: {"pk": 1}, staff(ok=405)),
    }
)

CONTEST_STAFF = only({"contest_organiser"}, hidden=set(SIGNED_IN) - {"contest_organiser"})
PUBLIC = {**everyone(200), "no_totp": 302}  # a staff session must finish its TOTP first
POST_ONLY = {**everyone(405), "no_totp": 302}
CONTEST: Kwargs = lambda f: {"pk": f["contest"].pk}  # noqa: E731
CONTEST_ROUND: Kwargs = lambda f: {"pk": f["contest_round"].pk}  # noqa: E731
ATTEMPT: Kwargs = lambda f: {"token": f["attempt"].token}  # noqa: E731

MATRIX.update(
    {
        "contests:contest-list": (NONE, only({"contest_organiser"})),
        "contests:contest-detail": (CONTEST, CONTEST_STAFF),
        "contests:question-template": (CONTEST, CONTEST_STAFF),
        "contests:question-export": (CONTEST, CONTEST_STAFF),
        "contests:import-errors": (CONTEST, CONTEST_STAFF),
        "contests:round-create": (CONTEST, CONTEST_STAFF),
        "contests:contest-settings": (CONTEST, CONTEST_STAFF),
        "contests:collective": (CONTEST, CONTEST_STAFF),
        "contests:collective-allocate": (CONTEST, staff(ok=405)),
        "contests:collective-target": (CONTEST, staff(ok=405)),
        "contests:collective-import": (CONTEST, staff(ok=405)),
        "contests:collective-export": (CONTEST, CONTEST_STAFF),
        "contests:target-template": (CONTEST, CONTEST_STAFF),
        "contests:round-edit": (CONTEST_ROUND, CONTEST_STAFF),
        "contests:question-edit": (lambda f: {"pk": f["question"].pk}, CONTEST_STAFF),
        "contests:round-detail": (CONTEST_ROUND, CONTEST_STAFF),
        "contests:round-preview": (CONTEST_ROUND, CONTEST_STAFF),
        "contests:round-export": (CONTEST_ROUND, CONTEST_STAFF),
        "contests:round-certificates": (CONTEST_ROUND, {**CONTEST_STAFF, "contest_organiser": 404}),
        "contests:public-contest": (CONTEST, PUBLIC),
        "contests:public-results": (CONTEST_ROUND, PUBLIC),
        "contests:public-collective": (CONTEST, PUBLIC),
        "contests:attempt-start": (CONTEST_ROUND, POST_ONLY),
        "contests:attempt": (ATTEMPT, PUBLIC),
        "contests:attempt-save": (ATTEMPT, POST_ONLY),
        "contests:attempt-finish": (ATTEMPT, POST_ONLY),
        "contests:attempt-submit": (ATTEMPT, POST_ONLY),
        "contests:receipt": (lambda f: {"token": f["done_attempt"].token}, PUBLIC),
        # after a round (the fixture's round is open: no review yet, no certificate)
        "contests:lookup": (CONTEST, PUBLIC),
        "contests:contact-verify": (CONTEST, POST_ONLY),
        "contests:contact-code-send": (CONTEST, POST_ONLY),
        "contests:review": (lambda f: {"token": f["done_attempt"].token}, PUBLIC),
        "contests:certificate": (
            lambda f: {"token": f["done_attempt"].token},
            {**everyone(404), "no_totp": 302},
        ),
        "contests:certificate-verify": (
            lambda f: {"token": "khong-co"},
            {**everyone(404), "no_totp": 302},
        ),
    }
)

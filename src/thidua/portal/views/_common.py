"""Shared by the editorial views: the editor check, the campaign's site, form and delete pages."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from thidua.accounts.requests import request_user
from thidua.campaigns.models import Campaign
from thidua.core.http import require, run_action
from thidua.portal import rules, selectors
from thidua.portal.models import PortalSite


def require_editor(request: HttpRequest) -> Any:
    """The role (403 for others); each campaign's portal then by `editor_campaign`."""
    user = request_user(request)
    require(rules.can_edit_portal(user))
    return user


def portal_campaign(request: HttpRequest, pk: int) -> tuple[Any, Campaign]:
    """The signed-in user and an issued campaign whose portal pages they reach
    (`selectors.campaigns_for_portal_editor`: those they see, and for media staff those of the
    bodies they work for and below), 404 otherwise. Units' send pages keep `issued_campaign_for`:
    units send only for campaigns sent to them."""
    user = request_user(request)
    return user, get_object_or_404(selectors.campaigns_for_portal_editor(actor=user), pk=pk)


def editor_campaign(request: HttpRequest, pk: int) -> tuple[Any, Campaign]:
    """The editor and an issued campaign whose portal they edit: a campaign they reach but whose
    body they do not work for (or one below it) is a 403 (docs/security.md R25)."""
    user = require_editor(request)
    _, campaign = portal_campaign(request, pk)
    require(rules.can_edit_campaign_portal(user, campaign))
    return user, campaign


def site_for(campaign: Campaign) -> PortalSite:
    site = selectors.site_of(campaign)
    if site is None:
        raise Http404
    return site


def initial_of(item: Any, fields: Iterable[str]) -> dict[str, Any]:
    """A form's starting values from an existing item (nothing for a new one)."""
    return {f: getattr(item, f) for f in fields} if item is not None else {}


def form_page(
    request: HttpRequest,
    *,
    campaign: Campaign,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    then: str | Callable[[Any], str],
    title: str,
    button: str,
    **extra: Any,
) -> HttpResponse:
    """The editorial form pages: validate, call one service, say so and go on; or show errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(then(saved) if callable(then) else then)
    context = {"campaign": campaign, "form": form, "title": title, "button": button, **extra}
    return render(request, "portal/simple_form.html", context)


def delete_page(
    request: HttpRequest, delete: Callable[[], None], done: str, *, campaign_id: int, back: str
) -> HttpResponse:
    """Run a delete: done → back to the portal hub; refused → the reason, on the item's page."""
    if run_action(request, delete, done):
        return redirect("portal:manage", pk=campaign_id)
    return redirect(back)


def moved_up(request: HttpRequest) -> bool:
    direction = request.POST.get("huong")
    if direction not in {"len", "xuong"}:
        raise Http404
    return direction == "len"


def site_item(request: HttpRequest, pk: int, model: Any, item_pk: int | None) -> tuple[Any, ...]:
    """The editor, the issued campaign, its portal and, when editing, the item of that portal."""
    user, campaign = editor_campaign(request, pk)
    site = site_for(campaign)
    item = get_object_or_404(model, pk=item_pk, site=site) if item_pk else None
    return user, campaign, site, item

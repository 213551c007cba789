"""The plan editor's form as a browser sends it back (the editor saves everything at once)."""

import re

from django.test import Client
from django.urls import reverse


def form_data(html: str) -> dict[str, object]:
    """What the browser would send: every input, textarea and selected option of the page's
    editor form, as rendered."""
    start = html.index('id="plan-editor"')
    form = html[start : html.index("</form>", start)]
    form = re.sub(r"<template.*?</template>", "", form, flags=re.S)
    data: dict[str, object] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox":
            if "checked" in tag:
                data[name.group(1)] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = (
            body.strip("\n").replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
        )
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen if len(chosen) != 1 else chosen[0]
    return {k: v for k, v in data.items() if v != []}


def editor_post(client: Client, campaign_pk: int, **changes: object) -> dict[str, object]:
    """The editor's whole form as rendered, with `changes` applied."""
    url = reverse("campaigns:campaign-edit", args=[campaign_pk])
    return form_data(client.get(url).content.decode()) | changes

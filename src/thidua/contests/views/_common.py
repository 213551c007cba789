"""Shared by the organiser screens: the contest or round the signed-in organiser manages."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from thidua.accounts.requests import request_user
from thidua.contests import rules, selectors
from thidua.contests.models import Contest, Round


def managed(request: HttpRequest, pk: int) -> Contest:
    contest = selectors.managed_contest(actor=request_user(request), pk=pk)
    if contest is None:
        raise Http404
    return contest


def managed_round(request: HttpRequest, pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("contest__organiser_unit"), pk=pk)
    if not rules.can_manage_contest(request_user(request), round_.contest):
        raise Http404
    return round_

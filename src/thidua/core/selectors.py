from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from thidua.core.models import ActionLog


def action_log_for(target: models.Model, *, limit: int = 50) -> QuerySet[ActionLog]:
    """One object's history panel, newest first: read along the actionlog_target index, with
    the content type from Django's per-process cache rather than a join."""
    return (
        ActionLog.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )

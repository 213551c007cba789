"""API v1's read routes by resource family, all on the one router of common.py: writes.py adds
its routes to it and api.py mounts it (results.py has its own router for contests)."""

from thidua.api.endpoints.common import (
    ERRORS,
    PageQuery,
    UnitFilter,
    actor_of,
    campaign_of,
    check_unit_filter,
    page,
    require_write,
    responds,
    router,
    writing_for_unit,
)

# Importing a module registers its routes; this order is the order of the paths in the schema.
# isort: off
from thidua.api.endpoints import units
from thidua.api.endpoints import campaigns
from thidua.api.endpoints import activities
from thidua.api.endpoints import reports
from thidua.api.endpoints import awards

# isort: on

__all__ = [
    "ERRORS",
    "PageQuery",
    "UnitFilter",
    "activities",
    "actor_of",
    "awards",
    "campaign_of",
    "campaigns",
    "check_unit_filter",
    "page",
    "reports",
    "require_write",
    "responds",
    "router",
    "units",
    "writing_for_unit",
]

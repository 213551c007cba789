from django import template

from thidua.campaigns.models import Campaign
from thidua.participation.selectors import open_difficulty_count

register = template.Library()


@register.simple_tag
def open_difficulties(campaign: Campaign) -> int:
    """Open difficulties of a campaign, shown on its tab bar."""
    return open_difficulty_count(campaign=campaign)

"""Foreign keys point down the layer list (architecture §3)."""

from django.apps import apps
from django.contrib.auth import get_user_model

LAYERS = [
    {"core"},
    {"accounts"},
    {"organizations"},
    {"documents", "notifications"},
    {"campaigns"},
    {"participation"},
    {"reporting"},
    {"awards", "contests"},
    {"portal", "api"},
]


def layer_of(app_label: str) -> int | None:
    return next((i for i, names in enumerate(LAYERS) if app_label in names), None)


def test_no_model_relation_points_to_a_higher_layer():
    wrong = []
    for model in apps.get_models():
        own = layer_of(model._meta.app_label)
        if own is None:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            if field.related_model is get_user_model():
                continue  # the swappable user model (settings.AUTH_USER_MODEL) may be named anywhere
            other = layer_of(field.related_model._meta.app_label)
            if other is not None and other > own:
                wrong.append(f"{model.__name__}.{field.name} -> {field.related_model.__name__}")
    assert wrong == []

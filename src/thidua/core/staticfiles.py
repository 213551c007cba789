"""Static files storage for production: hashed names and compressed copies (WhiteNoise).

The vendored Bootstrap and Chart.js builds name source maps that are not shipped (closed
networks need no debugging maps), so the storage does not rewrite `sourceMappingURL` comments;
stylesheet `url(...)` and `@import` references are still hashed.
"""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> tuple[Any, ...]:
    kept = []
    for extension, rules in patterns:
        remaining = tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))
        if remaining:
            kept.append((extension, remaining))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)

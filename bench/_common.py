"""Set-up shared by the benchmarks: a private SQLite database and progress on stderr."""

import os
import sys


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup_django(var_dir: str) -> None:
    """Point the settings at a private SQLite file before Django reads them."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    os.environ["THIDUA_TOTP_REQUIRED"] = "0"
    os.environ["THIDUA_VAR_DIR"] = var_dir
    # Measure what production runs: no per-query debug logging, no template debug info.
    os.environ["DEBUG"] = "0"
    # Never reach a real database or cache that happens to be configured in the shell.
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "THIDUA_ENV"):
        os.environ.pop(name, None)

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    db_name = str(settings.DATABASES["default"]["NAME"])
    if not db_name.startswith(var_dir):
        raise SystemExit(f"refusing to run: database {db_name} is outside {var_dir}")
    call_command("migrate", verbosity=0, interactive=False)

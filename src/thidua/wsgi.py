import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")

_django = get_wsgi_application()

from thidua.contests.hotpath import wrap  # noqa: E402 - needs the configured settings

# Contest submissions take the hot path ahead of Django's middleware (architecture §7).
application = wrap(_django)

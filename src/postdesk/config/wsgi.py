import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.config.settings")
application = get_wsgi_application()

# Warm what the first request would otherwise pay for (the holidays package imports every
# country's module on first use: about half a second).
from datetime import datetime, timezone  # noqa: E402

from postdesk.domain.business_days import add_business_days  # noqa: E402

add_business_days(datetime.now(timezone.utc), 3, tz="America/New_York")

# The triage model: loaded (or, on a fresh install, trained once under a file lock) before the
# first request, not during it.
from postdesk.triage.engine import current_model  # noqa: E402

current_model()

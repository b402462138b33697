"""The WSGI application (for a production server such as gunicorn or waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")
application = get_wsgi_application()

# The dashboard reads assessments with sia.assessment, whose statistics libraries take
# seconds to import: import it now, before the first request, not during it.
import sia.assessment  # noqa: E402, F401

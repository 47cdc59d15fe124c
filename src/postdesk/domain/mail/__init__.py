"""Reading email: raw RFC 5322 bytes in, a framework-free ``ParsedEmail`` out.

``parse(raw)`` never raises for malformed mail: defects are recorded on the result.
"""

from postdesk.domain.mail.model import (  # noqa: F401
    Automatic,
    BounceReport,
    ParsedAttachment,
    ParsedEmail,
)
from postdesk.domain.mail.parser import parse  # noqa: F401

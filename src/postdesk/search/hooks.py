"""Where the case services keep the search index current (explicit calls, no signals).

Each runs inside the caller's transaction. The work is in ``postdesk.search.services``.
"""

from __future__ import annotations


def case_opened(case) -> None:
    from postdesk.search.services import search_case_opened

    search_case_opened(case=case)


def message_added(message) -> None:
    from postdesk.search.services import search_message_added

    search_message_added(message=message)


def case_rebuilt(case) -> None:
    """The case's messages moved (a merge): rebuild its document from its messages."""
    from postdesk.search.services import search_case_reindex

    search_case_reindex(case=case)

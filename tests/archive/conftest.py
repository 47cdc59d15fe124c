"""The search strategies (join, walk) apply to archived cases too."""

from tests.search.conftest import strategy  # noqa: F401

"""The domain package must stay importable and testable without Django (STYLE.md)."""

import re
from pathlib import Path

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "src" / "postdesk" / "domain"
DJANGO_IMPORT = re.compile(r"^\s*(?:import\s+django\b|from\s+django\b)", re.MULTILINE)


def test_no_domain_module_imports_django():
    modules = sorted(DOMAIN_DIR.rglob("*.py"))
    assert modules, f"no modules found under {DOMAIN_DIR}"
    offenders = [
        str(module.relative_to(DOMAIN_DIR))
        for module in modules
        if DJANGO_IMPORT.search(module.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_would_catch_both_import_forms():
    assert DJANGO_IMPORT.search("import os\nimport django\n")
    assert DJANGO_IMPORT.search("    from django.db import models\n")
    assert not DJANGO_IMPORT.search("# mentions django but imports nothing\nimport djangoish\n")

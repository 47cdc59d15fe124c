"""The queue filter's selects are written in Python for speed; the HTML must stay exactly what
Django's template widget writes (labels, selection, escaping, every language)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from postdesk.cases.models import Department
from postdesk.console.forms import LeanSelect, QueueFilterForm
from postdesk.sla import console as sla_console

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "de", "es"])
@pytest.mark.parametrize("data", [
    None,
    {"status": "any", "sort": "oldest", "assignee": "none", "priority": "4"},
    {"status": '"><script>alert(1)</script>', "sort": "<b>"},
])
def test_lean_select_writes_what_the_template_widget_writes(language, data, agent_a):
    department = Department.objects.order_by("pk").first()
    department.name = 'Tracking & "Claims" <East>'
    department.save()
    with translation.override(language):
        form = QueueFilterForm(data, departments=Department.objects.all())
        sla_console.offer_due_sort(form)
        if data:
            form.is_valid()
        selects = [name for name, field in form.fields.items() if isinstance(field.widget, LeanSelect)]
        assert selects == ["department", "status", "priority", "topic", "assignee", "sort"]
        for name in selects:
            bound = form[name]
            attrs = bound.build_widget_attrs({"id": bound.auto_id})
            widget = form.fields[name].widget
            template_html = forms.Select.render(widget, bound.html_name, bound.value(), attrs=attrs)
            lean_html = widget.render(bound.html_name, bound.value(), attrs=attrs)
            assert lean_html == template_html
            if name == "department":
                assert "Tracking &amp; &quot;Claims&quot; &lt;East&gt;</option>" in lean_html

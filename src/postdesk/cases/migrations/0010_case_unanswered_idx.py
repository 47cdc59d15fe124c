from django.db import migrations, models

from postdesk.cases.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY on PostgreSQL: mail keeps coming in while it builds.
    atomic = False

    dependencies = [("cases", "0009_case_dept_first_response_idx")]

    operations = [
        AddIndexOnline(
            model_name="case",
            index=models.Index(
                condition=models.Q(("first_response_at__isnull", True), ("status__in", ["new", "open"])),
                fields=["department", "created_at", "id"],
                name="case_unanswered_idx",
            ),
        ),
    ]

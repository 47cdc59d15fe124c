from django.db import migrations, models

from postdesk.cases.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY on PostgreSQL (cases.migration_ops): writes go on meanwhile.
    atomic = False
    dependencies = [("cases", "0008_case_status_due_indexes")]

    operations = [
        AddIndexOnline(
            model_name="case",
            index=models.Index(fields=["department", "first_response_at"], name="case_dept_first_response_idx"),
        ),
    ]

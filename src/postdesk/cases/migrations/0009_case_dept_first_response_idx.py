from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_status_due_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["department", "first_response_at"], name="case_dept_first_response_idx"),
        ),
    ]

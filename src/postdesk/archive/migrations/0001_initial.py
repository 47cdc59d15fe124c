import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("cases", "0006_case_queue_idx")]

    operations = [
        migrations.CreateModel(
            name="ArchivedCase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("case_id", models.BigIntegerField(unique=True)),
                ("number", models.CharField(max_length=16, unique=True)),
                ("subject", models.CharField(max_length=250)),
                ("status", models.CharField(max_length=16)),
                ("language", models.CharField(default="en", max_length=8)),
                ("created_at", models.DateTimeField()),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("archived_at", models.DateTimeField(auto_now_add=True)),
                ("records", models.JSONField(default=list)),
                ("pointers", models.JSONField(blank=True, default=list)),
                ("customer", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                               related_name="archived_cases", to="cases.customer")),
                ("department", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                 related_name="archived_cases", to="cases.department")),
                ("topic", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                            related_name="archived_cases", to="cases.topic")),
            ],
            options={
                "verbose_name": "archived case",
                "verbose_name_plural": "archived cases",
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(fields=["department", "-created_at"], name="archive_department_idx"),
                    models.Index(fields=["customer", "-created_at"], name="archive_customer_idx"),
                    models.Index(fields=["-created_at"], name="archive_created_idx"),
                ],
            },
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("case_id", models.BigIntegerField(unique=True)),
                ("customer_id", models.BigIntegerField(db_index=True)),
                ("language", models.CharField(default="en", max_length=8)),
                ("terms", models.TextField(blank=True, default="")),
                ("public_terms", models.TextField(blank=True, default="")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name="SearchIdentifier",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("case_id", models.BigIntegerField()),
                ("customer_id", models.BigIntegerField(db_index=True)),
                ("kind", models.CharField(choices=[("number", "case number"), ("tracking", "tracking number"),
                                                   ("email", "email address"), ("phone", "phone number")],
                                          max_length=16)),
                ("value", models.CharField(max_length=320)),
            ],
            options={
                "indexes": [models.Index(fields=["value"], name="search_identifier_value_idx")],
                "constraints": [models.UniqueConstraint(fields=("case_id", "kind", "value"),
                                                        name="uniq_search_identifier")],
            },
        ),
    ]

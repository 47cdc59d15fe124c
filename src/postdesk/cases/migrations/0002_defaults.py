from django.db import migrations


def install_defaults(apps, schema_editor):
    from postdesk.cases import defaults

    defaults.install(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(install_defaults, migrations.RunPython.noop)]

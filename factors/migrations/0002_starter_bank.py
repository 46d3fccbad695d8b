"""Data migration: the starter Magnetic Factors bank, published as version 1."""

from django.db import migrations


def forwards(apps, schema_editor):
    from factors.starter import load_starter

    FrameworkVersion = apps.get_model("factors", "FrameworkVersion")
    if FrameworkVersion.objects.exists():
        return
    load_starter(
        FrameworkVersion,
        apps.get_model("factors", "Factor"),
        apps.get_model("factors", "Item"),
        apps.get_model("factors", "MindsetPrompt"),
    )


def backwards(apps, schema_editor):
    apps.get_model("factors", "FrameworkVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("factors", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

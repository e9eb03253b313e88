"""Adds ``involvement`` and ``asc_cld`` to the hub's dataset register, so agreements can name them."""

from django.db import migrations


def register(apps, schema_editor):
    from boroughhub.residents.registers import dataset_register_entries

    Dataset = apps.get_model("agreements", "Dataset")
    for row in dataset_register_entries():
        Dataset.objects.update_or_create(id=row["id"], defaults={
            "title": row["title"], "kind": row["kind"], "aggregate": row["aggregate"],
            "registered_suppliers": row["registered_suppliers"], "fields": row["fields"]})


def unregister(apps, schema_editor):
    apps.get_model("agreements", "Dataset").objects.filter(id__in=["involvement", "asc_cld"]).delete()


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial"), ("agreements", "0004_accession")]
    operations = [migrations.RunPython(register, unregister)]

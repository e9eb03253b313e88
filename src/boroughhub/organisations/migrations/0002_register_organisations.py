"""Registers London's 33 local authorities, the GLA, London Councils, the Met, the example
providers and the hub operator (organisations.registry), in every profile."""

from django.db import migrations


def register(apps, schema_editor):
    from boroughhub.organisations.registry import initial_organisations

    Organisation = apps.get_model("organisations", "Organisation")
    for entry in initial_organisations():
        Organisation.objects.update_or_create(
            id=entry.id,
            defaults={"name": entry.name, "type": entry.type, "ons_code": entry.ons_code,
                      "supplier_code": entry.supplier_code},
        )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(register, migrations.RunPython.noop)]

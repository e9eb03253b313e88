"""The audit log's models leave agreements for the audit room (state only: no table is touched)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0002_registry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditSubjectRefs"),
                migrations.DeleteModel(name="AuditEntry"),
            ],
            database_operations=[],
        ),
    ]

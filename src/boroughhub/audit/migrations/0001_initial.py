"""The audit tables as they are, now owned by the audit room: state only, the database is untouched.

The tables, their append-only triggers and every entry of the hash chain stay exactly as agreements
migration 0001 made them (docs/decisions/0040-audit-log-room.md).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("agreements", "0003_audit_log_moves_to_audit_room"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(primary_key=True, serialize=False)),
                        ('seq', models.BigIntegerField(unique=True)),
                        ('entry_id', models.UUIDField(unique=True)),
                        ('prev_hash', models.CharField(max_length=64)),
                        ('entry_hash', models.CharField(max_length=64)),
                        ('event_type', models.CharField(db_index=True, max_length=20)),
                        ('occurred_at', models.DateTimeField(db_index=True)),
                        ('user_id', models.CharField(max_length=64, null=True)),
                        ('role', models.CharField(max_length=20, null=True)),
                        ('org', models.CharField(db_index=True, max_length=40, null=True)),
                        ('session_id', models.CharField(max_length=64, null=True)),
                        ('request_id', models.CharField(max_length=36, null=True)),
                        ('decision_entry_id', models.CharField(max_length=36, null=True)),
                        ('action', models.CharField(max_length=20, null=True)),
                        ('dataset', models.CharField(max_length=40, null=True)),
                        ('fields', models.JSONField(null=True)),
                        ('purpose', models.CharField(max_length=100, null=True)),
                        ('agreement_id', models.CharField(db_index=True, max_length=60, null=True)),
                        ('agreement_version', models.IntegerField(null=True)),
                        ('permission_id', models.CharField(max_length=60, null=True)),
                        ('prohibition_id', models.CharField(max_length=60, null=True)),
                        ('outcome', models.CharField(max_length=10)),
                        ('reasons', models.JSONField(null=True)),
                        ('obligations', models.JSONField(null=True)),
                        ('row_count', models.BigIntegerField(null=True)),
                        ('subject_refs', models.JSONField(null=True)),
                        ('subject_refs_sha256', models.CharField(max_length=64, null=True)),
                        ('export_sha256', models.CharField(max_length=64, null=True)),
                        ('justification', models.CharField(max_length=500, null=True)),
                        ('payload', models.JSONField(null=True)),
                    ],
                    options={
                        'db_table': 'agreements_auditentry',
                        'verbose_name_plural': 'audit entries',
                        'ordering': ['seq'],
                    },
                ),
                migrations.CreateModel(
                    name='AuditSubjectRefs',
                    fields=[
                        ('seq', models.BigIntegerField(primary_key=True, serialize=False)),
                        ('refs', models.JSONField()),
                    ],
                    options={
                        'db_table': 'agreements_auditsubjectrefs',
                        'verbose_name_plural': 'audit subject references',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

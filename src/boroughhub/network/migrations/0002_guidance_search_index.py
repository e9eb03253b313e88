"""The guidance library's full-text index, one per database engine (decision 0140).

SQLite: an FTS5 table kept in step with the documents by triggers (so bulk loads are indexed too).
PostgreSQL: a stored, weighted tsvector column with a GIN index. The column weights match
``guidance.search.COLUMN_WEIGHTS``: title, topics, summary, body.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE network_guidance_fts USING fts5(
           title, topics, summary, body, content='network_guidancedocument', content_rowid='id',
           tokenize='porter unicode61')""",
    """CREATE TRIGGER network_guidance_fts_insert AFTER INSERT ON network_guidancedocument BEGIN
           INSERT INTO network_guidance_fts(rowid, title, topics, summary, body)
           VALUES (new.id, new.title, replace(new.topics, '|', ' '), new.summary, new.body);
       END""",
    """CREATE TRIGGER network_guidance_fts_delete AFTER DELETE ON network_guidancedocument BEGIN
           INSERT INTO network_guidance_fts(network_guidance_fts, rowid, title, topics, summary, body)
           VALUES ('delete', old.id, old.title, replace(old.topics, '|', ' '), old.summary, old.body);
       END""",
    """CREATE TRIGGER network_guidance_fts_update AFTER UPDATE ON network_guidancedocument BEGIN
           INSERT INTO network_guidance_fts(network_guidance_fts, rowid, title, topics, summary, body)
           VALUES ('delete', old.id, old.title, replace(old.topics, '|', ' '), old.summary, old.body);
           INSERT INTO network_guidance_fts(rowid, title, topics, summary, body)
           VALUES (new.id, new.title, replace(new.topics, '|', ' '), new.summary, new.body);
       END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS network_guidance_fts_update",
    "DROP TRIGGER IF EXISTS network_guidance_fts_delete",
    "DROP TRIGGER IF EXISTS network_guidance_fts_insert",
    "DROP TABLE IF EXISTS network_guidance_fts",
]
POSTGRES_UP = [
    """ALTER TABLE network_guidancedocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', replace(coalesce(topics, ''), '|', ' ')), 'B')
        || setweight(to_tsvector('english', coalesce(summary, '')), 'C')
        || setweight(to_tsvector('english', coalesce(body, '')), 'D')) STORED""",
    "CREATE INDEX network_guidance_search ON network_guidancedocument USING GIN (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS network_guidance_search",
    "ALTER TABLE network_guidancedocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})),
    ]

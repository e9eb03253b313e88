"""PostgreSQL: a second, small weighted tsvector of the title and topics only, with its own GIN index.

Search answers in two tiers (decision 0140, "Tiers"): documents whose title and topics alone contain every
word are ranked first, and only when they do not fill the page are the remaining matches ranked. Broad
words ("residents") match most bodies but few headings, so ``ts_rank`` scores hundreds of rows instead of
thousands. SQLite needs nothing new: FTS5 filters to the title and topics columns of its existing index.
"""

from django.db import migrations

POSTGRES_UP = [
    """ALTER TABLE network_guidancedocument ADD COLUMN heading_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', replace(coalesce(topics, ''), '|', ' ')), 'B')) STORED""",
    "CREATE INDEX network_guidance_heading ON network_guidancedocument USING GIN (heading_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS network_guidance_heading",
    "ALTER TABLE network_guidancedocument DROP COLUMN IF EXISTS heading_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("network", "0002_guidance_search_index")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]

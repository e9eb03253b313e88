"""PostgreSQL: two smaller weighted tsvectors, each with its own GIN index: the heading (title and topics)
and the lead (title, topics and summary).

Search answers in tiers (decision 0140, "Tiers"): documents whose heading alone contains every word are
ranked first, then those whose lead does, and only when those do not fill the page are the remaining
matches ranked. Broad words ("residents") match most bodies but few headings, so ``ts_rank`` scores hundreds
of rows instead of thousands. SQLite needs nothing new: FTS5 filters its existing index by column.
"""

from django.db import migrations

POSTGRES_UP = [
    """ALTER TABLE network_guidancedocument ADD COLUMN heading_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', replace(coalesce(topics, ''), '|', ' ')), 'B')) STORED""",
    "CREATE INDEX network_guidance_heading ON network_guidancedocument USING GIN (heading_vector)",
    """ALTER TABLE network_guidancedocument ADD COLUMN lead_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', replace(coalesce(topics, ''), '|', ' ')), 'B')
        || setweight(to_tsvector('english', coalesce(summary, '')), 'C')) STORED""",
    "CREATE INDEX network_guidance_lead ON network_guidancedocument USING GIN (lead_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS network_guidance_lead",
    "ALTER TABLE network_guidancedocument DROP COLUMN IF EXISTS lead_vector",
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

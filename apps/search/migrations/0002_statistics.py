"""A finer sample of the tsvector columns' lexeme frequencies, so the planner does not take a
rare word for a common one and scan the table instead of asking the GIN index."""

from django.db import migrations

COLUMNS = ("tsv", "title_tsv", "heading_tsv")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunSQL(
            [f"ALTER TABLE search_searchdocument ALTER COLUMN {c} SET STATISTICS 1000" for c in COLUMNS],
            [f"ALTER TABLE search_searchdocument ALTER COLUMN {c} SET STATISTICS -1" for c in COLUMNS],
        )
    ]

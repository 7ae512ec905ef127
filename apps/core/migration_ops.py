"""Migration operations for PostgreSQL features that a server may lack.

The embedded PostgreSQL of `make run` (pgserver) ships without contrib extensions such as
pg_trgm. A trigram index speeds up Chinese substring search (icontains) but nothing depends
on it, so it is created where the extension is available and skipped elsewhere; the
migration state records the index either way, so makemigrations stays quiet.
"""

from django.db import migrations

ENABLE_TRGM = """
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  END IF;
END $$;
"""


def optional_trigram_extension() -> migrations.RunSQL:
    return migrations.RunSQL(ENABLE_TRGM, migrations.RunSQL.noop)


def optional_trigram_index(*, model_name: str, table: str, column: str, index) -> migrations.SeparateDatabaseAndState:
    # names come from the migration files, not from input
    create = f"""
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX IF NOT EXISTS {index.name} ON {table} USING gin ({column} gin_trgm_ops);
  END IF;
END $$;
"""  # nosec B608
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name=model_name, index=index)],
        database_operations=[migrations.RunSQL(create, f"DROP INDEX IF EXISTS {index.name};")],
    )

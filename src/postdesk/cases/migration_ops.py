"""Migration operations for big tables.

``AddIndexOnline`` adds an index with ``CREATE INDEX CONCURRENTLY`` on PostgreSQL, so a desk with
millions of cases keeps taking in mail while the index builds (a plain ``CREATE INDEX`` blocks
every write to the table for as long as the build takes: minutes at 10 million cases). On SQLite
it is an ordinary ``AddIndex``. A migration using it must say ``atomic = False``: PostgreSQL
refuses ``CONCURRENTLY`` inside a transaction. If a build fails half-way, PostgreSQL leaves an
invalid index behind; the operation drops it first (``DROP INDEX CONCURRENTLY IF EXISTS``), so
running ``migrate`` again repairs it.
"""

from __future__ import annotations

from django.db import migrations


class AddIndexOnline(migrations.AddIndex):
    def describe(self):
        return super().describe() + " (concurrently on PostgreSQL)"

    def _postgres_model(self, app_label, schema_editor, state):
        """The model to change concurrently, or None: not PostgreSQL (the plain operation runs)
        or not migrated on this database."""
        if schema_editor.connection.vendor != "postgresql":
            return None
        model = state.apps.get_model(app_label, self.model_name)
        return model if self.allow_migrate_model(schema_editor.connection.alias, model) else None

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = self._postgres_model(app_label, schema_editor, to_state)
        if model is not None:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.index.name)}")
            schema_editor.add_index(model, self.index, concurrently=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = self._postgres_model(app_label, schema_editor, from_state)
        if model is not None:
            schema_editor.remove_index(model, self.index, concurrently=True)

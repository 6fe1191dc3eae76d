"""Alembic's environment: the engine comes from the app (archive.db.Database.alembic_config)."""

from alembic import context

from archive.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()

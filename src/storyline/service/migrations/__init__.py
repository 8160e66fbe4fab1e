"""Alembic migrations for the storyline store (run by :func:`storyline.service.store.migrate`)."""

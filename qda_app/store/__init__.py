"""Persistence: SQLAlchemy models, opening and migrating projects (SQLite file or PostgreSQL)."""

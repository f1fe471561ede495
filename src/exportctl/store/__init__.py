"""Data versions: import, validate, activate, roll back (SQLAlchemy Core; SQLite default, PostgreSQL by URL)."""

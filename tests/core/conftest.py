"""Databases of their own for the tests that make a second install (backup/restore,
upgrade): on SQLite a file in DATA_DIR, on PostgreSQL `<test database>_<label>`."""

import pytest
from django.db import connection


def pg_conninfo(name: str) -> str:
    db = connection.settings_dict
    password = f" password={db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"dbname={name} user={db['USER']} host={db['HOST']} port={db['PORT'] or 5432}{password}"


def database_url(vendor: str, name: str) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{name}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def new_database():
    """make(label): a fresh, empty PostgreSQL database's name (dropped afterwards), or
    None on SQLite (the install makes its file in its DATA_DIR)."""
    created: list[str] = []

    def make(label: str) -> str | None:
        if connection.vendor == "sqlite":
            return None
        import psycopg

        name = f"{connection.settings_dict['NAME']}_{label}"
        with psycopg.connect(pg_conninfo("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return name

    yield make
    if created:
        import psycopg

        with psycopg.connect(pg_conninfo("postgres"), autocommit=True) as conn:
            for name in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

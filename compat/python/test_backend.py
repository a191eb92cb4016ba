"""The suite runs on the database it says it does."""


def test_database_backend(server):
    files = {p.name for p in server.data_dir.iterdir()} - {"admin-key.json"}
    if server.database_url:
        assert not files, f"PostgreSQL run, yet the data directory holds {sorted(files)}"
    else:
        assert files, "SQLite run, yet the data directory holds no database"

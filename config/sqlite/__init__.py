"""SQLite with writers that queue in the process instead of sleeping in SQLite's busy handler."""

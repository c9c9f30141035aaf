"""Qt item models over the services' frozen records (they never touch the database)."""

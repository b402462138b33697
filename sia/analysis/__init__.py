"""Statistics on small aggregated tables: change, trend and the like (no I/O, no warehouse)."""

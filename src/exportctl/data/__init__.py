"""The bundled data pack (official snapshots, compressed) and the measure files."""

"""The `exportctl` command line."""

"""One parser per official format: file -> SourceTable."""

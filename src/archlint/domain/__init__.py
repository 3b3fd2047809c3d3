"""Pure data and algorithms: no I/O, no knowledge of files, CLI or output formats."""

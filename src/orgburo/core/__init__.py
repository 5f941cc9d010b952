"""Pure rules and algorithms: no I/O, no database, no web; frozen dataclasses in and out."""

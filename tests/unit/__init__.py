"""Unit tests: pure code and data alone (parsers, mappers, MRZ, validation, the engine's parts)."""

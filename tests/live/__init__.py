"""Tests against the real vendor endpoints; each module skips unless its credentials are set."""

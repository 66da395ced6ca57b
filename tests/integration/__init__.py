"""Integration tests: handlers, the command line, bundles and whole pipelines end to end."""

"""`passport-ocr backfill`: hand a bucket's existing scans to the deployed stack's own function."""

"""Batches on one machine: `passport-ocr recognize` and `passport-ocr process`.

- `sources`: a folder or a bucket prefix (S3, OBS, COS), listed lazily;
- `results`: one JSON document per object, to a folder or a JSONL file, and resuming;
- `ratelimit`: a token bucket that keeps to each vendor's documented request rate;
- `runner`: the functions' own pipeline per object, a bounded thread pool, a summary.
"""

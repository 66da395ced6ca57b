"""Object storage: fetch an upload's bytes or sign a short-lived URL for the OCR service."""

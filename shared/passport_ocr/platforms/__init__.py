"""Assembling the pipeline on each platform: settings + credentials -> store, OCR, topic."""

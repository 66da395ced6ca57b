"""passport-ocr-functions: passport scans to validated, ICAO 9303-checked records."""

__version__ = "0.1.0"

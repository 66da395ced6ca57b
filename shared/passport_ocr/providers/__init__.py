"""OCR providers: one small client per vendor API, all behind `OcrProvider`."""

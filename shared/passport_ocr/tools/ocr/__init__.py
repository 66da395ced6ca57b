"""The embedded offline MRZ engine: locate (OpenCV), recognise (RapidOCR), correct.

`engine.MrzEngine().read(image_bytes)` is the entry point; `providers.local` wraps it as
an `OcrProvider`. Importing this package is cheap; `engine`, `locate` and `recognize`
need the `local` extra (NumPy, OpenCV, RapidOCR, onnxruntime).
"""

"""Object storage: fetch an upload's bytes or sign a short-lived URL for the OCR service.

`base` holds the `ObjectStore` protocol and the transfer rule (`choose_transfer`: object,
URL or bytes); `obs`, `cos`, `s3` and `local` are the stores. Each vendor SDK is imported lazily.
"""

from passport_ocr.storage.base import ObjectInfo, ObjectStore, Transfer, choose_transfer

__all__ = ["ObjectInfo", "ObjectStore", "Transfer", "choose_transfer"]

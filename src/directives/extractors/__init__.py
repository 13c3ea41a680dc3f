"""Readers that turn a file into pages of the shared page model (`model.py`).

`read.extract_pages` reads a PDF (text layer, OCR where needed); `registry.py` picks the reader of
other formats. This package file imports nothing, so that the page model and the options load
without PyMuPDF and OpenCV.
"""

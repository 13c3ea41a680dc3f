"""Vietnamese NLP on the sections of a document: word segmentation, entities, keywords, spaCy Docs.

Offline only: underthesea's bundled models (word segmentation, POS, NER) and spaCy's blank
Vietnamese pipeline, no model hub and no network.
"""

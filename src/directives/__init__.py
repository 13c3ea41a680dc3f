"""directives: Vietnamese official documents → validated JSON and CSV datasets."""

__version__ = "0.1.0"

"""The version, in a leaf module: the engine reads it without importing the package facade
(``archlint/__init__.py`` imports the api, which imports the engine)."""

__version__ = "0.1.0"

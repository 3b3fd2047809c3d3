"""The version, in a module of its own: importing it never runs the package facade."""

__version__ = "0.1.0"

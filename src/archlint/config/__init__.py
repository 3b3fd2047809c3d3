"""Configuration: find and read ``[tool.archlint]``, validate everything at once."""

from archlint.config.loader import find_config, load_settings
from archlint.config.schema import Settings

__all__ = ["Settings", "find_config", "load_settings"]

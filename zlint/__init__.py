"""zlint: a static linter and autofixer for ZenML pipeline code."""

__version__ = "0.1.0"

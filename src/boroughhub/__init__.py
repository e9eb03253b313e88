"""boroughhub: the shared data hub for London boroughs and their partners."""

__version__ = "0.1.0"

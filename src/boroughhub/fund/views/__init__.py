"""The fund's pages: rounds and selection (``rounds``), applying (``applications``), assessing and
moderating (``assessment``)."""

from . import applications, assessment, new_round, rounds

__all__ = ["applications", "assessment", "new_round", "rounds"]

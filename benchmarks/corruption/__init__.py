"""The second corruption model (see ``model``): an error model independent of ``boroughhub.synthetic``."""

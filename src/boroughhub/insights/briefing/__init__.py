"""A borough lead's briefing pages: the one-screen summary, the comparison of areas with its London tile
map, the committee summary (HTML and PDF) and data coverage. Plain modules here; ``views.py`` is Django."""

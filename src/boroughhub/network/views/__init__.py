"""The network's pages: events, the Apprentice Hub, the guidance library and recruitment support."""

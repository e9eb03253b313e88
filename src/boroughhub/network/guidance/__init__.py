"""The guidance library: search (one interface, two database engines), review dates and version changes."""

"""Development tools that are not part of the hub (the import-linter contract type of `make lint`)."""

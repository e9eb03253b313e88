"""Background jobs: the ``boroughhub worker`` command, which puts back tasks whose worker was killed
before running django-tasks-db's worker (docs/decisions/0023-worker-recovers-killed-tasks.md)."""

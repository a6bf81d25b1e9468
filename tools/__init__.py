"""Developer tools run from the repository root (`make test`); not part of the package."""

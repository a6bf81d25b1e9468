"""`python -m pinchpoint.cli`: the `pinchpoint` command without its installed script."""

from pinchpoint.cli import app

app()

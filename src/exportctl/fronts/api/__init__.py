"""The HTTP API: `create_app()` builds the FastAPI app (API under /v1 and the web page at /)."""

from exportctl.fronts.api.app import create_app

__all__ = ["create_app"]

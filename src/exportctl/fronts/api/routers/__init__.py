"""One router per resource; `ROUTERS` is the order they appear in the OpenAPI document."""

from exportctl.fronts.api.routers import audit, check, data, health, registry, screen, tariff

ROUTERS = [
    health.router,
    check.router,
    screen.router,
    tariff.router,
    registry.router,
    data.router,
    audit.router,
]

__all__ = ["ROUTERS"]

"""The action server: `python -m actions.server --port 5055 --interface 127.0.0.1`.

Rasa SDK's own server (`rasa run actions`) answers anyone who reaches it on every interface, and an
action run for a made-up tracker whose sender is a client's number would read that client's case data.
So this launcher serves the SDK's app only to callers presenting the service token (Rasa sends it:
`action_endpoint.headers` in bot/endpoints*.yml), binds to the interface given, and refuses to start in
production on weak secrets (bot/deployment.py)."""

from __future__ import annotations

import argparse
import hmac
import logging

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.config import get_settings
from bot import deployment, logs

OPEN_PATHS = ("/health",)  # the health check carries nothing


def build(token: str):  # type: ignore[no-untyped-def]  # a Sanic app
    app = create_app("actions", cors_origins=None)
    expected = f"Bearer {token}"

    @app.middleware("request")
    async def authorised(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
            return response.json({"error": "the service token is required"}, status=401)
        return None

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--interface", default="127.0.0.1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logs.install()
    settings = get_settings()
    deployment.require_secrets({"API_SERVICE_TOKEN": settings.service_token,
                                "API_LOG_SALT": deployment.secret("API_LOG_SALT")})
    build(settings.service_token).run(host=args.interface, port=args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()

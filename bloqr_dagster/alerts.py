"""The alert channel every domain shares: a JSON POST to one webhook (BLOQR_ALERT_WEBHOOK).

Source health (filterlists/health.py) and the regression radar (radar/) both send through here.
The payload's `text` field makes it readable as-is by Slack/Mattermost-style incoming webhooks.
"""

from __future__ import annotations

import json
from typing import Any

from bloqr_dagster.errors import BloqrError


def send_webhook(url: str, payload: dict[str, Any], timeout: float = 10.0) -> int:
    """POST the payload as JSON; raises BloqrError unless the hook answers 2xx (so callers retry)."""
    import httpx

    try:
        response = httpx.post(url, content=json.dumps(payload, default=str).encode(), timeout=timeout,
                              headers={"Content-Type": "application/json"})
    except httpx.HTTPError as exc:
        raise BloqrError(f"alert webhook {url}: {type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise BloqrError(f"alert webhook {url}: HTTP {response.status_code}")
    return response.status_code

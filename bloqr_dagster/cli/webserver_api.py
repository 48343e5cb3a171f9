"""A small client for the Dagster webserver's GraphQL API: what the UI itself calls.

`dagster_graphql.DagsterGraphQLClient` is public but has no backfill call; the mutations used
here (launchPartitionBackfill, cancelPartitionBackfill) are the ones the UI's "Launch backfill"
and "Cancel backfill" buttons send.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence

LAUNCH_BACKFILL = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}"""
CANCEL_BACKFILL = """
mutation Cancel($id: String!) {
  cancelPartitionBackfill(backfillId: $id) { __typename ... on Error { message } }
}"""
LOCATIONS = """
{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
RELOAD_LOCATION = """
mutation Reload($name: String!) {
  reloadRepositoryLocation(repositoryLocationName: $name) { __typename ... on Error { message } }
}"""
INSTANCE_INFO = "{ instance { info } }"


class WebserverError(RuntimeError):
    """The webserver is unreachable, or answered with an error (message is one line)."""


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else "(no message)"


class Webserver:
    def __init__(self, url: str, timeout: float = 60) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def graphql(self, query: str, **variables: object) -> dict:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise WebserverError(f"webserver {self.url}: {getattr(exc, 'reason', exc)}") from None
        if answer.get("errors"):
            raise WebserverError(f"webserver {self.url}: {_first_line(answer['errors'][0].get('message', ''))}")
        return answer["data"]

    def answers(self) -> bool:
        try:
            self.graphql("{ version }")
        except WebserverError:
            return False
        return True

    def instance_info(self) -> str | None:
        """The instance's description (storage folders included), when the webserver shows it."""
        return self.graphql(INSTANCE_INFO)["instance"]["info"]

    def wait_until_loaded(self, location: str, timeout: float, alive: Callable[[], bool]) -> None:
        """Until the webserver answers and has loaded `location` (WebserverError otherwise)."""
        deadline = time.monotonic() + timeout
        while True:
            if not alive():
                raise WebserverError(f"webserver {self.url} exited before it served {location}")
            try:
                data = self.graphql(LOCATIONS)["workspaceOrError"]
            except WebserverError:
                data = {}
            for entry in data.get("locationEntries", []):
                if entry["name"] != location or entry["loadStatus"] != "LOADED":
                    continue
                loaded = entry["locationOrLoadError"] or {}
                if loaded.get("__typename") == "PythonError":
                    raise WebserverError(f"code location {location} failed to load: "
                                         f"{_first_line(loaded.get('message', ''))}")
                return
            if time.monotonic() > deadline:
                raise WebserverError(f"webserver {self.url} did not load {location} within {timeout:.0f}s")
            time.sleep(1)

    def reload_location(self, location: str) -> None:
        result = self.graphql(RELOAD_LOCATION, name=location)["reloadRepositoryLocation"]
        if "message" in result:
            raise WebserverError(f"reload of {location}: {_first_line(result['message'])}")

    def launch_backfill(self, partition_names: Sequence[str], asset_keys: Sequence[Sequence[str]], *,
                        title: str, description: str, tags: dict[str, str],
                        run_config: dict | None = None) -> str:
        """An asset backfill, exactly as the UI's "Launch backfill" makes it; returns its id."""
        params: dict = {
            "partitionNames": list(partition_names),
            "assetSelection": [{"path": list(key)} for key in asset_keys],
            "title": title, "description": description,
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
        }
        if run_config is not None:
            params["runConfigData"] = run_config
        result = self.graphql(LAUNCH_BACKFILL, params=params)["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            raise WebserverError(f"launchPartitionBackfill: {result['__typename']}: "
                                 f"{_first_line(result.get('message', ''))}")
        return result["backfillId"]

    def cancel_backfill(self, backfill_id: str) -> None:
        result = self.graphql(CANCEL_BACKFILL, id=backfill_id)["cancelPartitionBackfill"]
        if result["__typename"] != "CancelBackfillSuccess":
            raise WebserverError(f"cancelPartitionBackfill {backfill_id}: "
                                 f"{_first_line(result.get('message', ''))}")

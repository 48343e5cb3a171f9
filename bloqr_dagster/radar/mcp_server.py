"""The Builds MCP server: the questions of radar/builds.py as read-only MCP tools over stdio.

Uses the official SDK (`mcp`, MCPServer). A tool's BloqrError (bad argument, unknown build, no
warehouse yet) becomes a tool error with that one line, so the assistant can say what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.radar import builds
from bloqr_dagster.radar.builds import Source

READ_ONLY = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)
INSTRUCTIONS = (
    "Failed CI builds of the bloqr build store, categorised by its detectors. Log text is always "
    "masked (private values become placeholders such as <ACCOUNT_ID>). Start from a build id "
    "(why_build_failed, builds_sharing_group) or a period (top_error_groups); current_anomalies "
    "lists new or spiking error groups and completion-rate drops the regression radar flagged."
)


def _answer(question: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """An anticipated failure reaches the assistant as its one line (anything else stays a crash)."""
    try:
        return question(*args)
    except BloqrError as exc:
        raise ToolError(str(exc)) from None


def build_server(src: Source) -> MCPServer:
    server = MCPServer(name="bloqr-builds", instructions=INSTRUCTIONS)

    @server.tool(annotations=READ_ONLY)
    def why_build_failed(build_id: int, context_lines: int = 3) -> dict[str, Any]:
        """Why a build failed: its primary error (category, masked error group, masked line), the
        other errors found, and the masked log lines around the primary one (context_lines 0-10)."""
        return _answer(builds.why_build_failed, src, build_id, context_lines)

    @server.tool(annotations=READ_ONLY)
    def top_error_groups(days: int = 7, limit: int = 10, until: str | None = None) -> dict[str, Any]:
        """The error groups with the most failed builds over the `days` (1-366) up to `until`
        (ISO date or time; default: the newest categorised build), at most `limit` (1-50)."""
        return _answer(builds.top_error_groups, src, days, limit, until)

    @server.tool(annotations=READ_ONLY)
    def current_anomalies(include_past: bool = False, limit: int = 20) -> dict[str, Any]:
        """New or spiking error groups and completion-rate drops in the latest windows (all flagged
        windows, newest first, with include_past), at most `limit` (1-50)."""
        return _answer(builds.current_anomalies, src, include_past, limit)

    @server.tool(annotations=READ_ONLY)
    def builds_sharing_group(build_id: int, limit: int = 20) -> dict[str, Any]:
        """Failed builds whose primary error is in the same error group as this build's, newest
        first, at most `limit` (1-50), and how many there are in all."""
        return _answer(builds.builds_sharing_group, src, build_id, limit)

    return server

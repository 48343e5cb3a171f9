"""The Dagster services one `bloqr backfill` works with, and the loop that follows a backfill.

A Session finds or starts a webserver (the backfill is launched and canceled through its GraphQL
API, as the UI does) and a daemon (which runs it), and stops what it started. Nothing here can
wait forever: the daemon is judged by its heartbeat's age, a daemon that starts no run within a
bound is backed by one of our own, and the whole follow-up has a deadline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from bloqr_dagster.cli import dagster_services as services
from bloqr_dagster.cli import interrupts
from bloqr_dagster.cli.webserver_api import Webserver, WebserverError
from bloqr_dagster.errors import BloqrError

LOCATION = "bloqr_dagster"
DEFAULT_WEBSERVER = "http://127.0.0.1:3000"  # `make ui`
STARTUP_TIMEOUT_S = 300.0  # a code location load on a busy 2-core machine
POLL_SECONDS = 2.0
CANCEL_WAIT_S = 60.0  # the daemon's backfill loop comes round every 30 s


def say(message: str) -> None:
    print(message, flush=True)


class Session:
    """Webserver + daemon for one command; use as a context manager (stops what it started)."""

    def __init__(self, instance, workspace: Path, webserver_url: str | None) -> None:
        self.instance, self.workspace, self.wanted_url = instance, workspace, webserver_url
        self.root = Path(instance.root_directory)
        self.web: Webserver | None = None
        self.own_web: subprocess.Popen | None = None
        self.daemon: subprocess.Popen | None = None
        self.daemon_started_at, self.daemon_ready = 0.0, False
        self._stack = ExitStack()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        for proc, name in ((self.daemon, "dagster-daemon"), (self.own_web, "dagster-webserver")):
            if proc is not None and proc.poll() is None:
                say(f"stopping the {name} this command started")
                services.stop(proc)
        self._stack.close()

    def _log(self, name: str):
        return self._stack.enter_context(open(self.root / name, "ab"))

    # -- webserver ----------------------------------------------------------------------------

    def _same_instance(self, web: Webserver) -> bool:
        """Does the webserver use this DAGSTER_HOME? Compares the instances' artifact storage (the
        rest of the description differs between processes); unknown when it hides its config,
        and then the launch is checked afterwards."""
        import yaml

        try:
            info = web.instance_info()
        except WebserverError:
            return False
        if info is None:
            return True

        def root(text: str) -> object:
            try:
                return (yaml.safe_load(text) or {}).get("local_artifact_storage")
            except (yaml.YAMLError, AttributeError):
                return None

        ours = root(self.instance.info_str())
        return ours is not None and root(info) == ours

    def connect(self) -> Webserver:
        """The webserver given, else `make ui`'s when it serves this instance, else our own."""
        if self.wanted_url:
            web = Webserver(self.wanted_url)
            if not web.answers():
                raise BloqrError(f"--webserver {self.wanted_url}: no Dagster webserver answers there")
            if not self._same_instance(web):
                raise BloqrError(f"--webserver {self.wanted_url}: it serves another Dagster instance "
                                 f"than DAGSTER_HOME {self.root}")
            self.web = web
        else:
            found = Webserver(DEFAULT_WEBSERVER, timeout=5)
            if found.answers() and self._same_instance(found):
                say(f"using the Dagster webserver at {DEFAULT_WEBSERVER}")
                self.web = Webserver(DEFAULT_WEBSERVER)
            else:
                port = services.free_port()
                log = self.root / "bloqr-backfill-webserver.log"
                say(f"starting `dagster-webserver` on 127.0.0.1:{port} (log: {log})")
                self.own_web = services.start_webserver(self.workspace, port, self._log(log.name))
                self.web = Webserver(f"http://127.0.0.1:{port}")
        proc = self.own_web
        try:
            self.web.wait_until_loaded(LOCATION, STARTUP_TIMEOUT_S,
                                       alive=lambda: proc is None or proc.poll() is None)
        except WebserverError as exc:
            raise BloqrError(str(exc)) from None
        return self.web

    # -- daemon -------------------------------------------------------------------------------

    def start_daemon(self, why: str) -> None:
        log = self.root / "bloqr-backfill-daemon.log"
        say(f"{why}: starting `dagster-daemon run` (log: {log})")
        self.daemon_started_at, self.daemon_ready = time.time(), False
        self.daemon = services.start_daemon(self.workspace, self._log(log.name))

    def ensure_daemon(self) -> None:
        """Start a daemon unless one heartbeat recently (not Dagster's 30-minute tolerance)."""
        if self.daemon is None and not services.daemon_live(self.instance):
            self.start_daemon("no Dagster daemon is running")

    def daemon_problem(self) -> str | None:
        """Why the daemon this command started cannot run the backfill (None: it can, or is
        still starting). Notes the daemon's id once it heartbeats."""
        if self.daemon is None or self.daemon_ready:
            return None if self.daemon is None or self.daemon.poll() is None else self._exited()
        if services.heartbeat_since(self.instance, self.daemon, self.daemon_started_at - 1):
            self.daemon_ready = True
            return None
        if self.daemon.poll() is not None:
            return self._exited()
        if time.time() - self.daemon_started_at > STARTUP_TIMEOUT_S:
            return (f"the dagster-daemon this command started sent no heartbeat within {STARTUP_TIMEOUT_S:.0f}s "
                    f"(log: {self.root / 'bloqr-backfill-daemon.log'})")
        return None

    def _exited(self) -> str:
        return (f"the dagster-daemon this command started exited (code {self.daemon.returncode}; "
                f"log: {self.root / 'bloqr-backfill-daemon.log'})")


def follow(session: Session, backfill_id: str, keys: list[str], lake_dir: Path, *,
           deadline_s: float, start_daemon_after_s: float):
    """Print progress until the backfill finishes. At the deadline, or when the daemon this
    command started dies or never heartbeats, cancel the backfill and raise BloqrError."""
    from bloqr_dagster.defs.build_errors import backfill as bf

    started = time.monotonic()
    last_line = ""
    while True:
        interrupts.check()  # a Ctrl-C that landed in a fork hook was ignored there, not lost
        progress = bf.backfill_progress(session.instance, backfill_id, keys, lake_dir)
        elapsed = time.monotonic() - started
        if progress.line() != last_line:
            last_line = progress.line()
            say(f"[{elapsed:6.0f}s] {last_line}")
        if progress.finished:
            return progress
        problem = session.daemon_problem()
        if problem is None and elapsed > deadline_s:
            problem = f"backfill {backfill_id} did not finish within --deadline {deadline_s:g}s ({last_line})"
        if problem is not None:
            status = cancel(session, backfill_id)
            raise BloqrError(f"{problem}; backfill {backfill_id} is {status.lower()}")
        if session.daemon is None and not progress.runs and elapsed > start_daemon_after_s:
            session.start_daemon(f"the running daemon launched no run in {elapsed:.0f}s")
        time.sleep(POLL_SECONDS)


def cancel(session: Session, backfill_id: str) -> str:
    """Cancel through the webserver and wait (bounded) until the daemon marks it canceled.

    Returns the final status; on failure, prints what to run instead. A second Ctrl-C stops
    the wait, not the cancellation.
    """
    from bloqr_dagster.defs.build_errors import backfill as bf

    how = (f"cancel it in the UI (Runs > Backfills > {backfill_id} > Cancel backfill) or run "
           f"`bloqr backfill --cancel {backfill_id}`")
    try:
        session.web.cancel_backfill(backfill_id)
    except WebserverError as exc:
        print(f"could not cancel backfill {backfill_id} ({exc}): {how}", file=sys.stderr, flush=True)
        return bf.status_of(session.instance.get_backfill(backfill_id))
    say(f"canceling backfill {backfill_id} (Ctrl-C again to stop waiting)")
    deadline = time.monotonic() + CANCEL_WAIT_S
    try:
        ours_gone = session.daemon is None or session.daemon.poll() is not None
        if ours_gone and not services.daemon_live(session.instance):
            session.start_daemon("no daemon to finish the cancellation")
        while time.monotonic() < deadline:
            status = bf.status_of(session.instance.get_backfill(backfill_id))
            if status not in bf.ACTIVE_STATUSES:
                say(f"backfill {backfill_id} {status.lower()}")
                return status
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    status = bf.status_of(session.instance.get_backfill(backfill_id))
    if status in bf.ACTIVE_STATUSES:
        print(f"backfill {backfill_id} is still {status}: a daemon marks it canceled once its runs have "
              f"stopped (or {how})", file=sys.stderr, flush=True)
    return status


def ours_tags() -> dict[str, str]:
    import socket

    from bloqr_dagster.defs.build_errors import backfill as bf

    return {bf.CLI_PID_TAG: str(os.getpid()), bf.CLI_HOST_TAG: socket.gethostname()}

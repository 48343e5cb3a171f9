"""The one exception type users see: a clear, one-line message naming the field or source."""


class BloqrError(Exception):
    """A user-facing error. The CLI prints `bloqr <command>: <message>` and exits 1."""

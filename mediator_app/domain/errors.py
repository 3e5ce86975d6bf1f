"""Errors the rules raise; services turn them into exit codes and messages."""


class Rejection(Exception):
    """An input or action that breaks a rule. The message names the rule."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else "rejected"


class VersionConflict(Exception):
    """The dispute's version is not the one the caller expected (exit 3)."""

    def __init__(self, dispute_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"version conflict on {dispute_id}: expected version {expected}, the case is at version {actual}"
        )
        self.dispute_id = dispute_id
        self.expected = expected
        self.actual = actual

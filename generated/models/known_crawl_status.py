from enum import StrEnum


class KnownCrawlStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DELAYED = "delayed"
    FAILED = "failed"
    PAUSED = "paused"
    PRIORITIZED = "prioritized"
    STUCK = "stuck"
    UNKNOWN = "unknown"
    WAITING = "waiting"
    WAITING_CHILDREN = "waiting-children"

    def __str__(self) -> str:
        return str(self.value)

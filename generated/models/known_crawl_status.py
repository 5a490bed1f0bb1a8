# GENERATED CODE, DO NOT EDIT. Made by openapi-python-client (version pinned in pyproject.toml)
# from openapi.yaml. To change it, edit the spec or scripts/codegen/ and run scripts/regenerate.
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

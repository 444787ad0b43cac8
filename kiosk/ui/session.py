"""Who is at the kiosk now: the identified patron, held only in memory and cleared on logout."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PatronSession:
    card: str | None = None
    name: str = ""
    address: str = ""
    blocks: list[str] = field(default_factory=list)

    @property
    def signed_in(self) -> bool:
        return self.card is not None

    def sign_in(self, card: str, name: str, address: str = "", blocks: list[str] | None = None) -> None:
        self.card, self.name, self.address = card, name, address or ""
        self.blocks = list(blocks or [])

    def clear(self) -> None:
        self.card, self.name, self.address, self.blocks = None, "", "", []

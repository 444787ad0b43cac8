"""What every screen is given: the library, the database worker, the devices.

Built by the composition root (``kiosk.ui.app``); tests build one with fakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.core.recommend import Recommender

if TYPE_CHECKING:
    from hardware.devices import DeviceRegistry
    from hardware.printing.queue import PrintQueue
    from kiosk.core.library import Library
    from kiosk.ui.ops import Ops


@dataclass
class UiContext:
    library: Library          # use only inside ops.run(...) work functions
    ops: Ops
    print_queue: PrintQueue | None = None
    devices: DeviceRegistry | None = None
    demo: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    recommender: Recommender = field(default_factory=Recommender)  # rebuilt on the worker

"""How fast the hub lets anyone guess a staff password or a patron's PIN.

Token buckets (``sync.limits.RateLimiter``), in memory, never a lock on the account:

- **Logins**, per client (its address, or the known-device token of a browser that has
  logged in to that account before): 10 tries, then one every 30 s. Per account, for
  clients the account does not know: 20 failures, then one every 30 s. A guesser from
  one address never empties the account's bucket, so the real administrator logs in
  from anywhere; a guesser from many addresses only slows strangers, never a browser
  that has logged in as that account before. ``district user unlock`` starts the
  account's bucket afresh (its ``throttle_epoch`` is part of the key).
- **OPAC PINs**, per card: 5 tries, then one every 2 minutes (300 guesses take ten
  hours for one card); per client: 10 tries, then one every 30 s, so one client cannot
  walk through many cards either. A right PIN refills the card's bucket.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from sync.limits import RateLimiter


class Throttled(Exception):
    """Refused before any check ran; the message is Vietnamese, for the user."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


def _wait(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    return f"{seconds} giây" if seconds < 120 else f"{math.ceil(seconds / 60)} phút"


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.login_client = RateLimiter(10, 1 / 30, clock=clock)
        self.login_account = RateLimiter(20, 1 / 30, clock=clock)
        self.pin_client = RateLimiter(10, 1 / 30, clock=clock)
        self.pin_card = RateLimiter(5, 1 / 120, clock=clock)

    # Logins

    @staticmethod
    def _account(username: str, epoch: int) -> str:
        return f"{username}#{epoch}"

    def before_login(self, client: str, username: str, epoch: int, known_device: str | None):
        """Take one try from the client's bucket; refuse if it, or the account's, is empty."""
        client_key = f"device:{known_device}" if known_device else f"addr:{client}"
        if not self.login_client.allow(client_key):
            raise Throttled("Bạn đã thử đăng nhập quá nhiều lần. Xin thử lại sau "
                            f"{_wait(self.login_client.retry_after(client_key))}.",
                            self.login_client.retry_after(client_key))
        if known_device:
            return
        wait = self.login_account.retry_after(self._account(username, epoch))
        if wait > 0:
            raise Throttled("Tài khoản này đang bị thử mật khẩu nhiều lần. Xin thử lại sau "
                            f"{_wait(wait)}, hoặc đăng nhập từ máy đã đăng nhập tài khoản "
                            "này trước đây.", wait)

    def login_failed(self, username: str, epoch: int, known_device: str | None) -> None:
        if not known_device:
            self.login_account.allow(self._account(username, epoch))

    # OPAC PIN checks

    def before_pin_check(self, client: str, card: str) -> None:
        card_key = card.strip().upper()
        for limiter, key in ((self.pin_client, client), (self.pin_card, card_key)):
            if not limiter.allow(key):
                raise Throttled("Đã thử mã PIN quá nhiều lần. Để bảo vệ thẻ bạn đọc, xin thử "
                                f"lại sau {_wait(limiter.retry_after(key))} hoặc hỏi thủ thư.",
                                limiter.retry_after(key))

    def pin_accepted(self, card: str) -> None:
        self.pin_card.reset(card.strip().upper())

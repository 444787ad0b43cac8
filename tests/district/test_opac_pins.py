"""The OPAC's hold and postal forms against PIN guessing: throttled per card and per
client, and the same answer in the same time whether a card is unknown, has no PIN or
has one."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from district_net import CARDS, DE_MEN_ISBN, PIN
from web_client import WebClient, WebTestClient

from district.app import create_app
from district.web.opac import BAD_LOGIN
from district.web.throttle import Throttle
from kiosk.core import pins
from sync.limits import RateLimiter

WORK = "/sach/i" + DE_MEN_ISBN
CARD = CARDS["TN-PHUTHO"]
THROTTLED = "Đã thử mã PIN quá nhiều lần. Để bảo vệ thẻ bạn đọc, xin thử lại sau"


class Tick:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def error_of(page) -> str:
    return re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.DOTALL).group(1)


def holds_placed(network) -> int:
    return network.district.store.scalar(
        "SELECT COUNT(*) FROM events WHERE type IN ('hold.placed', 'request.created')")


def order(http, card: str, pin: str, kind: str = "postal"):
    return http.post(WORK, data={"thu_vien": "TN-PHUTHO", "kieu": kind, "the": card, "pin": pin,
                                 "dia_chi": "Ấp 3, xã Phú Thọ"})


@pytest.fixture
def tick() -> Tick:
    return Tick()


@pytest.fixture
def app(network, tick):
    return create_app(network.district.store.path, network.district,
                      throttle=Throttle(clock=tick))


def client(app, address: str) -> WebTestClient:
    return WebTestClient(app, client=(address, 40000), follow_redirects=False)


def test_300_guesses_over_http_do_not_find_a_4_digit_pin(served):
    http = WebClient(base_url=served.url)
    answers = [order(http, CARD, f"{guess:04d}") for guess in range(1000, 1300)]
    assert f"{1234:04d}" == PIN, "the right PIN is among the guesses"
    codes = [a.status_code for a in answers]
    assert 200 not in codes
    assert codes[:5] == [400] * 5 and set(codes[10:]) == {429}
    assert error_of(answers[0]) == BAD_LOGIN
    assert error_of(answers[-1]).startswith(THROTTLED)
    assert int(answers[-1].headers["retry-after"]) > 0
    assert holds_placed(served.network) == 0


def test_a_card_is_protected_from_guesses_coming_from_many_addresses(app, network, tick):
    answers = [order(client(app, f"203.0.113.{n}"), CARD, f"{n:04d}") for n in range(8)]
    assert [a.status_code for a in answers] == [400] * 5 + [429] * 3
    assert error_of(answers[-1]).startswith(THROTTLED)
    patron = client(app, "198.51.100.7")
    assert order(patron, CARD, PIN).status_code == 429, "even the right PIN waits"
    tick.now += 121  # slowed, not closed: one more try every two minutes
    placed = order(patron, CARD, PIN)
    assert placed.status_code == 200 and "Phú Thọ" in placed.text
    assert holds_placed(network) == 1
    assert order(patron, CARD, "0000").status_code == 400, "a right PIN refills the card's tries"


def test_one_client_cannot_walk_through_many_cards(app, network):
    guesser = client(app, "203.0.113.9")
    answers = [order(guesser, f"PT-{n:06d}", "1234") for n in range(100, 112)]
    assert [a.status_code for a in answers] == [400] * 10 + [429] * 2
    assert order(client(app, "198.51.100.7"), CARD, PIN).status_code == 200


@pytest.fixture
def card_without_pin(network) -> str:
    device = network.devices["TN-PHUTHO"]
    card = device.patrons.add("Bạn đọc chưa có PIN", "adult", card_number="PT-000002")["card_number"]
    network.sync("TN-PHUTHO")
    return card


def test_unknown_cards_cards_without_a_pin_and_wrong_pins_look_alike(
        app, card_without_pin, monkeypatch):
    checked = []
    real = pins.verify_pin

    def spy(pin, stored):
        checked.append(stored)
        return real(pin, stored)

    monkeypatch.setattr(pins, "verify_pin", spy)
    answers = {}
    for case, card in (("unknown", "PT-999999"), ("no pin", card_without_pin), ("pin", CARD)):
        before = len(checked)
        reply = order(client(app, "198.51.100.7"), card, "9876")
        answers[case] = (reply.status_code, error_of(reply))
        assert len(checked) == before + 1, f"{case}: exactly one verifier derivation"
        assert checked[-1].startswith(f"scrypt${pins.N}${pins.R}$"), case
    assert set(answers.values()) == {(400, BAD_LOGIN)}


def test_the_three_kinds_of_refusal_take_about_the_same_time(app, network, card_without_pin):
    throttle = app.state.throttle
    throttle.pin_card = throttle.pin_client = RateLimiter(1000, 1)
    http = client(app, "198.51.100.7")
    order(http, CARD, "0000")  # warm up templates and caches
    medians = {}
    for case, card in (("unknown", "PT-999999"), ("no pin", card_without_pin), ("pin", CARD)):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert order(http, card, "9876").status_code == 400
            times.append(time.perf_counter() - start)
        medians[case] = statistics.median(times)
    assert max(medians.values()) < 2.5 * min(medians.values()), medians

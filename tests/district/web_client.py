"""An HTTP client that posts forms the way the hub's own pages do: with their CSRF token."""

from __future__ import annotations

import re

import httpx
from starlette.testclient import TestClient

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(http: httpx.Client, page: str = "/quan-tri/dang-nhap") -> str:
    """The token in a form of ``page`` (it belongs to the client's session cookie)."""
    return TOKEN.search(http.get(page).text).group(1)


class FormPosting:
    """``post(data=...)`` adds the token of the current session cookie, like a browser
    submitting a form it was served; pass ``csrf_token`` yourself to send another."""

    _token: tuple[str | None, str] | None = None

    def csrf(self) -> str:
        cookie = self.cookies.get("district_session")
        if self._token is None or self._token[0] != cookie or cookie is None:
            token = csrf_token(self)
            self._token = (self.cookies.get("district_session"), token)
        return self._token[1]

    def post(self, url, *, data=None, **kwargs):
        if data is not None and "csrf_token" not in data:
            data = {**data, "csrf_token": self.csrf()}
        elif data is None and "content" not in kwargs and "json" not in kwargs:
            data = {"csrf_token": self.csrf()}
        return super().post(url, data=data, **kwargs)

    def post_without_token(self, url, **kwargs):
        return super().post(url, **kwargs)


class WebClient(FormPosting, httpx.Client):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        super().__init__(*args, **kwargs)


class WebTestClient(FormPosting, TestClient):
    """The same over Starlette's in-process client (which can pose as any address)."""


def requests_login(url: str, username: str, password: str):
    """A ``requests`` session logged in through the login form (token included)."""
    import requests

    s = requests.Session()
    token = TOKEN.search(s.get(url + "/quan-tri/dang-nhap", timeout=10).text).group(1)
    reply = s.post(url + "/quan-tri/dang-nhap", timeout=10,
                   data={"username": username, "password": password, "csrf_token": token})
    return s, reply

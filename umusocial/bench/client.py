"""A small HTTP client for the benchmark: one keep-alive connection, cookies, CSRF, timing."""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Referer": f"http://127.0.0.1:{self.port}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def timed(self, method: str, path: str, data: dict | None = None) -> tuple[float, int]:
        """(milliseconds, HTTP status) of one request."""
        start = time.perf_counter()
        status, _text = self.request(method, path, data)
        return (time.perf_counter() - start) * 1000, status

    def csrf_token(self, path: str) -> str:
        status, text = self.get(path)
        match = CSRF_INPUT.search(text)
        if not match:
            raise RuntimeError(f"No form with a CSRF token at {path} (HTTP {status})")
        return match.group(1)

    def log_in(self, username: str, password: str) -> None:
        token = self.csrf_token("/accounts/login/")
        status, _text = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if status != 302:
            raise RuntimeError(f"Logging in as {username} failed (HTTP {status})")

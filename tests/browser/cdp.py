"""A headless Chromium driven over the DevTools protocol, for tests that need a real browser.

Chromium is started with `--remote-debugging-port=0` (it picks a free port and writes it to
`DevToolsActivePort` in its profile folder: the first line is the port), the page's
WebSocket address comes from `http://127.0.0.1:PORT/json/list`, and commands are JSON
messages `{"id", "method", "params"}` answered by `{"id", "result"}` or `{"id", "error"}`
(https://chromedevtools.github.io/devtools-protocol/). websocket-client carries them.

The binary: `$CHROMIUM_BIN` (scripts/install-tools.sh exports it), else the first of
BROWSER_NAMES on PATH.
Without one the tests skip with the reason, except under CI (`CI` set): there they fail,
so CI cannot pass without having run them.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

#: Chromium's own startup plus loading a local page: generous for a shared 2-core machine.
STARTUP_SECONDS = 30.0
COMMAND_SECONDS = 30.0


def _missing(reason: str) -> NoReturn:
    """Skip with `reason`; under CI fail instead: CI must run the browser tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI must run the browser tests")
    pytest.skip(reason)


#: Debian's name, then the names Ubuntu's and Fedora's packages and Google's builds use.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_binary() -> str:
    """The Chromium to run; skips (fails under CI) when there is none."""
    found = os.environ.get("CHROMIUM_BIN") or next(
        filter(None, map(shutil.which, BROWSER_NAMES)), None
    )
    if not found:
        _missing(
            "no chromium: scripts/install-tools.sh installs Debian's package with apt-get "
            "(as root or with sudo -n); it could not here"
        )
    return found


def _websocket_module() -> Any:
    try:
        import websocket
    except ImportError:
        _missing("no websocket-client: pip install -e '.[dev]'")
    return websocket


class Page:
    """One tab: send commands, wait for events."""

    def __init__(self, socket: Any) -> None:
        self._socket = socket
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        ident = self._next_id
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + COMMAND_SECONDS
        while time.monotonic() < deadline:
            message = json.loads(self._socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self._events.append(message)
        raise TimeoutError(method)

    def wait_for(self, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + COMMAND_SECONDS
        while time.monotonic() < deadline:
            for index, message in enumerate(self._events):
                if message.get("method") == event:
                    del self._events[: index + 1]
                    params: dict[str, Any] = message.get("params", {})
                    return params
            self._events.append(json.loads(self._socket.recv()))
        raise TimeoutError(event)

    def open(self, url: str) -> None:
        """Load `url` and wait until its load event (scripts have run)."""
        self.send("Page.enable")
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        answer = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed and released) at the middle of the element."""
        box = self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])
        path.write_bytes(data)
        return data


def _port(profile: Path, process: subprocess.Popen[bytes]) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited at start ({process.returncode})")
        if marker.is_file():
            first = marker.read_text().splitlines()[:1]
            if first and first[0].isdigit():
                return int(first[0])
        time.sleep(0.1)
    raise TimeoutError("chromium did not open its DevTools port")


@contextmanager
def headless_page(profile: Path, *, width: int = 1280, height: int = 900) -> Iterator[Page]:
    """A headless Chromium with one blank tab of `width` x `height` CSS pixels."""
    websocket = _websocket_module()  # websocket-client, in the dev extra
    binary = chromium_binary()
    process = subprocess.Popen(
        [
            binary,
            "--headless",
            "--no-sandbox",  # root in containers; the page is a local file of ours
            "--disable-gpu",
            "--disable-dev-shm-usage",  # containers' /dev/shm is often too small for it
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port = _port(profile, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            targets = json.load(answer)
        page = next(target for target in targets if target.get("type") == "page")
        socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=COMMAND_SECONDS, suppress_origin=True
        )
        try:
            tab = Page(socket)
            tab.send(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            yield tab
        finally:
            socket.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

#!/usr/bin/env python3
"""Every page of the built book, loaded in headless Chromium.

Called by .ci/browser-check, which serves book/book over HTTP and starts
Chromium with a DevTools port. This script drives the browser through the
DevTools protocol (a minimal WebSocket client from the standard library:
the protocol needs nothing more), and for every page:

- loads it at a narrow window width and records every console error,
  uncaught exception and failed request the browser reports;
- checks every <img> finished loading with a non-zero size, and fetches it
  again directly to check the server sends a non-empty body;
- collects every link and every element id, then checks each link to a page
  of the book reaches a page that exists and, with a fragment, an element of
  that page with that id;
- checks that no table makes the page wider than the window: a table wider
  than its column must sit in a box that scrolls (overflow-x auto or
  scroll), and the page itself must not scroll sideways.

Usage: browser_check.py BASE_URL DEVTOOLS_PORT BOOK_DIR [SCREENSHOT_DIR]
Exit status 1 with one line per problem when anything is broken.
"""

import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# Narrow enough that the book's widest tables are wider than the page.
NARROW = {"width": 480, "height": 900}
WIDE = {"width": 1200, "height": 2000}  # then as tall as the page
PAGE_TIMEOUT_S = 20


class DevTools:
    """One WebSocket connection to one page target."""

    def __init__(self, ws_url):
        url = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((url.hostname, url.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {url.path} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"DevTools refused the WebSocket: {head[:200]!r}")
        self.next_id = 0
        self.events = []

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _frame(self):
        """One whole message (frames joined until FIN), as text."""
        message = b""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack(">H", self._read(2))
            elif length == 127:
                (length,) = struct.unpack(">Q", self._read(8))
            if second & 0x80:
                mask = self._read(4)
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(length)))
            else:
                payload = self._read(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):  # ping, pong: not part of a message
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def send(self, method, **params):
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)
        return self.next_id

    def call(self, method, **params):
        """Sends a command and waits for its answer; events meanwhile are kept."""
        wanted = self.send(method, **params)
        while True:
            message = json.loads(self._frame())
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method, timeout):
        deadline = time.monotonic() + timeout
        self.sock.settimeout(timeout)
        while time.monotonic() < deadline:
            for index, event in enumerate(self.events):
                if event["method"] == method:
                    del self.events[index]
                    return event
            message = json.loads(self._frame())
            if "method" in message:
                self.events.append(message)
        raise TimeoutError(method)


# Runs in the page once it has loaded; returns what the checks need.
PROBE = r"""
(() => {
  const tables = [...document.querySelectorAll('main table')].map(table => {
    const box = table.parentElement;
    return {
      width: table.scrollWidth,
      box: box.clientWidth,
      overflow: getComputedStyle(box).overflowX,
    };
  });
  return JSON.stringify({
    images: [...document.images].map(img => ({
      src: img.currentSrc || img.src,
      complete: img.complete,
      width: img.naturalWidth,
    })),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    tables: tables,
    pageWidth: document.scrollingElement.scrollWidth,
    window: window.innerWidth,
    title: document.title,
  });
})()
"""


# mdBook's helper pages, not chapters: the page served for a missing URL
# (whose <base> sends its own anchors to index.html) and the sidebar's
# no-script frame (which has no icon, so a browser asks for /favicon.ico).
HELPERS = ("404.html", "toc.html")


def pages(book_dir):
    found = []
    for root, dirs, files in os.walk(book_dir):
        # mdBook's assets: fonts, highlight.js, the search index.
        dirs[:] = [d for d in dirs if d not in ("FontAwesome", "fonts", "css", "theme")]
        for name in files:
            if name.endswith(".html") and name not in HELPERS:
                found.append(os.path.relpath(os.path.join(root, name), book_dir))
    return sorted(found)


def fetch_size(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def describe(event):
    params = event["params"]
    method = event["method"]
    if method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        text = details.get("exception", {}).get("description") or details.get("text")
        return f"uncaught exception: {text}"
    if method == "Runtime.consoleAPICalled" and params["type"] == "error":
        args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
        return f"console.error: {args}"
    if method == "Log.entryAdded" and params["entry"]["level"] == "error":
        entry = params["entry"]
        return f"{entry['text']} ({entry.get('url', '')})"
    if method == "Network.loadingFailed" and not params.get("canceled"):
        return f"request failed: {params.get('errorText')}"
    if method == "Network.responseReceived" and params["response"]["status"] >= 400:
        response = params["response"]
        return f"HTTP {response['status']} for {response['url']}"
    return None


def main():
    base, port, book_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    shots = sys.argv[4] if len(sys.argv) > 4 else None
    base = base.rstrip("/") + "/"
    deadline = time.monotonic() + 30
    target = None
    while target is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                target = next((t for t in json.load(r) if t["type"] == "page"), None)
        except OSError:
            pass
        if target is None:
            if time.monotonic() > deadline:
                sys.exit("browser-check: Chromium's DevTools did not answer within 30 s")
            time.sleep(0.3)
    tools = DevTools(target["webSocketDebuggerUrl"])
    for domain in ("Page", "Runtime", "Log", "Network"):
        tools.call(f"{domain}.enable")

    problems = []
    seen = {}
    all_pages = pages(book_dir)
    for page in all_pages:
        url = base + page
        tools.call("Emulation.setDeviceMetricsOverride", deviceScaleFactor=1, mobile=False, **NARROW)
        tools.events.clear()
        tools.call("Page.navigate", url=url)
        try:
            tools.wait_for("Page.loadEventFired", PAGE_TIMEOUT_S)
        except TimeoutError:
            problems.append(f"{page}: did not finish loading within {PAGE_TIMEOUT_S} s")
            continue
        # Let the page's scripts (theme, search, sidebar) run.
        time.sleep(0.3)
        result = tools.call("Runtime.evaluate", expression=PROBE, returnByValue=True)
        probe = json.loads(result["result"]["value"])
        # Reading the probe drained the events that arrived meanwhile.
        for event in tools.events:
            text = describe(event)
            if text:
                problems.append(f"{page}: {text}")
        tools.events.clear()
        for image in probe["images"]:
            status, size = fetch_size(image["src"])
            if not image["complete"] or image["width"] == 0:
                problems.append(f"{page}: image {image['src']} did not load (natural width 0)")
            elif status != 200 or size == 0:
                problems.append(f"{page}: image {image['src']} is HTTP {status}, {size} bytes")
        widest = max(probe["tables"], key=lambda t: t["width"] - t["box"], default=None)
        for table in probe["tables"]:
            if table["width"] > table["box"] + 1 and table["overflow"] not in ("auto", "scroll"):
                problems.append(
                    f"{page}: a table {table['width']} px wide overflows its {table['box']} px"
                    f" column (overflow-x: {table['overflow']})"
                )
        if probe["pageWidth"] > probe["window"] + 1:
            problems.append(
                f"{page}: the page is {probe['pageWidth']} px wide in a {probe['window']} px window"
            )
        seen[page] = probe
        scrolls = ""
        if widest and widest["width"] > widest["box"]:
            scrolls = f"; widest table {widest['width']} px scrolls in {widest['box']} px"
        print(f"  {page}: {len(probe['images'])} image(s), {len(probe['links'])} link(s){scrolls}")
        if shots:
            # The whole page, up to a height a PNG viewer still opens.
            tools.call("Emulation.setDeviceMetricsOverride", deviceScaleFactor=1, mobile=False, **WIDE)
            time.sleep(0.3)
            height = tools.call(
                "Runtime.evaluate",
                expression="document.scrollingElement.scrollHeight",
                returnByValue=True,
            )["result"]["value"]
            tools.call(
                "Emulation.setDeviceMetricsOverride",
                deviceScaleFactor=1,
                mobile=False,
                width=WIDE["width"],
                height=min(int(height), 16000),
            )
            time.sleep(0.3)
            shot = tools.call("Page.captureScreenshot", format="png")
            name = page.replace("/", "_").replace(".html", ".png")
            with open(os.path.join(shots, name), "wb") as out:
                out.write(base64.b64decode(shot["data"]))

    # Links, once every page's ids are known.
    checked = {}
    for page, probe in seen.items():
        for link in probe["links"]:
            if not link.startswith(base):
                continue  # another site: not this check's to judge
            target, _, fragment = link[len(base):].partition("#")
            target = urllib.parse.unquote(target) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if target in seen:
                if fragment and urllib.parse.unquote(fragment) not in seen[target]["ids"]:
                    problems.append(f"{page}: link to {target}#{fragment}: no such anchor")
                continue
            if target not in checked:
                checked[target] = fetch_size(base + target)
            status, size = checked[target]
            if status != 200 or size == 0:
                problems.append(f"{page}: link to {target} is HTTP {status}, {size} bytes")

    print(f"browser-check: {len(seen)} of {len(all_pages)} page(s) checked")
    # An image shown twice (the theme's click-to-zoom copy) or a link given
    # twice is one problem.
    problems = list(dict.fromkeys(problems))
    if problems:
        for problem in problems:
            print(f"  BROKEN {problem}")
        sys.exit(f"browser-check: {len(problems)} problem(s), listed above")


if __name__ == "__main__":
    main()

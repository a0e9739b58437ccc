#!/usr/bin/env python3
"""A small HTTP(S) feed server for gigatop's tests, on 127.0.0.1 only.

Prints the port it listens on, then serves until killed (or until the process
that started it is gone, or 5 minutes have passed). Every request is
appended to the --log file as one JSON object (method, path, the headers the
tests look at). Paths:

  /doc          status document with an ETag; 304 when If-None-Match matches
  /stream       chunked NDJSON: the fixture's lines, then held open (?hold=SECONDS)
  /sse          Server-Sent Events: one message per data: field group
  /stall        reads the request and never answers
  /stall-body   sends headers and one line, then nothing
  /reset        resets the connection (RST) without answering
  /500          always HTTP 500
  /garbage      good line, garbage lines, good line
  /redirect/N   302 to /redirect/N-1; /redirect/0 goes to /stream
  /auth         the stream if "Authorization: Bearer s3cret", else 401
"""
import argparse
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LINES = []
DOC = b""
LOG_LOCK = threading.Lock()
ARGS = None


def good(i):
    return json.dumps({"type": "power_source", "ts": "2024-07-01T00:00:%02dZ" % (i % 60), "src": "bms",
                       "id": "grid-%d" % i, "kind": "grid", "cap_mw": 0.5, "status": "online"}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self):
        entry = {"method": self.command, "path": self.path,
                 "if_none_match": self.headers.get("If-None-Match"),
                 "if_modified_since": self.headers.get("If-Modified-Since"),
                 "authorization": self.headers.get("Authorization"),
                 "last_event_id": self.headers.get("Last-Event-ID")}
        with LOG_LOCK:
            with open(ARGS.log, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def chunk(self, data):
        self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
        self.wfile.flush()

    def start_chunked(self, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def hold(self, default):
        query = self.path.partition("?")[2]
        seconds = default
        for part in query.split("&"):
            if part.startswith("hold="):
                seconds = float(part[5:])
        time.sleep(seconds)

    def do_GET(self):
        self.record()
        path = self.path.partition("?")[0]
        try:
            if path == "/doc":
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.send_header("ETag", '"v1"')
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("ETag", '"v1"')
                self.send_header("Last-Modified", "Mon, 01 Jul 2024 00:00:00 GMT")
                self.send_header("Content-Length", str(len(DOC)))
                self.end_headers()
                self.wfile.write(DOC)
            elif path == "/stream" or (path == "/auth" and self.headers.get("Authorization") == "Bearer s3cret"):
                self.start_chunked("application/x-ndjson")
                body = b"".join(line + b"\n" for line in LINES)
                # Cut across line boundaries on purpose.
                for i in range(0, len(body), 700):
                    self.chunk(body[i:i + 700])
                self.hold(0)
                self.chunk(b"")
            elif path == "/auth":
                self.send_response(401)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/sse":
                self.start_chunked("text/event-stream; charset=utf-8")
                self.chunk(b": a comment\n\nretry: 1000\n")
                self.chunk(b"id: 1\nevent: update\ndata: " + good(1) + b"\n\n")
                # One JSON message split over two data: lines, CRLF line ends.
                text = good(2).decode()
                half = text.index(",") + 1
                self.chunk(("data: " + text[:half] + "\r\ndata: " + text[half:] + "\r\n\r\n").encode())
                self.chunk(b"id: 3\ndata: {\"type\": nope}\n\n")
                self.chunk(b"data:" + good(4) + b"\n\n")
                self.hold(0)
                self.chunk(b"")
            elif path == "/stall":
                time.sleep(60)
            elif path == "/stall-body":
                self.start_chunked("application/x-ndjson")
                self.chunk(good(1) + b"\n")
                time.sleep(60)
            elif path == "/reset":
                # Linger 0 makes close() send RST; the file objects hold the socket too, so close them first.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.rfile.close()
                self.wfile.close()
                self.connection.close()
            elif path == "/500":
                body = b"internal error\n"
                self.send_response(500)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif path == "/garbage":
                self.start_chunked("application/x-ndjson")
                self.chunk(good(1) + b"\n")
                self.chunk(b"this is not json\n")
                self.chunk(b"\x1b[31m\xff\xfe{\n")
                self.chunk(b'{"type":"power_source","ts":"2024-07-01T00:00:00Z"}\n')
                self.chunk(good(2) + b"\n")
                self.hold(0)
                self.chunk(b"")
            elif path.startswith("/redirect/"):
                n = int(path.rsplit("/", 1)[1])
                target = "/stream" if n == 0 else "/redirect/%d" % (n - 1)
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass


def main():
    global ARGS, LINES, DOC
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    ARGS = parser.parse_args()
    with open(ARGS.fixture, "rb") as f:
        LINES = [line.rstrip(b"\n") for line in f if line.strip()]
    DOC = b"[" + b",".join(LINES[:5]) + b"]"
    open(ARGS.log, "w").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if ARGS.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ARGS.cert, ARGS.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


def watch_parent(parent, lifetime=300):
    """Exits when the test process that started the server is gone, or after `lifetime` seconds."""
    end = time.monotonic() + lifetime
    while time.monotonic() < end and os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A stand-in for the Infinium API on 127.0.0.1 for bench/flush-bench.sh: accepts every
POST .../agents/<id>/trace with 200 and a trace id, counts what it got. Prints its port on the
first line of stdout, then serves until killed; on SIGTERM writes the count to COUNT_FILE.
GET /stats answers {"traces": N, "redactions": R, "leaks": L}: the sum of the traces'
custom_tags.redactions and how many bodies still hold one of gen-claude-session.py's made-up
credentials.

Usage: loopback-receiver.py COUNT_FILE
"""
import http.server
import json
import re
import signal
import sys

count = 0
redactions = 0
leaks = 0
# Two of the credentials gen-claude-session.py plants in tool outputs (ENV_DUMP).
PLANTED = (b"AKIAZ7QXRN4JWK2LMP5T", b"ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi")
REDACTIONS = re.compile(rb'"redactions":(\d+)')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle: otherwise each reply waits for a delayed ACK (~40 ms)
    # and the bench would measure the receiver, not the flush.
    disable_nagle_algorithm = True

    def do_GET(self):
        body = json.dumps({"traces": count, "redactions": redactions, "leaks": leaks}).encode()
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                         % (len(body), body))

    def do_POST(self):
        global count, redactions, leaks
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        count += 1
        m = REDACTIONS.search(data)
        redactions += int(m.group(1)) if m else 0
        leaks += any(p in data for p in PLANTED)
        body = b'{"success":true,"data":{"traceId":"bench-%d"}}' % count
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                         % (len(body), body))

    def log_message(self, *args):
        pass


def main():
    count_file = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    def stop(*_):
        with open(count_file, "w") as f:
            f.write("%d\n" % count)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

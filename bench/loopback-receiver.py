#!/usr/bin/env python3
"""A stand-in for the Infinium API on 127.0.0.1 for bench/flush-bench.sh: accepts every
POST .../agents/<id>/trace with 200 and a trace id, counts what it got. Prints its port on the
first line of stdout, then serves until killed; on SIGTERM writes the count to COUNT_FILE.

Usage: loopback-receiver.py COUNT_FILE
"""
import http.server
import signal
import sys

count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle: otherwise each reply waits for a delayed ACK (~40 ms)
    # and the bench would measure the receiver, not the flush.
    disable_nagle_algorithm = True

    def do_POST(self):
        global count
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        count += 1
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

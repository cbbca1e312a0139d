#!/usr/bin/env python3
"""The QEMU tests' HTTP server (test/qemu/netboot.sh).

    httpd.py serve DIR PORTFILE LOG [CERT KEY]
                                      serve DIR on 127.0.0.1, a free port
                                      written to PORTFILE; each request
                                      logged to LOG; with CERT and KEY
                                      (PEM) over TLS 1.2
    httpd.py relay PORTFILE [TIMES]   copy between stdin/stdout and that
                                      port: what QEMU's guestfwd=...-cmd:
                                      runs for each connection of the guest;
                                      with TIMES, append to that file the
                                      bytes sent to the guest and the
                                      seconds from its first byte to the
                                      last one sent (bench/net.sh)
    httpd.py cacerts CA OUT           the CA certificate (PEM) as OVMF
                                      takes it through fw_cfg
                                      etc/edk2/https/cacerts: an
                                      EFI_SIGNATURE_LIST of one X.509
                                      certificate (UEFI 2.10 §32.4.1)

The first part of a path says how to answer for the file DIR/NAME:

    /exact/NAME      200, Content-Length
    /chunked/NAME    200, chunked (chunks of varied sizes, an extension,
                     a trailer field)
    /redirect/NAME   307 to /chunked/NAME
    /moved/NAME      301 to http://HOST/redirect/NAME
    /truncated/NAME  Content-Length of the whole file, half of it, close
    /stalled/NAME    Content-Length, a quarter of it, then nothing until
                     the client closes the connection
    /flaky503/NAME   503 the first time, then as /exact/
    /drop/NAME       the connection closed unanswered the first time,
                     then as /exact/
    HEAD /exact/NAME 200, Content-Length, no body (any other HEAD: 404)
    anything else, or a file that is not there: 404

Only 127.0.0.1 is listened on; nothing is read outside DIR.
"""
import http.server
import os
import select
import socket
import ssl
import struct
import sys
import threading
import time
import uuid

CHUNK_SIZES = (1, 7, 4096, 65536 + 3, 1000000)
# How long a stalled answer holds its connection open, at most
STALL_HOLD_S = 600


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = set()
    seen_lock = threading.Lock()

    def setup(self):
        # the handshake here, not in accept(): a failed one is logged
        if self.server.tls:
            try:
                self.request = self.server.tls.wrap_socket(self.request, server_side=True)
            except (ssl.SSLError, OSError) as e:
                with open(self.server.log_path, "a") as log:
                    log.write("TLS handshake failed: %s\n" % e)
                raise
            with open(self.server.log_path, "a") as log:
                log.write("TLS %s %s\n" % (self.request.version(), self.request.cipher()[0]))
        super().setup()

    def log(self, status, note=""):
        with open(self.server.log_path, "a") as log:
            log.write("%s %s %s%s\n" % (self.command, self.path, status, note))

    def first_time(self):
        with self.seen_lock:
            new = self.path not in self.seen
            self.seen.add(self.path)
            return new

    def head(self, status, fields):
        self.send_response_only(status)
        for name, value in fields:
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def file(self):
        """How to answer (the first part of the path) and the file's path:
        how is "missing" when there is no such file."""
        parts = self.path.split("/", 2)
        how, name = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
        path = os.path.join(self.server.root, name)
        if not name or "/" in name or name.startswith(".") or not os.path.isfile(path):
            how = "missing"
        return how, name, path

    def do_HEAD(self):
        # the firmware's HTTP boot asks the size of its boot file first
        how, _, path = self.file()
        if how != "exact":
            self.log(404)
            return self.head(404, [("Content-Length", "0")])
        self.log(200)
        self.head(200, [("Content-Length", str(os.path.getsize(path)))])

    def do_GET(self):
        how, name, path = self.file()
        if how == "flaky503" and self.first_time():
            self.log(503)
            return self.head(503, [("Content-Length", "0"), ("Retry-After", "1")])
        if how == "drop" and self.first_time():
            self.log("dropped")
            self.close_connection = True
            return
        if how in ("flaky503", "drop"):
            how = "exact"
        if how == "redirect":
            self.log(307)
            return self.head(307, [("Location", "/chunked/" + name), ("Content-Length", "0")])
        if how == "moved":
            self.log(301)
            where = "http://%s/redirect/%s" % (self.headers.get("Host", ""), name)
            return self.head(301, [("Location", where), ("Content-Length", "0")])
        if how not in ("exact", "chunked", "truncated", "stalled"):
            self.log(404)
            body = b"not here\n"
            self.head(404, [("Content-Length", str(len(body)))])
            return self.wfile.write(body)
        with open(path, "rb") as f:
            data = f.read()
        if how == "chunked":
            self.log(200, " chunked %d bytes" % len(data))
            self.head(200, [("Transfer-Encoding", "chunked")])
            at, i = 0, 0
            while at < len(data):
                n = CHUNK_SIZES[i % len(CHUNK_SIZES)]
                piece = data[at:at + n]
                ext = ";note=x" if i % 2 else ""
                self.wfile.write(b"%x%s\r\n" % (len(piece), ext.encode()) + piece + b"\r\n")
                at, i = at + len(piece), i + 1
            return self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        self.head(200, [("Content-Length", str(len(data)))])
        if how == "truncated":
            self.log(200, " truncated %d of %d bytes" % (len(data) // 2, len(data)))
            return self.wfile.write(data[:len(data) // 2])
        if how == "stalled":
            self.log(200, " stalled after %d of %d bytes" % (len(data) // 4, len(data)))
            self.wfile.write(data[:len(data) // 4])
            self.wfile.flush()
            # then nothing, the connection held open until the client
            # closes it: how long it waited is in the log
            start = time.monotonic()
            self.connection.settimeout(STALL_HOLD_S)
            try:
                while self.connection.recv(65536):
                    pass
                end = "closed by the client"
            except OSError:
                end = "still open"
            return self.log("stalled", ", %s after %d s" % (end, time.monotonic() - start))
        self.log(200, " %d bytes" % len(data))
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # every request is in LOG already


def serve(root, port_file, log_path, cert=None, key=None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.tls = None
    if cert:
        server.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.tls.minimum_version = ssl.TLSVersion.TLSv1_2
        server.tls.maximum_version = ssl.TLSVersion.TLSv1_2
        # OpenSSL's own list, not Python's (forward secrecy only): EDK2's
        # TLS offers RSA key exchange too
        server.tls.set_ciphers("DEFAULT")
        server.tls.load_cert_chain(cert, key)
    server.daemon_threads = True
    server.root = root
    server.log_path = log_path
    open(log_path, "w").close()
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


def relay(port_file, times=None):
    # stderr is the guest's connection too: nothing may be written to it
    sys.stderr = open(os.devnull, "w")
    with open(port_file) as f:
        port = int(f.read())
    up = socket.create_connection(("127.0.0.1", port))
    guest_open = True
    # the guest's request to the last byte handed to QEMU for it: QEMU
    # takes no more than the guest's TCP window ahead of the guest, so
    # for a large file this is the transfer as the guest sees it
    started, last, sent = None, None, 0
    while True:
        ready = select.select([up] + ([0] if guest_open else []), [], [])[0]
        if 0 in ready:
            data = os.read(0, 65536)
            if data:
                started = started or time.monotonic()
                up.sendall(data)
            else:
                guest_open = False
                up.shutdown(socket.SHUT_WR)
        if up in ready:
            data = up.recv(65536)
            if not data:
                break  # the server closed: so does the guest's connection
            view = memoryview(data)
            while view:
                view = view[os.write(1, view):]
            sent, last = sent + len(data), time.monotonic()
    if times and started and last:
        with open(times, "a") as f:
            f.write("%d %.6f\n" % (sent, last - started))


def cacerts(ca, out):
    der = ssl.PEM_cert_to_DER_cert(open(ca).read())
    x509 = uuid.UUID("a5c059a1-94e4-4aa7-87b5-ab155c2bf072").bytes_le
    owner = uuid.UUID("e6b1b3a4-5e8d-4b7e-9a1c-2f0c0ffee024").bytes_le
    # type, list size, header size, signature size; then owner and data
    head = struct.pack("<16sIII", x509, 28 + 16 + len(der), 0, 16 + len(der))
    with open(out, "wb") as f:
        f.write(head + owner + der)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"] and len(sys.argv) in (5, 7):
        serve(*sys.argv[2:])
    elif sys.argv[1:2] == ["cacerts"] and len(sys.argv) == 4:
        cacerts(*sys.argv[2:])
    elif sys.argv[1:2] == ["relay"] and len(sys.argv) in (3, 4):
        relay(*sys.argv[2:])
    else:
        sys.exit(__doc__)

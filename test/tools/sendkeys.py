#!/usr/bin/env python3
"""sendkeys.py MONITOR LOG STEP...: types into a QEMU guest's keyboard.

Each STEP is either "wait=TEXT" (until TEXT is in the serial LOG once more
than at the previous wait for it: a menu drawn anew, say) or a key as QEMU's
monitor `sendkey` names it ("d", "shift-equal", "esc", "ret", "spc").
MONITOR is the unix socket of `-monitor unix:PATH,server,nowait`. Gives up
quietly after TIMEOUT seconds (default 200) on a wait: the test then fails
on what the log lacks.
"""
import os
import socket
import sys
import time


def count(log, text):
    try:
        with open(log, "rb") as f:
            return f.read().count(text.encode())
    except FileNotFoundError:
        return 0


def main():
    monitor, log, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
    deadline = time.time() + float(os.environ.get("TIMEOUT", "200"))
    seen = {}
    sock = None
    for step in steps:
        if step.startswith("wait="):
            text = step[5:]
            want = seen.get(text, 0) + 1
            while count(log, text) < want:
                if time.time() > deadline:
                    return
                time.sleep(0.2)
            seen[text] = want
            continue
        while sock is None:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(monitor)
            except OSError:
                sock = None
                if time.time() > deadline:
                    return
                time.sleep(0.2)
        sock.sendall(("sendkey %s\n" % step).encode())
        # the firmware reads the keyboard in its own time, under TCG
        time.sleep(0.5)


main()

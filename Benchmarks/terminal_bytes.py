#!/usr/bin/env python3
"""Bytes the console sends to the terminal when one queue row changes, on a 200x50 screen.

Runs the real console in a pseudo-terminal on a demo desk, waits until its first frame is
drawn (the full repaint), changes one ticket's priority with the command line, and counts the
bytes the console writes until the screen is quiet again. Usage: terminal_bytes.py HELPDESK_BINARY
"""
import fcntl, os, pty, select, struct, subprocess, sys, tempfile, termios, time

binary = os.path.abspath(sys.argv[1])
rows, columns = 50, 200


def read_until_quiet(fd, quiet=0.5, limit=20.0):
    """Everything the console writes until it has been silent for `quiet` seconds."""
    data = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            if data:
                return data
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


with tempfile.TemporaryDirectory() as directory:
    log = os.path.join(directory, "desk.log")
    subprocess.run([binary, "demo", "--log", log, "--no-console"], check=True, stdout=subprocess.DEVNULL)
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "HELPDESK_LOG": log})
        os.execv(binary, [binary])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.kill(pid, 28)  # SIGWINCH, in case it read the size before it was set
    first = read_until_quiet(fd)
    subprocess.run([binary, "give", "6", "bob", "--log", log], check=True, stdout=subprocess.DEVNULL)
    change = read_until_quiet(fd)
    if os.environ.get("SHOW_BYTES"):
        print(repr(change))
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    print(f"| terminal bytes, first frame (full repaint) {columns}x{rows} | {len(first)} |")
    print(f"| terminal bytes, one queue row changes (ticket 6 given to bob) | {len(change)} |")

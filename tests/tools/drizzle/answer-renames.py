#!/usr/bin/env python3
"""Runs a command (drizzle-kit generate) in a pseudo-terminal and answers each of its "created or renamed from
another column?" questions with the first rename offered. drizzle-kit asks those questions only on a TTY and has
no flag for them; a test that wants the rename drizzle-kit itself writes runs it through this script.
Usage: answer-renames.py COMMAND [ARGS...]; the command's output is copied to stdout, its exit code returned."""
import os
import pty
import re
import select
import sys
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
QUESTION = re.compile(rb"Is (\S+) (column in (\S+) table|\S+) created or renamed from another")


def main() -> int:
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    seen = b""
    answered = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break  # the child closed the terminal
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        seen += data
        for match in QUESTION.finditer(ANSI.sub(b"", seen)):
            key = match.group(0)
            if key not in answered:
                # the first item is "create"; the next is the first rename candidate
                answered.add(key)
                time.sleep(0.2)
                os.write(fd, b"\x1b[B")
                time.sleep(0.2)
                os.write(fd, b"\r")
    else:
        os.kill(pid, 9)
        print("answer-renames.py: the command did not finish within 120 s", file=sys.stderr)
        return 124
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())

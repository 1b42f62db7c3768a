#!/usr/bin/env python3
"""No acknowledged appeal is ever lost: submit appeals over the API from several clients while the server
is killed with SIGKILL at random moments, 20 times, restarting it each time; afterwards every appeal that
received a 2xx answer must be in the database, intact, under the number it was given.

usage: kill_test.py --binary .build/debug/yingshang --workdir DIR [--rounds 20] [--port 18181]
Prints `kill: N passed, M failed`; exit 1 on any failure.
"""
import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--workdir", required=True, type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--port", type=int, default=18181)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    db = args.workdir / "kill.sqlite"
    env = dict(os.environ, DATABASE_URL=f"sqlite://{db}", YINGSHANG_PORT=str(args.port), YINGSHANG_HOST="127.0.0.1",
               YINGSHANG_JOB_INTERVAL="0")
    base = f"http://127.0.0.1:{args.port}"
    log = open(args.workdir / "kill-server.log", "ab")

    def start() -> subprocess.Popen:
        return subprocess.Popen([args.binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    # First start: migrations and the administrator, whose API token the clients use.
    server = start()
    if not wait_healthy(base, server):
        print("kill: 0 passed, 1 failed (the server did not start)")
        return 1
    token = subprocess.run([args.binary, "tokens", "create", "--user", "admin", "--name", "kill-test"], env=env,
                           capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout.strip().splitlines()[-1]
    server.send_signal(signal.SIGKILL)
    server.wait()

    acknowledged: dict[str, dict] = {}   # idempotency key → {number, title, content}
    lock = threading.Lock()
    rng = random.Random(20261128)
    failures: list[str] = []
    errors_seen = 0

    def client(stop: threading.Event) -> None:
        nonlocal errors_seen
        while not stop.is_set():
            key = f"kill-{uuid.uuid4()}"
            title = f"断电测试诉求 {key[-8:]}"
            content = f"压力测试：在服务器被强制终止时提交的诉求，编号 {key}。"
            body = json.dumps({"type": "help", "title": title, "content": content, "contact_phone": "13800001111"}).encode()
            request = urllib.request.Request(f"{base}/api/v1/appeals", data=body, method="POST", headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if 200 <= response.status < 300:
                        number = json.loads(response.read())["number"]
                        with lock:
                            acknowledged[key] = {"number": number, "title": title, "content": content}
            except (OSError, urllib.error.HTTPError, ValueError):
                with lock:
                    errors_seen += 1   # refused or cut off: the client was not told it succeeded
                time.sleep(0.05)

    started = time.monotonic()
    for round_number in range(1, args.rounds + 1):
        server = start()
        if not wait_healthy(base, server):
            failures.append(f"round {round_number}: the server did not come back after SIGKILL")
            break
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(stop,), daemon=True) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.3, 1.5))
        server.send_signal(signal.SIGKILL)
        server.wait()
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        print(f"  round {round_number:2d}: killed; {len(acknowledged)} appeals acknowledged so far", flush=True)

    # SQLite replays its WAL when the file is opened again.
    connection = sqlite3.connect(db)
    rows = {row[0]: row[1:] for row in connection.execute(
        "SELECT idempotency_key, number, title, content, state FROM appeals WHERE idempotency_key LIKE 'kill-%'")}
    numbers = [row[0] for row in connection.execute("SELECT number FROM appeals")]
    passed = 0
    for key, expected in acknowledged.items():
        found = rows.get(key)
        if found is None:
            failures.append(f"acknowledged appeal {expected['number']} ({key}) is missing")
        elif found[:3] != (expected["number"], expected["title"], expected["content"]):
            failures.append(f"appeal {expected['number']} differs from what was acknowledged: {found}")
        else:
            passed += 1
    if len(numbers) != len(set(numbers)):
        failures.append("two appeals share a number")
    else:
        passed += 1
    for failure in failures[:20]:
        print(f"  FAIL {failure}")
    print(f"  {len(acknowledged)} acknowledged, {len(rows)} stored, {errors_seen} requests cut off or refused, "
          f"{args.rounds} kills in {time.monotonic() - started:.0f}s")
    if len(acknowledged) < args.rounds:
        failures.append("too few appeals were acknowledged for the test to mean anything")
    print(f"kill: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

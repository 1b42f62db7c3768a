#!/usr/bin/env python3
"""PostgreSQL restarted during intake: requests in flight fail with a clear 503 (never a 500 or a dropped
connection), the server reconnects by itself, and every appeal that got a 2xx answer is stored.

usage: pg_restart_test.py --binary B --database-url URL --restart "COMMAND" [--port 18282]
Prints `pgrestart: N passed, M failed`; exit 1 on any failure.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--restart", required=True, help="the command that restarts PostgreSQL")
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--port", type=int, default=18282)
    parser.add_argument("--log", type=Path, default=Path("/tmp/pg-restart-server.log"))
    args = parser.parse_args()
    env = dict(os.environ, DATABASE_URL=args.database_url, YINGSHANG_PORT=str(args.port), YINGSHANG_HOST="127.0.0.1",
               YINGSHANG_JOB_INTERVAL="0")
    base = f"http://127.0.0.1:{args.port}"
    failures: list[str] = []
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=open(args.log, "ab"), stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("pgrestart: 0 passed, 1 failed (the server did not start on PostgreSQL)")
                return 1
            time.sleep(0.2)
        token = subprocess.run([args.binary, "tokens", "create", "--user", "admin", "--name", "pg-restart"], env=env,
                               capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout.strip().splitlines()[-1]
        acknowledged: dict[str, str] = {}
        statuses: dict[str, int] = {}
        after_restart = 0
        restarted = threading.Event()
        lock = threading.Lock()

        def client(stop: threading.Event) -> None:
            nonlocal after_restart
            while not stop.is_set():
                key = f"pg-{uuid.uuid4()}"
                body = json.dumps({"type": "help", "title": "数据库重启测试", "content": f"测试诉求 {key}",
                                   "contact_phone": "13800002222"}).encode()
                request = urllib.request.Request(f"{base}/api/v1/appeals", data=body, method="POST", headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        number = json.loads(response.read())["number"]
                        with lock:
                            acknowledged[key] = number
                            statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
                            if restarted.is_set():
                                after_restart += 1
                except urllib.error.HTTPError as error:
                    payload = error.read()
                    with lock:
                        statuses[str(error.code)] = statuses.get(str(error.code), 0) + 1
                        if error.code != 503:
                            failures.append(f"HTTP {error.code} during the restart: {payload[:200]!r}")
                        elif "数据库" not in payload.decode("utf-8", "replace"):
                            failures.append(f"a 503 without the Chinese explanation: {payload[:200]!r}")
                    time.sleep(0.05)
                except OSError as error:
                    with lock:
                        statuses["dropped"] = statuses.get("dropped", 0) + 1
                        failures.append(f"a request got no HTTP answer: {error}")
                    time.sleep(0.05)

        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(stop,), daemon=True) for _ in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        subprocess.run(shlex.split(args.restart), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        restarted.set()
        time.sleep(4)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        if after_restart == 0:
            failures.append("no appeal was accepted after the restart: the server did not reconnect")
        stored = set(subprocess.run([args.psql, args.database_url, "-At", "-c",
                                     "SELECT idempotency_key FROM appeals WHERE idempotency_key LIKE 'pg-%'"],
                                    capture_output=True, text=True).stdout.split())
        missing = [number for key, number in acknowledged.items() if key not in stored]
        for number in missing[:10]:
            failures.append(f"acknowledged appeal {number} is missing")
        print(f"  statuses {statuses}; {len(acknowledged)} acknowledged ({after_restart} after the restart), {len(stored)} stored")
        passed = len(acknowledged) - len(missing) + (1 if after_restart else 0)
        for failure in failures[:20]:
            print(f"  FAIL {failure}")
        print(f"pgrestart: {passed} passed, {len(failures)} failed")
        return 1 if failures else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())

"""Load-test the recommendation endpoint over loopback: the demo data set (100,000 postings by
default) served by `matcher serve`, driven by 32 concurrent clients.

Each client asks `GET /graduates/{id}/recommendations?k=10` for random seeking graduates.
Reports p50/p95/p99 latency, throughput and errors; writes JSON to benchmarks/results/.
Usage: python benchmarks/bench_api.py --scale 100000 --clients 32 --requests 4000
(--data-dir keeps the loaded store and index between runs). With ``--upserts N`` it then
times N single-posting upserts (``POST /positions``, one client) against a server that saves
the whole index on every write (``MATCHER_INDEX_SAVE_CHANGES=1``) and against one that saves
snapshots (the default), in the same run."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import write_result
from matcher.access import Role
from matcher.config import Settings
from matcher.engine.orchestrator import Matcher
from matcher.ingest.demo import load_demo
from matcher.store import Store
from matcher.store.keys import ApiKeys

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(settings: Settings, scale: int) -> tuple[list[str], str, float]:
    """Load the demo set and build the index (skipped when already there); returns seeking
    graduate ids, a bureau key and the seconds spent."""
    started = time.perf_counter()
    store = Store.open(settings)
    if store.count("positions") < scale:
        for report in load_demo(settings, scale):
            print("  " + report.summary(), flush=True)
    Matcher.open(settings, store=store)  # vectors and index on disk before serving
    _, key = ApiKeys(store).issue(Role.BUREAU.value, {}, "bench_api")
    ids = store.reachable_graduates()
    store.close()
    return ids, key, time.perf_counter() - started


def wait_ready(port: int, timeout: float = 300) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the API did not become ready; see its output above")


def drive(port: int, key: str, ids: list[str], clients: int, requests: int, seed: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = requests // clients

    def client(n: int) -> None:
        rng = random.Random(seed + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {key}"}
        mine, failed = [], []
        for _ in range(per_client):
            gid = rng.choice(ids)
            started = time.perf_counter()
            try:
                conn.request("GET", f"/graduates/{gid}/recommendations?k=10", headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed.append(f"HTTP {response.status}")
            except OSError as exc:
                failed.append(repr(exc))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ms = np.array(latencies) * 1000
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_examples": errors[:5],
        "seconds": round(wall, 2),
        "throughput_rps": round(len(latencies) / wall, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "p99_ms": round(float(np.percentile(ms, 99)), 1),
    }


def upserts(port: int, key: str, count: int, tag: str) -> dict[str, Any]:
    """Latency of ``count`` single-posting inserts, one after the other."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/positions?limit=1", headers=headers)
    template = json.loads(conn.getresponse().read())["items"][0]
    template = {k: v for k, v in template.items() if k not in ("updated_at", "flags", "flagged")}
    latencies, errors = [], 0
    run = uuid.uuid4().hex[:8]  # new postings on every run, also over a kept --data-dir
    for i in range(count):
        record = template | {"id": f"bench-{tag}-{run}-{i}"}
        body = json.dumps(record, ensure_ascii=False).encode()
        started = time.perf_counter()
        conn.request("POST", "/positions", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 201
    ms = np.array(latencies) * 1000
    return {
        "upserts": count,
        "errors": errors,
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p99_ms": round(float(np.percentile(ms, 99)), 1),
    }


def serve(data_dir: Path, workers: int, **settings: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "MATCHER_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    env.update({f"MATCHER_{k.upper()}": v for k, v in settings.items()})
    command = [sys.executable, "-m", "matcher.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--no-worker"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL), port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="demo postings")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--data-dir", help="reuse this folder (default: a temporary one)")
    parser.add_argument("--upserts", type=int, default=0, help="then time this many upserts")
    args = parser.parse_args()

    tmp = None if args.data_dir else tempfile.TemporaryDirectory()
    data_dir = Path(args.data_dir or tmp.name)  # type: ignore[union-attr]
    settings = Settings.from_env(env={}, data_dir=data_dir)
    ids, key, load_s = prepare(settings, args.scale)
    server, port = serve(data_dir, args.workers)
    writes: dict[str, dict[str, Any]] = {}
    try:
        ready_s = wait_ready(port)
        drive(port, key, ids, min(args.clients, 8), args.warmup, args.seed - 1)
        figures = drive(port, key, ids, args.clients, args.requests, args.seed)
        server.terminate()
        server.wait(300)  # it saves what it holds as it stops
        for tag, every in (("save_every_write", "1"), ("snapshots", "")):
            if not args.upserts:
                break
            server, port = serve(data_dir, 1, **({"index_save_changes": every} if every else {}))
            wait_ready(port)
            writes[tag] = upserts(port, key, args.upserts, tag)
            server.terminate()
            server.wait(300)
    finally:
        server.terminate()
        server.wait(300)
        if tmp is not None:
            tmp.cleanup()
    result = {
        "parameters": {
            "scale": args.scale,
            "clients": args.clients,
            "requests": args.requests,
            "workers": args.workers,
            "seed": args.seed,
        },
        "load_and_index_seconds": round(load_s, 1),
        "server_ready_seconds": round(ready_s, 1),
        "recommendations": figures,
    }
    if writes:
        result["single_upserts"] = writes
    path = write_result("bench_api", result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()

"""Durable writes: SIGKILL a real uvicorn process mid-stream and mid-snapshot, then restart.

Every acknowledged write must be there after the restart, a batch must be there whole or not
at all, and the restarted service must answer as the killed one did.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.service.test_service_server import ROOT, _free_port, _wait_healthy

TOKEN = "gm_durab1_" + "d" * 24
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BATCH = 3
QUERIES = ["c00", "c11", "c22", "c31", "c42"]


class Server:
    """``python -m service`` over an engine directory, started and SIGKILLed at will."""

    def __init__(self, engine_dir: Path, log: Path) -> None:
        self.engine_dir, self.log = engine_dir, log
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "OMP_NUM_THREADS": "1",
            "GRADMATCH_OPERATOR_TOKEN": TOKEN,
            "GRADMATCH_SNAPSHOT_INTERVAL": "0.2",
            "GRADMATCH_RATE_LIMIT": "0",
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "service", "--engine-dir", str(self.engine_dir),
                 "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        _wait_healthy(self.base, self.process)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def answers(self) -> list[Any]:
        with httpx.Client(base_url=self.base, headers=AUTH, timeout=60.0) as http:
            out = []
            for cid in QUERIES:
                response = http.get(f"/v1/candidates/{cid}/recommendations", params={"k": 5})
                assert response.status_code == 200, response.text
                body = response.json()
                out.append([(m["id"], round(m["score"], 5)) for m in body["matches"]])
            for jid in ("j00", "j01"):
                response = http.get(f"/v1/jobs/{jid}/candidates", params={"k": 5})
                assert response.status_code == 200, response.text
                body = response.json()
                out.append([(m["id"], round(m["score"], 5)) for m in body["matches"]])
            return out


def _job(i: int) -> dict[str, Any]:
    return {
        "id": f"w{i:05d}",
        "title": f"数据分析岗位{i}",
        "description": f"第{i}号岗位：熟悉SQL与Python，负责报表与数据清洗",
        "city": ("北京", "上海", "深圳")[i % 3],
        "deadline": "2099-06-30",
    }


class Writer(threading.Thread):
    """Posts batches of jobs one after another until stopped; keeps what was acknowledged."""

    def __init__(self, base: str, start_at: int) -> None:
        super().__init__(daemon=True)
        self.base, self.next = base, start_at
        self.acked: list[list[str]] = []
        self.sent: list[list[str]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers=AUTH, timeout=30.0) as http:
            while not self.halt.is_set():
                batch = [_job(self.next + k) for k in range(BATCH)]
                self.next += BATCH
                self.sent.append([j["id"] for j in batch])
                try:
                    response = http.post("/v1/jobs", json={"jobs": batch})
                except httpx.TransportError:
                    return  # the server is gone
                if response.status_code == 201:
                    self.acked.append([j["id"] for j in batch])


def _snapshot_in_progress(engine_dir: Path) -> bool:
    # a part being saved is written to ``.<part>.tmp-*`` first (see matching.state)
    return any(".tmp-" in p.name for p in engine_dir.iterdir())


def _stored(base: str, ids: list[str]) -> list[bool]:
    with httpx.Client(base_url=base, headers=AUTH, timeout=30.0) as http:
        return [http.get(f"/v1/jobs/{i}").status_code == 200 for i in ids]


@pytest.mark.slow
def test_sigkill_mid_stream_and_mid_snapshot_loses_nothing_acknowledged(
    engine_dir: Path, tmp_path: Path
) -> None:
    server = Server(engine_dir, tmp_path / "server.log")
    server.start()
    acked: list[list[str]] = []
    sent: list[list[str]] = []
    kills = {"mid-stream": 0, "mid-snapshot": 0}
    try:
        next_id = 0
        for kind in ("mid-stream", "mid-snapshot", "mid-snapshot"):
            writer = Writer(server.base, next_id)
            writer.start()
            deadline = time.monotonic() + 60
            while len(writer.acked) < 8 and time.monotonic() < deadline:
                time.sleep(0.02)
            if kind == "mid-snapshot":  # kill while a snapshot's parts are being written
                while not _snapshot_in_progress(engine_dir) and time.monotonic() < deadline:
                    time.sleep(0.001)
                if _snapshot_in_progress(engine_dir):
                    kills["mid-snapshot"] += 1
            else:
                kills["mid-stream"] += 1
            server.kill()
            writer.halt.set()
            writer.join(timeout=30)
            acked += writer.acked
            sent += writer.sent
            next_id = writer.next
            server.start()
            # nothing acknowledged is lost; a batch is there whole or not at all
            for batch in sent:
                present = _stored(server.base, batch)
                assert all(present) or not any(present), (batch, present)
            for batch in acked:
                assert all(_stored(server.base, batch)), batch
        assert kills["mid-stream"] == 1 and kills["mid-snapshot"] >= 1, kills
        assert sum(len(b) for b in acked) >= 24

        # the restarted service answers as the killed one did
        before = server.answers()
        server.kill()
        server.start()
        assert server.answers() == before
    finally:
        if server.process is not None and server.process.poll() is None:
            server.kill()

"""The service in a real uvicorn process on 127.0.0.1, queried over HTTP with httpx."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(base: str, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with code {process.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.2)
    raise AssertionError(f"no healthy server at {base} after {timeout:.0f} s")


@pytest.mark.slow
def test_real_server_recommends(engine_dir: Path, tmp_path: Path) -> None:
    port = _free_port()
    token = "gm_boot01_" + "s" * 24
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GRADMATCH_OPERATOR_TOKEN": token}
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service",
            "--engine-dir",
            str(engine_dir),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=auth, timeout=30.0) as http:
            response = http.get("/v1/candidates/c01/recommendations", params={"k": 3})
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["candidate_id"] == "c01"
            assert len(body["matches"]) == 3
            assert body["matches"][0]["job"]["title"] == "数据分析师"
            wrong = {"Authorization": "Bearer gm_boot01_" + "x" * 24}
            assert http.get("/v1/jobs/j00", headers=wrong).status_code == 401
            assert httpx.get(f"{base}/v1/jobs/j00").status_code == 401  # secure by default
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it (exit status -15).
    output = (tmp_path / "server.log").read_text(errors="replace")
    assert process.returncode in (0, -signal.SIGTERM), output
    assert "Application shutdown complete" in output

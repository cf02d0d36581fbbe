"""A throwaway PostgreSQL server on loopback for the tests and CI.

`initdb` refuses to run as root, so as root every server command runs as the `postgres` user.
Usable as a script: `python tests/pg_server.py start DIR` prints the URL, `... stop DIR` stops it.
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

URL_FILE = "url"


def find_bin_dir() -> Path | None:
    """Debian keeps the server binaries out of PATH, one folder per major version."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(base: Path) -> str:
    """Initialise and start a server under `base`; returns a psycopg URL for the `postgres` db."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    base.mkdir(parents=True, exist_ok=True)
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        base.chmod(0o755)
    port = _free_port()
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
             "-E", "UTF8", "--locale=C", "--no-sync"]
        ),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
        ),
        check=True, capture_output=True,
    )  # fmt: skip
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    (base / URL_FILE).write_text(url)
    return url


def stop(base: Path) -> None:
    bin_dir = find_bin_dir()
    if bin_dir is None or not (base / "data").exists():
        return
    subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-m", "fast", "stop"]),
        check=False, capture_output=True,
    )  # fmt: skip


if __name__ == "__main__":
    action, folder = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(folder))
    elif action == "stop":
        stop(folder)
    else:
        sys.exit(f"usage: {sys.argv[0]} start|stop DIR")

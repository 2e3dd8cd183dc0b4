"""Every shell example in the README runs (issue 15, point 17), against a demo server started
for the purpose, so the examples cannot drift from what the product does.

Examples are the ```bash blocks, run as written (``set -euo pipefail``; curl fails on an HTTP
error), and the ``$ command`` lines of transcript blocks. A comment ``<!-- readme: not run
(why) -->`` before a block leaves it out and says why; ``<!-- readme: exit N -->`` gives the
exit status a transcript documents. ``mk_...`` stands for the demo's admin key, port 8000 for
the server's, ``.venv/bin/`` for this interpreter's scripts, ``benchmarks/`` for the project's
benchmark scripts and ``../shared/`` for the real data
(blocks that use it are skipped where it is absent)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BLOCK = re.compile(
    r"(?:<!-- readme: (?P<note>[^>]*?) -->\n)?^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.S | re.M
)
PRELUDE = """set -euo pipefail
curl() { command curl --fail-with-body --show-error "$@"; }
"""


@dataclass(frozen=True)
class Example:
    line: int
    script: str
    exit: int
    skip: str  # why it is not run ("" when it is)
    note: str = ""  # the readme comment before the block, as written


def examples(text: str) -> list[Example]:
    out = []
    for m in BLOCK.finditer(text):
        note, lang, body = m.group("note") or "", m.group("lang"), m.group("body")
        line = text[: m.start("lang")].count("\n") + 1
        skip = note[len("not run") :].strip(" ()") if note.startswith("not run") else ""
        expected = int(note.split()[1]) if note.startswith("exit") else 0
        if lang in ("bash", "sh"):
            out.append(Example(line, body, expected, skip, note))
        elif any(row.startswith("$ ") for row in body.splitlines()):
            out.append(Example(line, _commands(body), expected, skip, note))
    return out


def _commands(transcript: str) -> str:
    """The ``$`` commands of a transcript, with their continuation lines."""
    commands, going = [], False
    for row in transcript.splitlines():
        if row.startswith("$ "):
            commands.append(row[2:])
            going = row.endswith("\\")
        elif going:
            commands.append(row)
            going = row.endswith("\\")
    return "\n".join(commands) + "\n"


README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = examples(README)


def test_the_readme_has_examples_and_each_left_out_one_says_why():
    assert len(EXAMPLES) >= 8
    left_out = [e for e in EXAMPLES if e.note.startswith("not run")]
    assert left_out and all(e.skip for e in left_out), "say why after 'not run'"
    assert len(left_out) <= 3, "examples are run unless there is a reason"
    makes = [e for e in EXAMPLES if re.search(r"^make ", e.script, re.M)]
    assert makes and all(e.skip for e in makes)  # make test would run these tests again


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo at a small scale, served on a free port: (environment, working folder)."""
    work = tmp_path_factory.mktemp("readme")
    env = {
        **os.environ,
        "MATCHER_DATA_DIR": str(work / "var"),
        "MATCHER_QUIET_HOURS": "off",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    loaded = subprocess.run(
        [str(BIN / "matcher"), "demo", "--scale", "600", "--no-serve"],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert loaded.returncode == 0, loaded.stderr
    key = re.search(r"mk_[0-9a-f]+_[\w-]+", loaded.stdout)
    assert key, loaded.stdout
    port = free_port()
    serving = subprocess.Popen(
        [str(BIN / "matcher"), "serve", "--port", str(port)],
        env=env,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the demo server did not start"
                assert serving.poll() is None, "the demo server stopped"
                time.sleep(0.5)
        yield env | {"KEY": key.group(0), "H": f"Authorization: Bearer {key.group(0)}"}, work, port
    finally:
        serving.terminate()
        serving.wait(timeout=30)


def _runnable(script: str, key: str, port: int) -> str:
    script = script.replace("mk_...", key).replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    script = script.replace(".venv/bin/", f"{BIN}/").replace("../shared/", f"{SHARED_DATA.parent}/")
    script = re.sub(r"(?<![\w/.])benchmarks/", f"{ROOT}/benchmarks/", script)
    return PRELUDE + script


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"README-line-{e.line}" for e in EXAMPLES])
def test_readme_example_runs(example, server):
    if example.skip:
        pytest.skip(f"README line {example.line} is not run: {example.skip}")
    if "../shared/" in example.script and not SHARED_DATA.is_dir():
        pytest.skip(f"README line {example.line} needs {SHARED_DATA}, absent here")
    env, work, port = server
    done = subprocess.run(
        ["bash", "-c", _runnable(example.script, env["KEY"], port)],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == example.exit, (
        f"README line {example.line} exited {done.returncode}:\n{done.stdout[-3000:]}\n"
        f"{done.stderr[-3000:]}"
    )
    assert done.stdout.strip() or done.stderr.strip(), "the example printed nothing"

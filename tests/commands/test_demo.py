"""Running the demo again (issue 15, point 4): the port is checked before anything is loaded,
a store that already holds data is served as it is (nothing live is overwritten), and the same
keys are printed while they are not revoked."""

from __future__ import annotations

import re
import socket

from matcher.cli import main
from matcher.config import Settings
from matcher.records.prepare import prepare
from matcher.store import Store
from matcher.store.authorisations import Authorisations
from matcher.store.keys import ApiKeys
from matcher.store.partner_figures import figures
from matcher.store.partners import Partners

KEY = re.compile(r"mk_[0-9a-f]+_[\w-]+")


def test_demo_twice_keeps_live_state_and_keys(tmp_path, capsys):
    base = ["--data-dir", str(tmp_path / "var")]
    assert main([*base, "demo", "--scale", "300", "--no-serve"]) == 0
    first = capsys.readouterr().out
    assert "loading the Chongqing demo data set" in first
    keys = KEY.findall(first)
    assert keys
    store = Store.open(Settings.from_env(env={}, data_dir=tmp_path / "var"))
    kinds = sorted(p["kind"] for p in Partners(store).page())
    assert kinds == ["agency", "employer", "training", "university", "university"]
    supplied = store.grouped_counts("graduates", "partner_id")
    assert len(supplied) == 3 and supplied["None"] < sum(supplied.values())  # two universities
    agency = next(p["id"] for p in Partners(store).page(kind="agency"))
    granted = Authorisations(store).page(agency)
    assert len(granted) == 1 and granted[0]["active"]  # the demo employer lets it post
    store.get("employers", granted[0]["employer_id"])
    institution = next(p["id"] for p in Partners(store).page(kind="training"))
    assert figures(store, institution)["courses"] >= 1  # it publishes its own courses
    employer = next(p["id"] for p in Partners(store).page(kind="employer"))
    assert figures(store, employer)["postings"] >= 1  # its postings, found by credit code
    graduate = store.list("graduates", limit=1)[0][0]
    changed = {k: v for k, v in graduate.items() if k != "updated_at"} | {"status": "employed"}
    store.upsert("graduates", [prepare("graduates", changed)])
    watermark = store.watermark()

    assert main([*base, "demo", "--scale", "300", "--no-serve"]) == 0
    second = capsys.readouterr().out
    assert "already holds 300 postings" in second and "loading" not in second
    assert KEY.findall(second) == keys  # the same keys, not new ones
    assert store.get("graduates", graduate["id"])["status"] == "employed"
    assert store.watermark() == watermark

    ApiKeys(store).revoke(keys[0].split("_")[1])
    assert main([*base, "demo", "--scale", "300", "--no-serve"]) == 0
    third = KEY.findall(capsys.readouterr().out)
    assert third[0] != keys[0]  # a revoked demo key is replaced
    store.close()


def test_a_busy_port_is_reported_before_anything_is_loaded(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["--data-dir", str(tmp_path / "var"), "demo", "--port", str(port)])
    assert code == 1
    err = capsys.readouterr().err
    assert f"port {port} is already in use" in err and "端口" in err
    assert not (tmp_path / "var" / "matcher.db").exists()

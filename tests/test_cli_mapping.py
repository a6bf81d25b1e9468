"""`pinchpoint mapping list / show`: the mappings an agency saved in the workbench, read
through the reader's scope; another agency's are not there (issue 18)."""

from __future__ import annotations

from pathlib import Path

import yaml
from test_cli import assert_user_error, cli, ok_json

from pinchpoint.demo.examples import EXAMPLES
from pinchpoint.ingest.mapping import load_mapping
from pinchpoint.store import open_workspace, saved_mappings
from pinchpoint.store.scope import Scope

MAPPING = (EXAMPLES / "people_mapping.yaml").read_text(encoding="utf-8")


def test_saved_mappings_list_show_and_ingest(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert cli(ws, "init", "--agency", "NCA").exit_code == 0
    with open_workspace(ws).open_store() as store:
        saved_mappings.save(store.con, Scope.owner("NCA"), "people-v1", MAPPING, "nadia")
        saved_mappings.save(store.con, Scope.owner("BORDER-FORCE"), "theirs", MAPPING, "bruno")
    listed = ok_json(cli(ws, "mapping", "list", "--json"))
    assert [m["name"] for m in listed] == ["people-v1"]  # the operator's agency's only
    shown = cli(ws, "mapping", "show", "people-v1")
    assert shown.exit_code == 0 and yaml.safe_load(shown.stdout) == yaml.safe_load(MAPPING)
    out = tmp_path / "m.yaml"
    assert cli(ws, "mapping", "show", "people-v1", "--out", str(out)).exit_code == 0
    assert load_mapping(out).entities[0].name == "person"
    report = ok_json(cli(ws, "ingest", "table", str(EXAMPLES / "people.csv"), "--mapping",
                         str(out), "--json"))
    assert report["batch"]["rows_stored"] == 5
    assert_user_error(cli(ws, "mapping", "show", "theirs"), "no saved mapping 'theirs'")

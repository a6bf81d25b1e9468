"""Hostile requests to the API (issue 14, finding 8): odd upload names, deep JSON, huge
values and invalid fields answer 200 or 4xx, never 500; no answer echoes a password or
shows a server path; nothing is written outside the upload's temporary folder."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import fuzz

from pinchpoint.ingest.limits import KEEP_RAW

pytest_plugins = ["api_fixtures"]

GOOD = json.dumps({"id": "bf-upload-good", "schema": "Person",
                   "properties": {"name": ["Karwan Aziz"]}})
ODD_NAMES = ["..", ".", "../..", "a\x00b.json", "x" * 300 + ".json", "../../etc/passwd",
             "/etc/passwd", "C:\\Windows\\x.json", "\u202egnp.json", "", " ", "\n",
             "é" * 200 + ".json"]


@pytest.fixture
def upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads go to a fresh folder here, so anything left behind can be seen."""
    root = tmp_path / "tmp"
    (root / "uploads").mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(root / "uploads"))
    return root


def _upload(client: TestClient, headers: dict[str, str], name: str, content: bytes,
            kind: str = "ftm") -> tuple[int, dict[str, object]]:
    response = client.post("/api/ingest", headers=headers, data={"kind": kind},
                           files={"file": (name, content)})
    return response.status_code, response.json()


def _check_name(client: TestClient, headers: dict[str, str], upload_dir: Path,
                name: str) -> None:
    """Whatever the file name, the answer is not a 500, the stored label is a plain
    name, and the upload folder is left empty with nothing written beside it."""
    status, body = _upload(client, headers, name, GOOD.encode())
    assert status in (200, 400, 422), (name, body)  # 422: an empty name sends no file
    if status == 200:
        label = body["batch"]["path"]  # type: ignore[index]
        assert "/" not in label and "\\" not in label and "\x00" not in label
        assert label not in (".", "..") and len(label.encode()) <= 255
    assert [p.name for p in upload_dir.rglob("*")] == ["uploads"]


def test_odd_upload_names(client: TestClient, bruno: dict[str, str], upload_dir: Path) -> None:
    for name in ODD_NAMES:
        _check_name(client, bruno, upload_dir, name)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.text(max_size=400))
def test_any_upload_name_is_safe(client: TestClient, bruno: dict[str, str],
                                 upload_dir: Path, name: str) -> None:
    _check_name(client, bruno, upload_dir, name)


def test_a_deep_line_is_quarantined_and_the_good_line_kept(client: TestClient,
                                                           bruno: dict[str, str]) -> None:
    content = f"{GOOD}\n{fuzz.nested(3000)}\n".encode()
    status, body = _upload(client, bruno, "deep.json", content)
    assert status == 200, body
    assert body["batch"]["rows_stored"] == 1  # type: ignore[index]
    (item,) = body["quarantine"]  # type: ignore[misc]
    assert (item["file"], item["line"], item["row_rejected"]) == ("deep.json", 2, True)
    assert "nested more than 32 levels deep" in item["reason"]


def test_a_huge_value_is_not_echoed_whole(client: TestClient, bruno: dict[str, str]) -> None:
    huge = "2024-" + "9" * 2_000_000
    line = json.dumps({"id": "bf-huge", "schema": "Person",
                       "properties": {"birthDate": [huge], "name": ["Karwan"]}})
    response = client.post("/api/ingest", headers=bruno, data={"kind": "ftm"},
                           files={"file": ("huge.json", line.encode())})
    assert response.status_code == 200 and len(response.content) < 20_000
    (item,) = response.json()["quarantine"]
    assert len(item["raw_value"]) < KEEP_RAW + 120 and "2,000,005 characters" in item["raw_value"]


def test_errors_name_the_upload_not_the_server_path(client: TestClient,
                                                    bruno: dict[str, str]) -> None:
    for kind, content in (("phone", b"[1, 2]"), ("phone", b"{not json"),
                          ("crossings", b"a,b\n1,2\n"), ("phone", b"")):
        status, body = _upload(client, bruno, "evidence.json", content, kind)
        assert status == 400, body
        detail = str(body["detail"])
        assert "evidence.json" in detail, detail
        assert tempfile.gettempdir() not in detail and "pinchpoint-upload" not in detail


def test_invalid_requests_never_echo_what_was_sent(client: TestClient) -> None:
    secret = "hunter2-" + "s" * 1000
    for body in ({"username": "nadia", "password": secret},
                 {"username": secret, "password": secret},
                 {"username": ["nadia"], "password": {"p": secret}}):
        response = client.post("/api/login", json=body)
        assert response.status_code == 422
        assert "hunter2" not in response.text and '"input"' not in response.text
        assert response.json()["detail"][0]["loc"][0] == "body"


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(upload=fuzz.any_files(), mapping=fuzz.mapping_files())
def test_any_file_and_mapping_in_the_editor(client: TestClient, bruno: dict[str, str],
                                            upload_dir: Path, upload: tuple[str, bytes],
                                            mapping: bytes) -> None:
    """The Ingest page's first look and the mapping editor's preview, on anything at all:
    200 or 400 with one sentence naming no server path, and nothing left behind."""
    suffix, content = upload
    files = {"file": (f"upload{suffix}", content)}
    looked = client.post("/api/ingest/inspect", headers=bruno, files=files)
    assert looked.status_code == 200, looked.text
    text = mapping.decode("utf-8", "replace")
    shown = client.post("/api/ingest/preview", headers=bruno, files=files,
                        data={"mapping": text})
    assert shown.status_code in (200, 400, 422), shown.text
    assert "pinchpoint-upload" not in shown.text
    parsed = client.post("/api/mappings/parse", headers=bruno, json={"yaml": text})
    assert parsed.status_code in (200, 400, 422), parsed.text
    assert [p.name for p in upload_dir.rglob("*")] == ["uploads"]

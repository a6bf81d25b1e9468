"""Bringing data in from the workbench: the kinds, a first look at a file, the mapping
editor's preview and saved mappings, the ingest itself, and the quarantine to browse.

The same functions as `pinchpoint ingest`: `ingest.kinds` for what each kind reads,
`ingest.inspect` and `ingest.preview` for what a file and a mapping would make (nothing
stored), `ingest.run` for the batch. An upload lives in a private temporary folder for
the length of its request only. Saved mappings and quarantine rows are the caller's
agency's own; every read is logged as a consultation, and an ingest and a saved
mapping as what they change.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, Field

from pinchpoint.api.deps import Session, SessionDep
from pinchpoint.api.routes_exports import record_export
from pinchpoint.ingest.errors import IngestError, MappingError
from pinchpoint.ingest.inspect import inspect_file
from pinchpoint.ingest.kinds import KINDS, kind_infos
from pinchpoint.ingest.limits import excerpt, upload_name
from pinchpoint.ingest.mapping import mapping_document, mapping_from_text, parse_mapping
from pinchpoint.ingest.preview import MAX_PREVIEW_ROWS, PREVIEW_ROWS, preview_table
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.model.ftm import get_model
from pinchpoint.model.grading import DEFAULT_INFO_GRADE, DEFAULT_SOURCE_GRADE, GradingError
from pinchpoint.model.handling import HandlingError
from pinchpoint.store import saved_mappings
from pinchpoint.store.saved_mappings import SavedMapping, SavedMappingError
from pinchpoint.store.staging import printable

router = APIRouter(prefix="/api")
BAD_FILE: dict[int | str, dict[str, Any]] = {
    400: {"description": "the file or the mapping cannot be read"}}
QUARANTINE_CSV = ["batch", "file", "line", "locator", "field", "raw_value", "reason",
                  "row_rejected"]


@contextmanager
def uploaded(file: UploadFile) -> Iterator[Path]:
    """The upload as a file in a private temporary folder, removed after the request."""
    name = upload_name(file.filename)  # never a path: always a file inside tmp
    with tempfile.TemporaryDirectory(prefix="pinchpoint-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out)
        yield path


@router.get("/ingest/kinds")
def ingest_kinds(session: SessionDep) -> list[dict[str, Any]]:
    """Every kind `POST /api/ingest` accepts, with its description, the columns a
    built-in layout reads (and those it needs), and the file extensions it takes."""
    return [dataclasses.asdict(k) for k in kind_infos()]


@router.post("/ingest/inspect", responses=BAD_FILE)
def ingest_inspect(session: SessionDep, file: Annotated[UploadFile, File()],
                   sheet: Annotated[str | None, Form(max_length=200)] = None,
                   phone_region: Annotated[str | None, Form(max_length=10)] = None
                   ) -> dict[str, Any]:
    """What an uploaded file looks like: its likely kind, and for a table its sheets,
    header, first 20 rows, suggested properties and a starting mapping. Not stored."""
    with uploaded(file) as path:
        found = inspect_file(path, path.name, sheet or None, phone_region or None)
    session.record("consultation", f"inspected upload {path.name} (not stored)")
    return shown_dict(dataclasses.asdict(found))


@router.post("/ingest/preview", responses=BAD_FILE)
def ingest_preview(session: SessionDep, file: Annotated[UploadFile, File()],
                   mapping: Annotated[str, Form(max_length=1_000_000)],
                   sheet: Annotated[str | None, Form(max_length=200)] = None,
                   phone_region: Annotated[str | None, Form(max_length=10)] = None,
                   rows: Annotated[int, Form(ge=1, le=MAX_PREVIEW_ROWS)] = PREVIEW_ROWS,
                   ) -> dict[str, Any]:
    """The entities a mapping makes of a table's first rows, and what it would
    quarantine, with reasons. Nothing is stored."""
    with uploaded(file) as path:
        options = IngestOptions(sheet=sheet or None, phone_region=phone_region or None,
                                label=path.name)
        try:
            parsed = mapping_from_text(mapping, "the mapping")
            found = preview_table(path, parsed, options, rows)
        except (IngestError, ValueError) as exc:
            raise HTTPException(400, str(exc).replace(str(path), path.name)) from None
    return shown_dict({"rows": found.rows, "rejected": found.rejected, "notes": found.notes,
            "entities": [{"id": e.id, "schema": e.schema, "entity": e.entity,
                          "caption": e.caption, "lines": e.lines,
                          "properties": [dataclasses.asdict(p) for p in e.properties]}
                         for e in found.entities],
            "quarantine": [dataclasses.asdict(q) for q in found.quarantine]})


def shown_dict(data: dict[str, Any]) -> dict[str, Any]:
    return {printable(k): shown(v) for k, v in data.items()}


def shown(data: Any) -> Any:
    """An answer made of what a file holds, with bytes that are no UTF-8 (read as
    surrogates) written as escapes such as \\xff: JSON cannot carry them."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {shown(k): shown(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [shown(v) for v in data]
    return data


@router.get("/schemata")
def schemata(session: SessionDep) -> list[dict[str, Any]]:
    """The schemata a mapping may make (FtM's and Pinchpoint's, none abstract), each with
    the properties a mapping may set."""
    out = []
    for schema in get_model().schemata.values():
        if schema.abstract:
            continue
        props = [{"name": p.name, "label": p.label, "type": p.type.name,
                  "range": p.range.name if p.range is not None else None}
                 for p in schema.properties.values() if not p.stub]
        out.append({"name": schema.name, "label": schema.label, "plural": schema.plural,
                    "edge": schema.edge, "matchable": schema.matchable,
                    "properties": sorted(props, key=lambda p: str(p["label"]))})
    return sorted(out, key=lambda s: str(s["label"]))


@router.post("/ingest", responses=BAD_FILE)
def ingest(
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()],
    source: Annotated[str | None, Form()] = None,
    source_grade: Annotated[str, Form()] = DEFAULT_SOURCE_GRADE,
    info_grade: Annotated[str, Form()] = DEFAULT_INFO_GRADE,
    grading: Annotated[str, Form()] = "uk",
    handling: Annotated[str, Form()] = "P",
    conditions: Annotated[str | None, Form()] = None,
    classification: Annotated[str, Form()] = "OFFICIAL",
    reason: Annotated[str | None, Form()] = None,
    mapping: Annotated[str | None, Form(max_length=1_000_000)] = None,
    mapping_name: Annotated[str | None, Form(max_length=64)] = None,
    sheet: Annotated[str | None, Form(max_length=200)] = None,
    phone_region: Annotated[str | None, Form(max_length=10)] = None,
) -> dict[str, Any]:
    """Ingest one uploaded file as one batch owned by the caller's agency. A `table`
    needs its mapping: the YAML text (`mapping`) or a saved one's name (`mapping_name`)."""
    if kind not in KINDS:
        raise HTTPException(400, f"unknown kind {excerpt(kind)}; choose one of "
                            f"{', '.join(KINDS)}")
    text = _mapping_text(session, kind, mapping, mapping_name)
    with uploaded(file) as path:
        options = IngestOptions(source=source or path.stem, owner=session.scope.agency,
                                grading=grading, source_grade=source_grade,
                                info_grade=info_grade, handling=handling,
                                conditions=conditions, classification=classification,
                                user=session.reader.user, reason=reason or session.purpose,
                                label=path.name, mapping_text=text, sheet=sheet or None,
                                phone_region=phone_region or None)
        with session.app.write_lock:
            try:
                report = ingest_file(session.workspace, kind, path, options)
            except (IngestError, GradingError, HandlingError, ValueError) as exc:
                raise HTTPException(400, str(exc)) from None
            finally:
                session.app.invalidate()
    batch = dataclasses.asdict(report.batch)
    session.record("collection", f"{kind} file {path.name} as source {report.batch.source} "
                   f"of {report.batch.owner}", reason or "ingest",
                   {"batch": report.batch.id, "statements_added": report.batch.statements_added,
                    "rows_rejected": report.batch.rows_rejected,
                    **({"mapping": mapping_name} if mapping_name else {})})
    scope, store = session.scope, session.store
    quarantine = [dataclasses.asdict(q) for q in
                  store.quarantine(scope, batch=report.batch.id, limit=1000)]
    return {"batch": batch, "notes": report.notes, "quarantine": quarantine,
            "quarantine_total": store.quarantine_total(scope, batch=report.batch.id)}


def _mapping_text(session: Session, kind: str, text: str | None, name: str | None
                  ) -> str | None:
    if kind != "table":
        if text or name:
            raise HTTPException(400, f"a {kind} file is read by its built-in layout; a "
                                "mapping is only for kind table")
        return None
    if text and name:
        raise HTTPException(400, "give the mapping or the name of a saved one, not both")
    if name:
        saved = saved_mappings.get(session.store.con, session.scope, name)
        if saved is None:
            raise HTTPException(400, f"your agency has no saved mapping {excerpt(name)}")
        return saved.yaml
    if not text:
        raise HTTPException(400, "a table needs a mapping: build one in the editor, or "
                            "give the name of a saved one")
    return text


# -- saved mappings --------------------------------------------------------------------------

class MappingBody(BaseModel):
    yaml: str = Field(max_length=1_000_000)
    reason: str | None = Field(default=None, max_length=500)


def _saved(found: SavedMapping) -> dict[str, Any]:
    return {"name": found.name, "yaml": found.yaml, "saved_by": found.saved_by,
            "saved_at": found.saved_at.isoformat()}


@router.get("/mappings")
def mappings_list(session: SessionDep) -> list[dict[str, Any]]:
    """The mappings the caller's agency saved, by name, with the entities each makes."""
    out = []
    for found in saved_mappings.listed(session.store.con, session.scope):
        try:
            entities = [e.name for e in mapping_from_text(found.yaml, found.name).entities]
        except MappingError:
            entities = []
        out.append({"name": found.name, "saved_by": found.saved_by,
                    "saved_at": found.saved_at.isoformat(), "entities": entities})
    return out


@router.post("/mappings/parse", responses={400: {"description": "not YAML a mapping may be"}})
def mapping_parse(session: SessionDep, body: MappingBody) -> dict[str, Any]:
    """YAML text as the data it holds, for the editor's form (the browser has no YAML
    reader): 400 when it is no YAML a mapping may be (anchors, too deep, not a mapping);
    `problem` says why it would not validate as a mapping, if it would not."""
    try:
        document = mapping_document(body.yaml, "the mapping")
    except MappingError as exc:
        raise HTTPException(400, str(exc)) from None
    if not isinstance(document, dict):
        raise HTTPException(400, "a mapping is a YAML mapping with an 'entities:' section")
    try:
        parse_mapping(document, "the mapping")
        problem = None
    except MappingError as exc:
        problem = str(exc)
    return {"document": jsonable_encoder(document), "problem": problem}


@router.get("/mappings/{name}", responses={404: {"description": "no such saved mapping"}})
def mapping_get(session: SessionDep, name: str) -> dict[str, Any]:
    """One of the agency's saved mappings, its YAML as saved."""
    found = saved_mappings.get(session.store.con, session.scope, name)
    if found is None:
        raise HTTPException(404, "your agency has no saved mapping of that name")
    return _saved(found)


@router.put("/mappings/{name}", responses={400: {"description": "an invalid mapping or name"}})
def mapping_put(session: SessionDep, name: str, body: MappingBody) -> dict[str, Any]:
    """Save (or replace) a mapping under `name`, once it validates."""
    try:
        saved_mappings.checked_name(name)
        parsed = mapping_from_text(body.yaml, name)
    except (SavedMappingError, MappingError) as exc:
        raise HTTPException(400, str(exc)) from None
    with session.app.write_lock:
        found = saved_mappings.save(session.store.con, session.scope, name, body.yaml,
                                    session.reader.user)
    session.record("alteration", f"saved table mapping {name}", body.reason,
                   {"entities": [e.name for e in parsed.entities]})
    return _saved(found)


@router.delete("/mappings/{name}", responses={404: {"description": "no such saved mapping"}})
def mapping_delete(session: SessionDep, name: str) -> dict[str, str]:
    """Remove one of the agency's saved mappings."""
    with session.app.write_lock:
        gone = saved_mappings.delete(session.store.con, session.scope, name)
    if not gone:
        raise HTTPException(404, "your agency has no saved mapping of that name")
    session.record("alteration", f"deleted table mapping {name}")
    return {"deleted": name}


# -- batches and the quarantine -------------------------------------------------------------

@router.get("/batches")
def batches(session: SessionDep, limit: int = Query(200, ge=1, le=10_000)
            ) -> list[dict[str, Any]]:
    """The caller's agency's batches, newest first: who ingested what, when and why."""
    found = sorted(session.store.batches(session.scope), key=lambda b: b.started_at,
                   reverse=True)
    return [dataclasses.asdict(b) for b in found[:limit]]


@router.get("/quarantine")
def quarantine(session: SessionDep, batch: str | None = Query(None, max_length=100),
               offset: int = Query(0, ge=0, le=100_000_000),
               limit: int = Query(100, ge=1, le=1_000)) -> dict[str, Any]:
    """The quarantine rows the caller may see (their agency's), one batch's or all,
    page by page: file, line, field, value and reason."""
    store, scope = session.store, session.scope
    items = store.quarantine(scope, batch=batch, limit=limit, offset=offset)
    return {"total": store.quarantine_total(scope, batch=batch), "offset": offset,
            "items": [dataclasses.asdict(q) for q in items]}


@router.get("/quarantine.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def quarantine_csv(session: SessionDep, batch: str | None = Query(None, max_length=100)
                   ) -> Response:
    """The same rows as CSV (UTF-8 with a BOM, for spreadsheets), every one of them."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(QUARANTINE_CSV)
    for item in session.store.quarantine(session.scope, batch=batch):
        row = dataclasses.asdict(item)
        writer.writerow(["" if row[c] is None else _cell(row[c]) for c in QUARANTINE_CSV])
    # A header holds Latin-1 only, and a batch id is hex: anything else is left out.
    tag = re.sub(r"[^A-Za-z0-9-]", "", batch or "")[:12]
    name = f"quarantine-{tag}.csv" if tag else "quarantine.csv"
    record_export(session, f"quarantine {tag}".strip(), "csv", detail={"batch": tag or None})
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _cell(value: object) -> str:
    """A value as a spreadsheet cell that cannot run as a formula (CSV injection)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

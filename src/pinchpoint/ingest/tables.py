"""Tables through a mapping: any CSV/XLSX with `--mapping`, and the built-in layouts
(hawala ledger, seizure log, crossings log, social-media posts) whose mappings ship
in ``mappings/``. All of them go through the one :class:`MappingEngine`."""

from __future__ import annotations

from pathlib import Path

from pinchpoint.ingest.engine import MappingEngine
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.mapping import Mapping, builtin_layout, load_mapping, mapping_from_text
from pinchpoint.ingest.source import IngestOptions, Opener, Source
from pinchpoint.ingest.tabular import ByteCounter, read_table


def check_columns(path: Path, header: list[str], mapping: Mapping, strict: bool) -> list[str]:
    present = set(header)
    needed = mapping.required()
    missing = sorted(needed - present)
    if missing:
        raise IngestError(f"{path}: required column(s) missing: {', '.join(missing)}")
    known = mapping.columns()
    unmapped = [h for h in header if h and h not in known]
    if unmapped and strict:
        raise IngestError(
            f"{path}: column(s) {', '.join(unmapped)} are not part of this layout and would be "
            "lost; rename them or ingest with `pinchpoint ingest table --mapping FILE`"
        )
    absent = sorted(c for c in known - present if c not in needed)
    notes = [f"columns not mapped: {', '.join(unmapped)}"] if unmapped else []
    if absent and not strict:
        raise IngestError(f"{path}: the mapping names column(s) not in the file: "
                          f"{', '.join(absent)}")
    return notes


def open_mapped(path: Path, options: IngestOptions, mapping: Mapping, namespace: str,
                file_label: str, strict: bool) -> Source:
    counter = ByteCounter()
    header, records = read_table(path, options.sheet, counter)
    notes = check_columns(path, header, mapping, strict)
    engine = MappingEngine(mapping, file_label, namespace, options.phone_region)
    return Source(records=records, emitters={None: engine}, notes=notes,
                  progress_total=path.stat().st_size, counter=counter)


def open_table(path: Path, options: IngestOptions, namespace: str, file_label: str) -> Source:
    if options.mapping_text is not None:
        mapping = mapping_from_text(options.mapping_text, "the mapping given")
    elif options.mapping is not None:
        mapping = load_mapping(options.mapping)
    else:
        raise IngestError("ingesting a table needs --mapping FILE (see docs/formats.md)")
    return open_mapped(path, options, mapping, namespace, file_label, strict=False)


def builtin_opener(layout: str) -> Opener:
    """An opener for a built-in layout; its mapping ships as mappings/LAYOUT.yaml."""

    def open_layout(path: Path, options: IngestOptions, namespace: str, file_label: str) -> Source:
        mapping = builtin_layout(layout, f"built-in {layout} layout")
        return open_mapped(path, options, mapping, namespace, file_label, strict=True)

    open_layout.__doc__ = f"The built-in {layout} layout."
    return open_layout

// Ingest: upload a file as a new batch. The kinds come from the server (with what each
// reads); a chosen file is inspected and its kind pre-selected; kind "table" opens the
// mapping editor. After an ingest: the batch's counts and its quarantine (paged, as CSV),
// and the page keeps its settings so that a corrected file can go in again. Earlier
// batches open their quarantine too.

import { api, type BatchInfo, type IngestKind, type IngestResult, type InspectResult, type QuarantineEntry } from "../api";
import { h, replace, loading, empty, errorState, thead, fmt } from "../dom";
import { mappingEditor, saveBlob, type MappingEditor } from "./mapping";

const PAGE = 100;
const BATCHES_SHOWN = 20;

export function ingestView(root: HTMLElement): void {
  let kinds: IngestKind[] = [];
  let inspected: InspectResult | null = null;
  let kindTouched = false;
  let inspectSeq = 0;
  let editor: MappingEditor | null = null;
  let editorSample: InspectResult | null = null;

  // ---- file and kind -------------------------------------------------------------------------
  const file = h("input", { type: "file", id: "ing-file", name: "file", required: true, testid: "ingest-file", "aria-describedby": "ing-detected" });
  const kind = h("select", { id: "ing-kind", name: "kind", required: true, disabled: true, testid: "ingest-kind", "aria-describedby": "ing-kind-help" },
    h("option", { value: "" }, "Loading kinds…"));
  const kindHelp = h("div", { id: "ing-kind-help", class: "kind-help small", testid: "ingest-kind-help", "aria-live": "polite" });
  const detected = h("div", { id: "ing-detected", class: "small", role: "status", testid: "ingest-detected" },
    h("span", { class: "muted" }, "Choose a file: its kind is picked from its contents where it can be."));
  const sheet = h("select", { id: "ing-sheet", name: "sheet", testid: "ingest-sheet" });
  const sheetLabel = h("label", { for: "ing-sheet", hidden: true }, "Sheet");
  const sheetWrap = h("span", { hidden: true }, sheet);
  const region = h("input", { type: "text", id: "ing-region", name: "phone_region", size: 4, maxlength: 8, placeholder: "e.g. gb", testid: "ingest-phone-region", "aria-describedby": "ing-region-help" });

  // ---- provenance (as before) ------------------------------------------------------------------
  const source = h("input", { type: "text", id: "ing-source", name: "source", testid: "ingest-source", placeholder: "default: the file name" });
  const grading = h("select", { id: "ing-grading", name: "grading", testid: "ingest-grading" },
    h("option", { value: "uk" }, "UK 3x5x2 (1–3, A–E)"), h("option", { value: "nato" }, "NATO Admiralty (A–F, 1–6)"), h("option", { value: "europol" }, "Europol (A/B/C/X, 1–4)"));
  const reason = h("input", { type: "text", id: "ing-reason", name: "reason", testid: "ingest-reason", placeholder: "default: your purpose" });
  // Free text with suggestions: the accepted values depend on the grading scheme.
  const sg = h("input", { type: "text", id: "ing-sg", name: "source_grade", testid: "ingest-source-grade", size: 4, list: "ing-sgs", placeholder: "2" });
  const sgs = h("datalist", { id: "ing-sgs" }, ...["1", "2", "3", "A", "B", "C", "D", "E", "F", "X"].map((g) => h("option", { value: g })));
  const ig = h("input", { type: "text", id: "ing-ig", name: "info_grade", testid: "ingest-info-grade", size: 4, list: "ing-igs", placeholder: "C" });
  const igs = h("datalist", { id: "ing-igs" }, ...["A", "B", "C", "D", "E", "1", "2", "3", "4", "5", "6"].map((g) => h("option", { value: g })));
  const handling = h("select", { id: "ing-h", name: "handling", testid: "ingest-handling" }, h("option", { value: "" }, "(default)"), h("option", { value: "P" }, "P – lawful sharing permitted"), h("option", { value: "C" }, "C – with conditions"), ...["H0", "H1", "H2", "H3"].map((c) => h("option", { value: c }, `${c} (Europol)`)));
  const conditions = h("input", { type: "text", id: "ing-hc", name: "conditions", testid: "ingest-conditions" });
  const classification = h("select", { id: "ing-c", name: "classification", testid: "ingest-classification" }, h("option", { value: "" }, "(default)"), ...["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"].map((c) => h("option", { value: c }, c)));
  const submit = h("button", { type: "submit", testid: "ingest-submit" }, "Ingest");
  const formMsg = h("div", { class: "ingest-form-msg" });
  const editorSlot = h("div", { class: "ingest-editor-slot" });
  const out = h("div", { class: "ingest-out", testid: "ingest-result", "aria-live": "polite" });
  const batchesBox = h("section", { class: "card", testid: "ingest-batches", "aria-labelledby": "ing-batches-title" });

  const form = h("form", { class: "ingest-form", testid: "ingest-form", "aria-labelledby": "ingest-title", novalidate: true },
    h("section", { class: "card form-grid", "aria-label": "File and kind" },
      h("label", { for: "ing-file" }, "File"), file,
      h("span"), detected,
      h("label", { for: "ing-kind" }, "Kind"), kind,
      h("span"), kindHelp,
      sheetLabel, sheetWrap,
      h("label", { for: "ing-region" }, "Phone region"),
      h("span", null, region, " ", h("span", { id: "ing-region-help", class: "small muted" }, "country for numbers written without +"))),
    editorSlot,
    h("section", { class: "card form-grid", "aria-label": "Provenance" },
      h("label", { for: "ing-source" }, "Source name"), source,
      h("label", { for: "ing-grading" }, "Grading scheme"), grading,
      h("label", { for: "ing-sg" }, "Source grade"), h("span", null, sg, sgs),
      h("label", { for: "ing-ig" }, "Information grade"), h("span", null, ig, igs),
      h("label", { for: "ing-h" }, "Handling"), handling,
      h("label", { for: "ing-hc" }, "Handling conditions"), conditions,
      h("label", { for: "ing-c" }, "Classification"), classification,
      h("label", { for: "ing-reason" }, "Reason"), reason,
      h("span"), h("span", null, submit, formMsg)));

  // Enter in the mapping editor's text boxes must not ingest the file.
  form.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.key === "Enter" && t instanceof HTMLInputElement && editorSlot.contains(t)) e.preventDefault();
  });

  const chosenKind = (): IngestKind | undefined => kinds.find((k) => k.name === kind.value);
  const chosenFile = (): File | null => file.files?.[0] ?? null;
  const chosenSheet = (): string => (sheetWrap.hidden ? "" : sheet.value);

  function extensionOf(name: string): string {
    const i = name.lastIndexOf(".");
    return i < 0 ? "" : name.slice(i).toLowerCase();
  }

  function renderKindHelp(): void {
    const k = chosenKind();
    if (!k) { replace(kindHelp, kinds.length ? h("span", { class: "muted" }, "Choose what the file is.") : ""); return; }
    const f = chosenFile();
    const ext = f ? extensionOf(f.name) : "";
    const required = new Set(k.required);
    replace(kindHelp,
      h("div", { testid: "ingest-kind-description" }, k.description),
      k.needs_mapping ? h("div", null, "Say below which entities each row makes.") : null,
      k.columns.length
        ? h("div", { testid: "ingest-kind-columns" }, "Columns: ",
          ...k.columns.map((c, i) => [i ? ", " : "", h("code", { class: required.has(c) ? "required" : "" }, c)]),
          required.size ? h("span", { class: "muted" }, ` (required: ${k.required.join(", ")})`) : null)
        : null,
      k.extensions.length ? h("div", { class: "muted" }, `Files: ${k.extensions.join(", ")}`) : null,
      f && ext && k.extensions.length && !k.extensions.includes(ext)
        ? h("div", { class: "warn", testid: "ingest-kind-warning" }, `This kind reads ${k.extensions.join(", ")} files; ${f.name} is ${ext}.`)
        : null);
  }

  function updateKind(): void {
    renderKindHelp();
    const table = chosenKind()?.needs_mapping === true || kind.value === "table";
    if (table && !editor) {
      editor = mappingEditor({ file: chosenFile, sheet: chosenSheet, phoneRegion: () => region.value.trim() });
      editorSlot.append(editor.el);
    }
    if (editor) editor.el.hidden = !table;
    if (table && editor && inspected && inspected !== editorSample && inspected.tabular) {
      editorSample = inspected;
      editor.setSample(inspected);
    }
  }

  function showDetected(found: InspectResult): void {
    const k = found.kind ? kinds.find((x) => x.name === found.kind) : undefined;
    if (!k) {
      replace(detected, h("span", null, `Could not tell what ${found.file} is${found.kind_reason ? `: ${found.kind_reason}` : ""}. Choose its kind.`));
      return;
    }
    const kept = kind.value && kind.value !== k.name;
    const use = h("button", { type: "button", class: "link", testid: "ingest-use-detected" }, `use ${k.name}`);
    use.addEventListener("click", () => {
      kind.value = k.name;
      kindTouched = false;
      updateKind();
      showDetected(found);
    });
    replace(detected, h("span", { "data-kind": k.name, testid: "ingest-detected-kind" }, `Looks like ${k.name}`),
      found.kind_reason ? `: ${found.kind_reason}` : "", ".",
      kept ? [" Kept your choice, ", h("strong", null, kind.value), "; ", use, "."] : null);
  }

  async function inspect(sheetName?: string): Promise<void> {
    const seq = ++inspectSeq;
    const f = chosenFile();
    if (!f) {
      inspected = null;
      replace(detected, h("span", { class: "muted" }, "Choose a file."));
      renderKindHelp();
      return;
    }
    replace(detected, loading(`Looking at ${f.name}`, "ingest-inspecting"));
    try {
      const found = await api.inspect(f, { sheet: sheetName, phone_region: region.value.trim() || undefined });
      if (seq !== inspectSeq) return;
      inspected = found;
      const sheets = found.sheets ?? [];
      sheetLabel.hidden = sheetWrap.hidden = !sheets.length;
      replace(sheet, ...sheets.map((s) => h("option", { value: s, selected: s === found.sheet }, s)));
      if (found.kind && kinds.some((k) => k.name === found.kind) && (!kindTouched || !kind.value)) kind.value = found.kind;
      showDetected(found);
      updateKind();
    } catch (err) {
      if (seq !== inspectSeq) return;
      inspected = null;
      replace(detected, errorState(err));
      renderKindHelp();
    }
  }

  file.addEventListener("change", () => {
    sheetLabel.hidden = sheetWrap.hidden = true;
    replace(sheet);
    void inspect();
  });
  sheet.addEventListener("change", () => void inspect(sheet.value));
  kind.addEventListener("change", () => {
    kindTouched = true;
    updateKind();
    if (inspected) showDetected(inspected);
  });
  region.addEventListener("input", () => { if (editor && !editor.el.hidden) editor.refresh(); });
  // The suggestions depend on the region (national numbers): look again once it is set.
  region.addEventListener("change", () => { if (chosenFile()) void inspect(chosenSheet() || undefined); });

  async function loadKinds(): Promise<void> {
    replace(kindHelp, loading("Loading kinds"));
    try {
      kinds = await api.ingestKinds();
      replace(kind, h("option", { value: "" }, "(choose a kind)"),
        ...kinds.map((k) => h("option", { value: k.name, title: k.description }, k.name)));
      kind.disabled = false;
      if (inspected?.kind && kinds.some((k) => k.name === inspected?.kind)) kind.value = inspected.kind;
      updateKind();
    } catch (err) {
      replace(kindHelp, errorState(err, () => void loadKinds()));
    }
  }

  // ---- ingest --------------------------------------------------------------------------------
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(formMsg);
    const f = chosenFile();
    const fail = (msg: string, focus?: HTMLElement) => {
      replace(formMsg, h("div", { class: "state error", role: "alert", testid: "ingest-form-error" }, msg));
      focus?.focus();
    };
    if (!f) return fail("Choose a file first.", file);
    if (!kind.value) return fail("Choose the kind of file.", kind);
    const table = kind.value === "table";
    if (table && editor) {
      const why = editor.problem();
      if (why) return fail(`The mapping is not ready: ${why}`);
    }
    const fd = new FormData();
    fd.append("file", f, f.name);
    fd.append("kind", kind.value);
    for (const el of [source, grading, sg, ig, handling, conditions, classification, reason, region]) {
      if (el.value.trim()) fd.append(el.name, el.value.trim());
    }
    if (chosenSheet()) fd.append("sheet", chosenSheet());
    if (table && editor) fd.append("mapping", editor.yaml());
    submit.disabled = true;
    replace(out, loading(`Ingesting ${f.name}`, "ingest-running"));
    try {
      const res = await api.ingestBatch(fd);
      replace(out, report(res, f.name, () => { file.focus(); file.click(); }));
      out.scrollIntoView({ block: "start" });
      void loadBatches();
    } catch (err) {
      replace(out, errorState(err));
    } finally {
      submit.disabled = false;
    }
  });

  // ---- earlier batches -----------------------------------------------------------------------
  let showAll = false;
  const batchQuarantine = h("div", { testid: "ingest-batches-quarantine" });
  async function loadBatches(): Promise<void> {
    const refresh = h("button", { type: "button", class: "secondary small", testid: "ingest-batches-refresh" }, "Refresh");
    refresh.addEventListener("click", () => void loadBatches());
    const head = h("div", { class: "row" }, h("h2", { id: "ing-batches-title" }, "Earlier batches"), refresh);
    replace(batchesBox, head, loading("Loading batches"));
    try {
      const list = await api.batches();
      const shown = showAll ? list : list.slice(0, BATCHES_SHOWN);
      const more = list.length > shown.length ? h("button", { type: "button", class: "link", testid: "ingest-batches-more" }, `Show all ${fmt(list.length)}`) : null;
      more?.addEventListener("click", () => { showAll = true; void loadBatches(); });
      replace(batchesBox, head,
        list.length
          ? h("div", { class: "table-wrap" }, h("table", { class: "compact", testid: "ingest-batches-table" },
            thead(["Finished", "Kind", "Source", "File", "Rows", "Rejected", "Quarantined", "Added", ""]),
            h("tbody", null, ...shown.map((b) => batchRow(b, () => openBatch(b))))))
          : empty("No batches yet.", "ingest-batches-empty"),
        more, batchQuarantine);
    } catch (err) {
      replace(batchesBox, head, errorState(err, () => void loadBatches()));
    }
  }
  function openBatch(b: BatchInfo): void {
    replace(batchQuarantine,
      h("h3", null, `Quarantine of batch ${b.id} (${baseName(b.path)})`),
      quarantineBrowser(b.id, "ingest-batch-quarantine"));
    batchQuarantine.scrollIntoView({ block: "nearest" });
  }

  replace(root,
    h("h1", { id: "ingest-title" }, "Ingest a file"),
    form, out, batchesBox);
  void loadKinds();
  void loadBatches();
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function batchRow(b: BatchInfo, open: () => void): HTMLTableRowElement {
  const button = h("button", { type: "button", class: "secondary small", testid: "ingest-batches-open", "data-batch": b.id }, "Quarantine");
  button.addEventListener("click", open);
  return h("tr", { testid: "ingest-batches-row", "data-batch": b.id },
    h("td", null, (b.finished_at ?? "").replace("T", " ").slice(0, 16)),
    h("td", null, b.kind), h("td", null, b.source), h("td", null, baseName(b.path)),
    h("td", { class: "num" }, fmt(b.rows_read)), h("td", { class: "num" }, fmt(b.rows_rejected)),
    h("td", { class: "num" }, fmt(b.values_quarantined)), h("td", { class: "num" }, fmt(b.statements_added)),
    h("td", null, button));
}

/** The report card of one ingest: counts, notes, the batch record and its quarantine. */
function report(res: IngestResult, fileName: string, again: () => void): HTMLElement {
  const b = res.batch;
  const notes = Array.isArray(res.notes) ? res.notes : [];
  const count = (key: keyof BatchInfo, label: string) =>
    h("div", null, h("dt", null, label), h("dd", { testid: `ingest-count-${key}`, "data-value": String(b[key] ?? "") }, fmt(Number(b[key]))));
  const againButton = h("button", { type: "button", class: "secondary", testid: "ingest-again" }, "Ingest a corrected file");
  againButton.addEventListener("click", again);
  return h("section", { class: "card ingest-report", "aria-labelledby": "ing-report-title", "data-batch": b.id },
    h("h2", { id: "ing-report-title" }, `Batch ${b.id}: ${fileName}`),
    h("dl", { class: "kpis", testid: "ingest-batch-counts" },
      count("rows_read", "rows read"), count("rows_stored", "rows stored"), count("rows_rejected", "rows rejected"),
      count("values_quarantined", "values quarantined"), count("statements_added", "statements added")),
    b.statements_added === 0
      ? h("p", { class: "state empty", testid: "ingest-nothing-new" },
        "Nothing new: every statement of this file was in the workspace already (ids are content hashes).")
      : null,
    notes.length ? h("ul", { testid: "ingest-notes" }, ...notes.map((n) => h("li", null, String(n)))) : null,
    h("details", null, h("summary", null, "Batch record"), h("pre", { testid: "ingest-batch" }, JSON.stringify(b, null, 2))),
    h("h3", null, "Quarantine"),
    quarantineBrowser(b.id, "ingest-quarantine"),
    h("p", { class: "row" }, againButton,
      h("span", { class: "small muted" }, "The kind, mapping and provenance above stay as they are; only what is new is added.")),
    nextSteps());
}

/** After an ingest: match the new people with those already known, then look at them. */
function nextSteps(): HTMLElement {
  const status = h("span", { class: "small", role: "status", testid: "ingest-resolve-status" });
  const resolveBtn = h("button", { type: "button", class: "secondary", testid: "ingest-resolve" }, "Resolve people across sources");
  resolveBtn.addEventListener("click", async () => {
    resolveBtn.disabled = true;
    status.textContent = "Resolving…";
    try {
      await api.resolve();
      status.textContent = "Resolved: the network and search now include this file.";
    } catch (err) {
      status.textContent = `Resolution failed: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      resolveBtn.disabled = false;
    }
  });
  return h("p", { class: "row", testid: "ingest-next" }, resolveBtn,
    h("a", { href: "#/network", testid: "ingest-open-network" }, "Open the network"), " ",
    h("a", { href: "#/search" }, "Search"), status);
}

/** One batch's quarantine, 100 at a time, with a CSV download of all of it. */
function quarantineBrowser(batch: string, testid: string): HTMLElement {
  const box = h("div", { testid, "data-batch": batch });
  const body = h("div");
  const downloadMsg = h("span", { class: "small", role: "status" });
  const download = h("button", { type: "button", class: "secondary", testid: "quarantine-download" }, "Download CSV");
  download.addEventListener("click", async () => {
    download.disabled = true;
    downloadMsg.textContent = "";
    try {
      saveBlob(await api.quarantineCsv(batch), `quarantine_${batch}.csv`);
    } catch (err) {
      downloadMsg.textContent = `Download failed: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      download.disabled = false;
    }
  });
  const show = async (offset: number) => {
    replace(body, loading("Loading the quarantine"));
    try {
      const page = await api.quarantine(batch, offset, PAGE);
      if (!page.total) {
        replace(body, empty("Nothing quarantined.", "quarantine-empty"));
        download.hidden = true;
        return;
      }
      download.hidden = false;
      const first = page.items.length ? offset + 1 : 0;
      const last = offset + page.items.length;
      const prev = h("button", { type: "button", class: "secondary small", testid: "quarantine-prev", disabled: offset <= 0 }, "Previous");
      const next = h("button", { type: "button", class: "secondary small", testid: "quarantine-next", disabled: last >= page.total }, "Next");
      prev.addEventListener("click", () => void show(Math.max(0, offset - PAGE)));
      next.addEventListener("click", () => void show(offset + PAGE));
      replace(body,
        h("div", { class: "row" },
          h("span", { testid: "quarantine-count", "data-total": page.total }, `${fmt(first)}–${fmt(last)} of ${fmt(page.total)}`),
          prev, next),
        h("div", { class: "table-wrap" }, h("table", { class: "compact", testid: "quarantine-table" },
          thead(["File", "Line", "Field", "Value", "Reason", "Row rejected"]),
          h("tbody", null, ...page.items.map(quarantineRow)))));
    } catch (err) {
      replace(body, errorState(err, () => void show(offset)));
    }
  };
  replace(box, body, h("div", { class: "row" }, download, downloadMsg));
  void show(0);
  return box;
}

function quarantineRow(q: QuarantineEntry): HTMLTableRowElement {
  return h("tr", { testid: "quarantine-row", "data-line": q.line ?? "", "data-field": q.field ?? "", "data-rejected": String(q.row_rejected) },
    h("td", null, q.file),
    h("td", { class: "num" }, q.line === null || q.line === undefined ? (q.locator ?? "–") : String(q.line)),
    h("td", null, q.field ?? "–"),
    h("td", null, h("code", null, q.raw_value ?? "")),
    h("td", null, q.reason),
    h("td", null, q.row_rejected ? "yes" : "no"));
}

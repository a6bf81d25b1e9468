// Ingest: upload a file as a new batch; show the batch and what was quarantined.
import { api } from "../api";
import { h, replace, loading, empty, errorState } from "../dom";

export function ingestView(root: HTMLElement): void {
  const file = h("input", { type: "file", id: "ing-file", name: "file", required: true, testid: "ingest-file" });
  const kind = h("input", { type: "text", id: "ing-kind", name: "kind", required: true, list: "ing-kinds", testid: "ingest-kind", placeholder: "e.g. csv" });
  const kinds = h("datalist", { id: "ing-kinds" }, ...["ftm", "ledger", "seizures", "crossings", "posts", "phone", "document"].map((k) => h("option", { value: k })));
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
  const out = h("div", { class: "ingest-out", testid: "ingest-result", "aria-live": "polite" });
  const form = h("form", { class: "card form-grid", testid: "ingest-form", "aria-labelledby": "ingest-title" },
    h("label", { for: "ing-file" }, "File"), file,
    h("label", { for: "ing-kind" }, "Kind"), h("span", null, kind, kinds),
    h("label", { for: "ing-source" }, "Source name"), source,
    h("label", { for: "ing-grading" }, "Grading scheme"), grading,
    h("label", { for: "ing-sg" }, "Source grade"), h("span", null, sg, sgs),
    h("label", { for: "ing-ig" }, "Information grade"), h("span", null, ig, igs),
    h("label", { for: "ing-h" }, "Handling"), handling,
    h("label", { for: "ing-hc" }, "Handling conditions"), conditions,
    h("label", { for: "ing-c" }, "Classification"), classification,
    h("label", { for: "ing-reason" }, "Reason"), reason,
    h("span"), submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const fd = new FormData();
    const f = file.files?.[0];
    if (!f) { replace(out, errorState(new Error("Choose a file first."))); return; }
    fd.append("file", f, f.name);
    for (const el of [kind, source, grading, sg, ig, handling, conditions, classification, reason]) if (el.value.trim()) fd.append(el.name, el.value.trim());
    submit.disabled = true;
    replace(out, loading("Ingesting"));
    try {
      const res = await api.ingest(fd);
      const q = res.quarantine ?? [];
      const notes = Array.isArray(res.notes) ? res.notes : [];
      replace(out,
        h("h2", null, "Batch"),
        notes.length ? h("ul", { testid: "ingest-notes" }, ...notes.map((n) => h("li", null, String(n)))) : null,
        h("pre", { testid: "ingest-batch" }, JSON.stringify(res.batch, null, 2)),
        h("h2", null, `Quarantine (${q.length})`),
        q.length ? h("ol", { testid: "ingest-quarantine" }, ...q.map((x) => h("li", null, h("pre", null, typeof x === "string" ? x : JSON.stringify(x))))) : empty("Nothing quarantined."));
    } catch (err) {
      replace(out, errorState(err));
    } finally {
      submit.disabled = false;
    }
  });
  replace(root, h("h1", { id: "ingest-title" }, "Ingest a file"), form, out);
}

// Saved mappings in the mapping editor: the list to choose from (`GET /api/mappings`), Load
// (`GET /api/mappings/{name}`), Save under a name (`PUT /api/mappings/{name}`), and Download
// of the mapping text as a .yaml file. Also `saveBlob`, the download helper the Ingest page
// uses for its quarantine CSV.

import { api, type SavedMapping } from "../api";
import { h, replace } from "../dom";
import { saveFile } from "../exports";

const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** The editor's controls for saved mappings. */
export interface SavedControls {
  saved: HTMLSelectElement;
  load: HTMLButtonElement;
  saveName: HTMLInputElement;
  save: HTMLButtonElement;
  download: HTMLButtonElement;
  saveStatus: HTMLElement;
}

/** What the saved-mapping controls need from the editor. */
export interface SavedHooks {
  /** The mapping text to save or download. */
  yaml: () => string;
  setStatus: (msg: string) => void;
  /** A saved mapping was fetched: put it into the editor. */
  open: (m: SavedMapping) => Promise<void>;
}

/** Wires Load, Save and Download; returns the list's refresh (selecting `select` when given). */
export function wireSavedMappings(c: SavedControls, hooks: SavedHooks): (select?: string) => Promise<void> {
  const refresh = (select?: string): Promise<void> => loadSavedList(c.saved, hooks.setStatus, select);
  c.load.addEventListener("click", () => void loadSaved(c, hooks));
  c.save.addEventListener("click", () => void saveMapping(c, hooks, refresh));
  c.download.addEventListener("click", () => {
    const name = NAME_RE.test(c.saveName.value.trim()) ? c.saveName.value.trim() : "mapping";
    saveBlob(new Blob([hooks.yaml()], { type: "application/yaml" }), `${name}.yaml`);
  });
  return refresh;
}

async function loadSavedList(saved: HTMLSelectElement, setStatus: (msg: string) => void, select?: string): Promise<void> {
  try {
    const list = await api.mappings();
    replace(saved, h("option", { value: "" }, list.length ? "(saved mappings)" : "(none saved yet)"),
      ...list.map((m) => h("option", { value: m.name, selected: m.name === select, title: `saved by ${m.saved_by} at ${m.saved_at}` },
        `${m.name}${m.entities.length ? ` (${m.entities.join(", ")})` : ""}`)));
  } catch (err) {
    replace(saved, h("option", { value: "" }, "(saved mappings unavailable)"));
    setStatus(`Saved mappings: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function loadSaved(c: SavedControls, hooks: SavedHooks): Promise<void> {
  const name = c.saved.value;
  if (!name) { hooks.setStatus("Choose a saved mapping to load."); c.saved.focus(); return; }
  c.load.disabled = true;
  try {
    const m = await api.mapping(name);
    c.saveName.value = m.name;
    await hooks.open(m);
  } catch (err) {
    hooks.setStatus(`Could not load ${name}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    c.load.disabled = false;
  }
}

async function saveMapping(c: SavedControls, hooks: SavedHooks, refresh: (select?: string) => Promise<void>): Promise<void> {
  const name = c.saveName.value.trim();
  if (!NAME_RE.test(name)) {
    c.saveStatus.textContent = "Name it with 1–64 letters, digits, -, _ or . first.";
    c.saveName.setAttribute("aria-invalid", "true");
    c.saveName.focus();
    return;
  }
  c.saveName.setAttribute("aria-invalid", "false");
  c.save.disabled = true;
  c.saveStatus.textContent = "Saving…";
  try {
    const m = await api.saveMapping(name, hooks.yaml());
    c.saveStatus.textContent = `Saved as ${m.name}.`;
    await refresh(m.name);
  } catch (err) {
    c.saveStatus.textContent = `Not saved: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    c.save.disabled = false;
  }
}

/** Downloads a Blob under a file name: the one download helper, `exports.saveFile`. */
export const saveBlob = saveFile;

// Small typed DOM helpers: no framework, no virtual DOM.

import { ApiError } from "./api";

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") {
        el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      } else if (k === "class") {
        el.className = String(v);
      } else if (k === "testid") {
        el.setAttribute("data-testid", String(v));
      } else if (v === true) {
        el.setAttribute(k, "");
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replace(el: Element, ...children: Child[]): void {
  clear(el);
  append(el, children);
}

export function loading(what = "Loading", testid?: string): HTMLElement {
  return h("div", { class: "state loading", role: "status", "aria-live": "polite", testid: testid ?? "state-loading" },
    h("span", { class: "spinner", "aria-hidden": "true" }), `${what}…`);
}

export function empty(message: string, testid?: string): HTMLElement {
  return h("div", { class: "state empty", role: "status", testid: testid ?? "state-empty" }, message);
}

/** HTTP statuses a second try may cure: not ready yet (409), too many requests (429), and
 *  server errors (5xx). A 400, 403 or 404 answers the same request the same way again. */
const RETRYABLE_STATUS = new Set([409, 429]);

/** Whether retrying `err` can help: the server not reached, a 5xx, 409 or 429; or a lazily
 *  loaded part of the app that did not arrive (the browser's TypeError on a failed fetch). */
export function retryable(err: unknown): boolean {
  if (err instanceof ApiError) return err.status === 0 || err.status >= 500 || RETRYABLE_STATUS.has(err.status);
  return err instanceof TypeError && /fetch|dynamically imported module/i.test(err.message);
}

/** The error as a message; "Retry" (when a `retry` is given) only where `retryable`. */
export function errorState(err: unknown, retry?: () => void): HTMLElement {
  let msg = "Something went wrong.";
  let code = "";
  if (err instanceof ApiError) {
    msg = err.message;
    code = err.status ? `HTTP ${err.status}` : "network";
    if (err.status === 403) msg = `Not permitted: ${err.message}`;
    if (err.status === 404) msg = "Not found, or not visible to you.";
  } else if (err instanceof Error) {
    msg = err.message;
  }
  const status = err instanceof ApiError ? err.status : null;
  return h("div", { class: "state error", role: "alert", testid: "state-error", "data-status": status },
    h("strong", null, "Error"), code ? ` (${code})` : "", ": ", msg, " ",
    retry && retryable(err) ? h("button", { type: "button", class: "link", testid: "state-retry", onclick: () => retry() }, "Retry") : null);
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let t: number | undefined;
  return (...args: A) => {
    if (t !== undefined) window.clearTimeout(t);
    t = window.setTimeout(() => fn(...args), ms);
  };
}

export function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  return n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function entityLink(id: string, label?: string, attrs: Attrs = {}): HTMLAnchorElement {
  return h("a", { href: `#/entity/${encodeURIComponent(id)}`, class: "entity-link", ...attrs }, label || id);
}

/** A table header row: one `<th scope="col">` per column. */
export function thead(columns: string[]): HTMLTableSectionElement {
  return h("thead", null, h("tr", null, ...columns.map((t) => h("th", { scope: "col" }, t))));
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes and optional text content. */
export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Closes on Escape; returns a function that removes the listener. */
export function onEscape(fn: () => void): () => void {
  const listener = (e: KeyboardEvent) => {
    if (e.key === "Escape") fn();
  };
  document.addEventListener("keydown", listener);
  return () => document.removeEventListener("keydown", listener);
}

/** Every view gets a container and returns an optional cleanup function. */
export type View = (root: HTMLElement, params: URLSearchParams, path: string[]) => void | (() => void) | Promise<void | (() => void)>;

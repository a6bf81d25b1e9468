import "./style.css";
import { api, ApiError, session, setUnauthorisedHandler } from "./api";
import { currentUser, setUser, navigate } from "./state";
import { h, replace, loading, errorState, type View } from "./dom";
import { loginView } from "./views/login";
import { searchView } from "./views/search";
import { profileView } from "./views/profile";
import { timelineView } from "./views/timeline";
import { reviewView } from "./views/review";
import { dashboardView } from "./views/dashboard";
import { ingestView } from "./views/ingest";
import { auditView } from "./views/audit";
import { adminView } from "./views/admin";
import { requestsView } from "./views/requests";

declare global {
  interface Window {
    __pinchpoint: { networkReadyAt: number | null; nodes: number; edges: number; [k: string]: unknown };
  }
}
window.__pinchpoint = window.__pinchpoint ?? { networkReadyAt: null, nodes: 0, edges: 0 };

// Heavy views (WebGL libraries) are split into their own chunks and loaded on demand.
const networkView: View = async (root, params) => (await import("./views/network")).networkView(root, params);
const benchView: View = async (root, params) => (await import("./views/network")).benchView(root, params);
const mapView: View = async (root) => (await import("./views/map")).mapView(root);
const moneyView: View = async (root, params) => (await import("./views/money")).moneyView(root, params);
const phonesView: View = async (root, params) => (await import("./views/phones")).phonesView(root, params);
const peopleView: View = async (root, params) => (await import("./views/people")).peopleView(root, params);
const supplyView: View = async (root) => (await import("./views/supply")).supplyView(root);

interface Route {
  view: View;
  title: string;
  nav?: string;
  public?: boolean;
  auditorOnly?: boolean;
  sharerOnly?: boolean;
}

const routes: Record<string, Route> = {
  login: { view: loginView, title: "Sign in", public: true },
  search: { view: searchView, title: "Search", nav: "Search" },
  entity: { view: profileView, title: "Entity" },
  network: { view: networkView, title: "Network", nav: "Network" },
  people: { view: peopleView, title: "Key people", nav: "Key people" },
  "network-bench": { view: benchView, title: "Network bench", public: true },
  money: { view: moneyView, title: "Money", nav: "Money" },
  phones: { view: phonesView, title: "Phones", nav: "Phones" },
  supply: { view: supplyView, title: "Supply", nav: "Supply" },
  map: { view: mapView, title: "Map", nav: "Map" },
  timeline: { view: timelineView, title: "Timeline", nav: "Timeline" },
  review: { view: reviewView, title: "Review", nav: "Review" },
  dashboard: { view: dashboardView, title: "Threat picture", nav: "Threat picture" },
  ingest: { view: ingestView, title: "Ingest", nav: "Ingest" },
  requests: { view: requestsView, title: "Requests", nav: "Requests" },
  audit: { view: auditView, title: "Audit", nav: "Audit", auditorOnly: true },
  admin: { view: adminView, title: "Administration", nav: "Admin", sharerOnly: true },
};

let cleanup: (() => void) | void = undefined;

function parseHash(): { name: string; path: string[]; params: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, "");
  const [pathPart, query = ""] = raw.split("?", 2);
  const parts = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || "search", path: parts.slice(1), params: new URLSearchParams(query) };
}

const app = document.getElementById("app") as HTMLElement;

/** The routes shown in the nav (and on the "Page not found" page) for the current user. */
function navRoutes(): [string, Route][] {
  const role = (currentUser()?.role ?? "").toLowerCase();
  const isAuditor = role.includes("audit") || role.includes("admin");
  const isSharer = role.includes("supervisor") || role.includes("admin");
  return Object.entries(routes)
    .filter(([, r]) => r.nav && (!r.auditorOnly || isAuditor) && (!r.sharerOnly || isSharer));
}

/** Whether the page on screen is the "give a purpose first" panel (`purposeNeeded`). */
let gated = false;
let renderPending = false;

/** Render once, after the event being handled: Enter fires keydown and change, and a click
 *  on Continue follows the field's change; each asks, the page is drawn once. */
function renderSoon(): void {
  if (renderPending) return;
  renderPending = true;
  window.setTimeout(() => {
    renderPending = false;
    void render();
  }, 0);
}

/** The Purpose field: empty until the analyst types why they are looking (the audit log
 *  keeps it with every read, so it is never filled in for them). Typing sets it at once;
 *  Enter or leaving the field confirms it, which opens the page waiting for a purpose, or,
 *  when it was cleared, puts the page behind the "give a purpose first" panel again. */
function purposeField(): HTMLElement {
  const input = h("input", {
    id: "purpose", type: "text", value: session.purpose, size: 14, testid: "purpose-input", required: true,
    "aria-describedby": "purpose-help purpose-prompt", autocomplete: "off", placeholder: "required",
  });
  const prompt = h("span", { id: "purpose-prompt", class: "purpose-prompt", role: "status", testid: "purpose-prompt" },
    "Type your purpose (why you are looking), then press Enter");
  const mark = (): void => {
    const missing = !session.purpose;
    prompt.hidden = !missing;
    input.setAttribute("aria-invalid", String(missing));
  };
  const confirm = (): void => {
    // A re-render takes the focused field out, which fires change on the detached field.
    if (!input.isConnected) return;
    input.value = session.purpose;
    mark();
    if (gated !== !session.purpose) renderSoon();
  };
  input.addEventListener("input", () => {
    session.purpose = input.value;
    mark();
  });
  input.addEventListener("change", confirm);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") confirm();
  });
  mark();
  return h("div", { class: "purpose" },
    h("label", { for: "purpose" }, "Purpose"), input, prompt,
    h("span", { id: "purpose-help", class: "visually-hidden" }, "Sent with every request as the reason for access, and kept in the audit log"));
}

/** Who is signed in, on two short lines (the user; the agency, role and clearance), each cut
 *  with an ellipsis when long: the whole text stays in the page for screen readers and in
 *  the tooltip, and the header keeps to one line at 1,280 px without dropping a nav item. */
function whoIs(): HTMLElement {
  const me = currentUser();
  const user = me?.user ?? "";
  const agency = me?.agency ?? "";
  const role = me?.role ?? "";
  const full = [user, agency, role].filter(Boolean).join(" · ") + (me?.clearance ? ` (${me.clearance})` : "");
  return h("div", { class: "who", testid: "user-info", title: full },
    h("span", { testid: "user-name", class: "user who-line", title: user }, user),
    h("span", { class: "who-line" },
      h("span", { testid: "user-agency", class: "who-agency", title: agency }, agency), " · ",
      h("span", { testid: "user-role" }, role),
      me?.clearance ? h("span", { class: "clearance", testid: "user-clearance" }, ` (${me.clearance})`) : null));
}

function header(active: string): HTMLElement {
  const nav = h("nav", { "aria-label": "Main", class: "nav" },
    h("ul", null, ...navRoutes().map(([name, r]) => h("li", null, h("a", {
      href: `#/${name}`, testid: `nav-${name}`,
      "aria-current": name === active ? "page" : null,
    }, r.nav ?? name)))));
  const logout = h("button", { type: "button", testid: "logout-button", class: "secondary" }, "Sign out");
  logout.addEventListener("click", async () => {
    logout.disabled = true;
    try {
      await api.logout();
    } catch {
      // Logging out locally is what matters; the server may already have dropped the session.
    }
    session.token = null;
    session.purpose = "";  // the next person to sign in gives their own
    setUser(null);
    navigate("#/login");
  });
  return h("header", { class: "topbar", role: "banner" },
    h("a", { href: "#/search", class: "brand" }, "Pinchpoint"),
    nav, purposeField(), whoIs(), logout);
}

/** Shown instead of a page while no purpose is typed: nothing is fetched until one is. */
function purposeNeeded(main: HTMLElement): void {
  const go = h("button", { type: "button", testid: "purpose-continue" }, "Continue");
  go.addEventListener("click", () => {
    const field = document.getElementById("purpose") as HTMLInputElement | null;
    if (session.purpose) renderSoon();
    else field?.focus();
  });
  replace(main, h("section", { class: "card purpose-needed", testid: "purpose-needed", "aria-labelledby": "purpose-needed-title" },
    h("h1", { id: "purpose-needed-title" }, "Why are you looking?"),
    h("p", null, "Every page you open is written to the audit log with the purpose you give. ",
      "Type it in the Purpose field at the top (a case, operation or tasking reference, for example) and press Enter. ",
      "Nothing is fetched until you do."),
    go));
}

/** An unknown route: say so, name it, and offer the main pages (never a silent redirect). */
function notFound(main: HTMLElement, route: string): void {
  replace(main, h("section", { class: "card not-found", testid: "not-found", "aria-labelledby": "not-found-title" },
    h("h1", { id: "not-found-title" }, "Page not found"),
    h("p", null, "There is no page ", h("code", { testid: "not-found-route" }, `#/${route}`), " in the workbench."),
    h("p", null, "Go to one of the main pages:"),
    h("ul", { class: "not-found-links" }, ...navRoutes().map(([name, r]) =>
      h("li", null, h("a", { href: `#/${name}` }, r.nav ?? name))))));
}

async function render(): Promise<void> {
  if (typeof cleanup === "function") {
    try {
      cleanup();
    } catch {
      /* a view failing to clean up must not block navigation */
    }
  }
  cleanup = undefined;
  const { name, path, params } = parseHash();
  const known = Object.hasOwn(routes, name);
  const route = known ? routes[name] : { view: () => undefined, title: "Page not found" };
  document.title = `${route.title} · Pinchpoint`;

  if (!route.public && !currentUser()) {
    if (!session.token) {
      navigate(`#/login?next=${encodeURIComponent(location.hash || "#/search")}`);
      return;
    }
    replace(app, h("main", { id: "main", class: "main" }, loading("Checking your session")));
    try {
      setUser(await api.me());
    } catch (err) {
      // A 401 is handled by the unauthorised handler (below), which clears the token and goes to #/login.
      if (err instanceof ApiError && err.status === 401) return;
      if (err instanceof ApiError && err.status === 403) {
        session.token = null;
        navigate("#/login");
      } else {
        replace(app, h("main", { id: "main", class: "main" }, errorState(err, () => void render())));
      }
      return;
    }
  }

  const main = h("main", { id: "main", class: "main", tabindex: "-1" });
  const skip = h("a", { href: "#main", class: "skip-link", onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, "Skip to content");
  if (route.public && name === "login") replace(app, main);
  else if (route.public && !currentUser()) replace(app, skip, main);
  else replace(app, skip, header(name), main);
  gated = false;
  if (!known) {
    notFound(main, location.hash.replace(/^#\/?/, ""));
    return;
  }
  if (!route.public && !session.purpose) {
    gated = true;
    purposeNeeded(main);
    document.getElementById("purpose")?.focus();
    return;
  }
  try {
    cleanup = await route.view(main, params, path);
  } catch (err) {
    replace(main, errorState(err, () => void render()));
  }
}

setUnauthorisedHandler(() => {
  session.token = null;
  setUser(null);
  if (!location.hash.startsWith("#/login")) navigate("#/login");
});

window.addEventListener("hashchange", () => void render());
void render();

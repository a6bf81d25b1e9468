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
  "network-bench": { view: benchView, title: "Network bench", public: true },
  money: { view: moneyView, title: "Money", nav: "Money" },
  phones: { view: phonesView, title: "Phones", nav: "Phones" },
  supply: { view: supplyView, title: "Supply", nav: "Supply" },
  map: { view: mapView, title: "Map", nav: "Map" },
  timeline: { view: timelineView, title: "Timeline", nav: "Timeline" },
  review: { view: reviewView, title: "Review", nav: "Review" },
  dashboard: { view: dashboardView, title: "Threat picture", nav: "Threat picture" },
  ingest: { view: ingestView, title: "Ingest", nav: "Ingest" },
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

function header(active: string): HTMLElement {
  const purpose = h("input", {
    id: "purpose", type: "text", value: session.purpose, size: 14, testid: "purpose-input",
    "aria-describedby": "purpose-help", autocomplete: "off",
  });
  purpose.addEventListener("input", () => (session.purpose = purpose.value));
  purpose.addEventListener("change", () => (purpose.value = session.purpose));
  const role = (currentUser()?.role ?? "").toLowerCase();
  const isAuditor = role.includes("audit") || role.includes("admin");
  const isSharer = role.includes("supervisor") || role.includes("admin");
  const nav = h("nav", { "aria-label": "Main", class: "nav" },
    h("ul", null, ...Object.entries(routes)
      .filter(([, r]) => r.nav && (!r.auditorOnly || isAuditor) && (!r.sharerOnly || isSharer))
      .map(([name, r]) => h("li", null, h("a", {
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
    setUser(null);
    navigate("#/login");
  });
  return h("header", { class: "topbar", role: "banner" },
    h("a", { href: "#/search", class: "brand" }, "Pinchpoint"),
    nav,
    h("div", { class: "purpose" },
      h("label", { for: "purpose" }, "Purpose"), purpose,
      h("span", { id: "purpose-help", class: "visually-hidden" }, "Sent with every request as the reason for access")),
    h("div", { class: "who", testid: "user-info" },
      h("span", { testid: "user-name", class: "user" }, currentUser()?.user ?? ""), " · ",
      h("span", { testid: "user-agency" }, currentUser()?.agency ?? ""), " · ",
      h("span", { testid: "user-role" }, currentUser()?.role ?? ""),
      currentUser()?.clearance ? h("span", { class: "clearance", testid: "user-clearance" }, ` (${currentUser()?.clearance})`) : null),
    logout);
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
  const route = routes[name] ?? routes.search;
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

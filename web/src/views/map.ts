// Map: MapLibre GL with an offline Natural Earth basemap (world-atlas 110m), no tiles,
// no glyphs, no sprites. Places and seizures as circles, routes as flow arcs, and the
// dated transit points (launch and landing points, places of events), each where the
// data or the gazetteer puts it, never guessed. A month range filters the dated layers
// (routes, transit points, seizures) on the server; it is kept in the URL.
import { Map as MlMap, Marker, NavigationControl, Popup, setWorkerUrl, type StyleSpecification, type GeoJSONSource, type MapLayerMouseEvent } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";
import { feature } from "topojson-client";
import type { Topology, GeometryCollection } from "topojson-specification";
import type { FeatureCollection, Point, LineString } from "geojson";
import countries110m from "world-atlas/countries-110m.json";
import { api, type MapPeriodData, type SupplyChains } from "../api";
import { h, replace, loading, empty, errorState, fmt, onEscape } from "../dom";
import { arc, centroidIndex } from "../geo";

setWorkerUrl(workerUrl);

const topo = countries110m as unknown as Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }>;
const countries = feature(topo, topo.objects.countries) as FeatureCollection;
const centroids = centroidIndex(countries);

function style(): StyleSpecification {
  return {
    version: 8,
    name: "pinchpoint-offline",
    sources: { countries: { type: "geojson", data: countries } },
    layers: [
      { id: "sea", type: "background", paint: { "background-color": "#d8e6f0" } },
      { id: "countries-fill", type: "fill", source: "countries", paint: { "fill-color": "#f4f1ea", "fill-outline-color": "#b8b2a6" } },
      { id: "countries-line", type: "line", source: "countries", paint: { "line-color": "#a8a296", "line-width": 0.6 } },
    ],
  };
}

function esc(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** The period in the URL (`#/map?since=2024-04&until=2024-06`), months only. */
function periodFromUrl(): { since: string; until: string } {
  const query = location.hash.split("?")[1] ?? "";
  const params = new URLSearchParams(query);
  const month = (v: string | null) => (v && /^\d{4}-\d{2}$/.test(v) ? v : "");
  return { since: month(params.get("since")), until: month(params.get("until")) };
}

function keepPeriodInUrl(since: string, until: string): void {
  const q = new URLSearchParams();
  if (since) q.set("since", since);
  if (until) q.set("until", until);
  const text = q.toString();
  history.replaceState(null, "", text ? `#/map?${text}` : "#/map");
}

const TRANSIT_COLOURS: Record<string, string> = { launch: "#c92a2a", landing: "#0b7285", place: "#5c940d" };

export function mapView(root: HTMLElement): () => void {
  const container = h("div", { class: "map-canvas", testid: "map-container", role: "region", "aria-label": "Map of places, routes and seizures" });
  const side = h("aside", { class: "map-side", "aria-label": "Map data" }, loading("Loading map data", "map-loading"));
  const status = h("div", { class: "muted small", role: "status", testid: "map-status" });
  let period = periodFromUrl();
  const since = h("input", { type: "month", testid: "map-since", "aria-label": "From month", value: period.since }) as HTMLInputElement;
  const until = h("input", { type: "month", testid: "map-until", "aria-label": "To month", value: period.until }) as HTMLInputElement;
  const periodNote = h("span", { class: "muted small", testid: "map-period-note" });
  const onPeriod = () => {
    period = { since: since.value, until: until.value };
    if (period.since && period.until && period.since > period.until) {
      periodNote.textContent = "The first month is after the last: nothing is filtered.";
      return;
    }
    keepPeriodInUrl(period.since, period.until);
    void load();
  };
  since.addEventListener("change", onPeriod);
  until.addEventListener("change", onPeriod);
  const clear = h("button", { type: "button", class: "link", testid: "map-period-clear", onclick: () => {
    since.value = ""; until.value = ""; onPeriod();
  } }, "All dates");
  const filter = h("div", { class: "map-period", testid: "map-period", role: "group", "aria-label": "Dates shown", style: "display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin-bottom: 0.3rem" },
    h("label", null, "From ", since), h("label", null, "to ", until), clear, periodNote);
  replace(root, h("h1", { class: "visually-hidden" }, "Map"), h("div", { class: "map-layout" }, h("div", { class: "map-centre" }, filter, status, container), side));
  let map: MlMap | null = null;
  try {
    map = new MlMap({
      container, style: style(), center: [15, 42], zoom: 2.6, attributionControl: false, maplibreLogo: false,
      renderWorldCopies: false,
    });
  } catch (err) {
    replace(container, errorState(new Error(`The map needs WebGL: ${err instanceof Error ? err.message : String(err)}`)));
  }
  map?.addControl(new NavigationControl({ showCompass: false }), "top-right");
  const popup = new Popup({ closeButton: true, closeOnClick: true, maxWidth: "280px" });

  const ready = new Promise<void>((resolve) => { if (!map) resolve(); else map.on("load", () => resolve()); });
  let alive = true;
  let markers: Marker[] = [];

  let loads = 0; // a later period's answer wins over an earlier one still on its way
  const load = async () => {
    const ticket = ++loads;
    replace(side, loading("Loading map data", "map-loading"));
    try {
      // The supply chain is a layer of its own: a failure there leaves the rest drawn.
      const [data, supply] = await Promise.all([api.mapPeriod(period.since, period.until), api.supplyChains(1).catch(() => null), ready]);
      if (!alive || ticket !== loads) return;
      draw(data, supply);
    } catch (err) {
      if (alive) replace(side, errorState(err, () => void load()));
    }
  };

  function draw(d: MapPeriodData, supply: SupplyChains | null): void {
    const months = d.months ?? [];
    for (const input of [since, until]) {
      if (months.length) { input.min = months[0]; input.max = months[months.length - 1]; }
    }
    periodNote.textContent = d.since || d.until
      ? `Routes, transit points and seizures dated ${d.since ? `from ${d.since} ` : ""}${d.until ? `to ${d.until}` : ""}; places (every mention) and the supply chain are shown whole.`
      : months.length ? `Dated events run from ${months[0]} to ${months[months.length - 1]}.` : "";
    const places: FeatureCollection<Point> = {
      type: "FeatureCollection",
      features: [],
    };
    let skipped = 0;
    (d.places ?? []).forEach((p, i) => {
      let c: [number, number] | undefined;
      if (typeof p.lat === "number" && typeof p.lon === "number" && Number.isFinite(p.lat) && Number.isFinite(p.lon)) c = [p.lon, p.lat];
      else c = centroids.get((p.country ?? p.name ?? "").toLowerCase());
      if (!c) { skipped++; return; }
      const name = p.name && p.name.length === 2 && p.name === p.country ? p.name.toUpperCase() : p.name;
      places.features.push({ type: "Feature", id: i, geometry: { type: "Point", coordinates: c },
        properties: { name, country: p.country ?? "", count: p.count ?? 1 } });
    });
    const routes: FeatureCollection<LineString> = { type: "FeatureCollection", features: [] };
    for (const r of d.routes ?? []) {
      const a = centroids.get((r.from_country ?? "").toLowerCase());
      const b = centroids.get((r.to_country ?? "").toLowerCase());
      if (!a || !b || a === b) { skipped++; continue; }
      routes.features.push({ type: "Feature", geometry: { type: "LineString", coordinates: arc(a, b) },
        properties: { from: r.from_country.toUpperCase(), to: r.to_country.toUpperCase(), count: r.count ?? 1 } });
    }
    const seizures: FeatureCollection<Point> = { type: "FeatureCollection", features: [] };
    for (const s of d.seizures ?? []) {
      // Where the data or the gazetteer puts it; a seizure with a country only is listed,
      // not drawn at a made-up point.
      const c: [number, number] | undefined = typeof s.lon === "number" && typeof s.lat === "number" && Number.isFinite(s.lon) && Number.isFinite(s.lat) ? [s.lon, s.lat] : undefined;
      if (!c) { skipped++; continue; }
      seizures.features.push({ type: "Feature", geometry: { type: "Point", coordinates: c }, properties: { id: s.id, date: s.date ?? "", country: s.country ?? "", location: s.location ?? "" } });
    }
    const transit: FeatureCollection<Point> = { type: "FeatureCollection", features: [] };
    for (const t of d.transit ?? []) {
      transit.features.push({ type: "Feature", geometry: { type: "Point", coordinates: [t.lon, t.lat] },
        properties: { name: t.name, kind: t.kind, count: t.count, first: t.first, last: t.last, colour: TRANSIT_COLOURS[t.kind] ?? "#5c940d" } });
    }
    skipped += d.unplaced ?? 0;
    const chain: FeatureCollection<LineString> = { type: "FeatureCollection", features: [] };
    for (const leg of supply?.legs ?? []) {
      const { from: a, to: b } = leg;
      if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) continue;
      if (a.lat === b.lat && a.lon === b.lon) continue;
      chain.features.push({ type: "Feature", geometry: { type: "LineString", coordinates: arc([a.lon, a.lat], [b.lon, b.lat]) },
        properties: { from: a.name, to: b.name, items: leg.items } });
    }
    if (map) {
      const m = map;
      const maxCount = Math.max(1, ...routes.features.map((f) => Number(f.properties?.count ?? 1)));
      const maxPlace = Math.max(1, ...places.features.map((f) => Number(f.properties?.count ?? 1)));
      const put = (id: string, data: FeatureCollection) => {
        const src = m.getSource(id) as GeoJSONSource | undefined;
        if (src) src.setData(data); else m.addSource(id, { type: "geojson", data });
      };
      put("routes", routes); put("places", places); put("seizures", seizures); put("supply", chain); put("transit", transit);
      if (!m.getLayer("routes")) {
        m.addLayer({ id: "routes", type: "line", source: "routes", layout: { "line-cap": "round" },
          paint: { "line-color": "#c92a2a", "line-opacity": 0.65, "line-width": ["interpolate", ["linear"], ["get", "count"], 0, 1, maxCount, 9] } });
        m.addLayer({ id: "supply", type: "line", source: "supply", layout: { "line-cap": "round" },
          paint: { "line-color": "#2b8a3e", "line-opacity": 0.75, "line-dasharray": [2, 1.5],
            "line-width": ["interpolate", ["linear"], ["get", "items"], 0, 1.5, Math.max(2, ...chain.features.map((f) => Number(f.properties?.items ?? 1))), 7] } });
        m.addLayer({ id: "places", type: "circle", source: "places",
          paint: { "circle-color": "#1c7ed6", "circle-opacity": 0.8, "circle-stroke-color": "#fff", "circle-stroke-width": 1,
            "circle-radius": ["interpolate", ["linear"], ["get", "count"], 0, 3, maxPlace, 14] } });
        m.addLayer({ id: "transit", type: "circle", source: "transit",
          paint: { "circle-color": ["get", "colour"], "circle-opacity": 0.85, "circle-stroke-color": "#fff", "circle-stroke-width": 1.5,
            "circle-radius": ["interpolate", ["linear"], ["get", "count"], 1, 5, Math.max(2, ...transit.features.map((f) => Number(f.properties?.count ?? 1))), 12] } });
        m.addLayer({ id: "seizures", type: "circle", source: "seizures",
          paint: { "circle-color": "#f08c00", "circle-radius": 5, "circle-stroke-color": "#7f4f00", "circle-stroke-width": 1 } });
        const show = (layer: string, html: (p: Record<string, unknown>) => string) => {
          m.on("click", layer, (e: MapLayerMouseEvent) => {
            const f = e.features?.[0];
            if (!f) return;
            popup.setLngLat(e.lngLat).setHTML(html(f.properties as Record<string, unknown>)).addTo(m);
          });
          m.on("mouseenter", layer, () => (m.getCanvas().style.cursor = "pointer"));
          m.on("mouseleave", layer, () => (m.getCanvas().style.cursor = ""));
        };
        show("places", (p) => `<strong>${esc(p.name)}</strong><br>${esc(String(p.country).toUpperCase())} · ${esc(p.count)} mentions`);
        show("routes", (p) => `<strong>${esc(p.from)} → ${esc(p.to)}</strong><br>${esc(p.count)} movements`);
        show("supply", (p) => `<strong>${esc(p.from)} → ${esc(p.to)}</strong><br>${esc(p.items)} seized items came this way`);
        show("seizures", (p) => `<strong>Seizure</strong><br>${esc(p.date || "undated")} · ${esc(p.location || p.country)}`);
        show("transit", (p) => `<strong>${esc(p.name)}</strong><br>${esc(p.kind)} point · ${esc(p.count)} events · ${esc(p.first)}${p.last !== p.first ? ` to ${esc(p.last)}` : ""}`);
      }
    }
    // Labels are HTML markers (the style has no glyphs, so nothing is fetched for text).
    for (const m of markers) m.remove();
    markers = [];
    if (map) {
      const top = places.features.slice().sort((a, b) => Number(b.properties?.count) - Number(a.properties?.count)).slice(0, 40);
      for (const f of top) {
        const el = h("span", { class: "map-label", testid: "map-label", "aria-hidden": "true" }, String(f.properties?.name ?? ""));
        markers.push(new Marker({ element: el, anchor: "left", offset: [8, 0] }).setLngLat(f.geometry.coordinates as [number, number]).addTo(map));
      }
    }
    if (map) {
      const pts: [number, number][] = [
        ...places.features.map((f) => f.geometry.coordinates as [number, number]),
        ...seizures.features.map((f) => f.geometry.coordinates as [number, number]),
        ...transit.features.map((f) => f.geometry.coordinates as [number, number]),
        ...[...routes.features, ...chain.features].flatMap((f) => [f.geometry.coordinates[0], f.geometry.coordinates[f.geometry.coordinates.length - 1]] as [number, number][]),
      ];
      if (pts.length > 1) {
        const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
        map.fitBounds([[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]], { padding: 50, maxZoom: 6, duration: 0 });
      }
    }
    status.textContent = `${fmt(places.features.length)} places · ${fmt(routes.features.length)} routes · ${fmt(transit.features.length)} transit points · ${fmt(seizures.features.length)} seizures · ${fmt(chain.features.length)} supply legs` + (skipped ? ` · ${skipped} items without a known location not shown` : "");
    // What is drawn, for tests and for anyone reading the page's source.
    status.dataset.transit = String(transit.features.length);
    status.dataset.seizures = String(seizures.features.length);
    status.dataset.routes = String(routes.features.length);
    status.dataset.period = `${d.since ?? ""}/${d.until ?? ""}`;

    const flyTo = (c: [number, number], html: string) => {
      if (!map) return;
      map.flyTo({ center: c, zoom: Math.max(map.getZoom(), 4) });
      popup.setLngLat(c).setHTML(html).addTo(map);
    };
    const list = <T,>(title: string, testid: string, items: T[], row: (x: T) => HTMLElement) => h("section", { class: "panel", testid },
      h("h2", null, `${title} (${items.length})`),
      items.length ? h("ul", { class: "map-list" }, ...items.slice(0, 200).map(row)) : empty(`No ${title.toLowerCase()} visible.`));
    replace(side,
      list("Transit points", "map-transit", transit.features, (f) => {
        const p = f.properties as { name: string; kind: string; count: number; first: string; last: string };
        return h("li", { testid: "map-transit-point" }, h("button", { type: "button", class: "link", onclick: () => flyTo(f.geometry.coordinates as [number, number], `<strong>${esc(p.name)}</strong><br>${esc(p.kind)} point · ${esc(p.count)} events`) }, p.name),
          ` ${p.kind} · ${fmt(p.count)} · ${p.first}${p.last !== p.first ? ` to ${p.last}` : ""}`);
      }),
      list("Supply chain", "map-supply", chain.features.slice().sort((a, b) => Number(b.properties?.items) - Number(a.properties?.items)), (f) => {
        const p = f.properties as { from: string; to: string; items: number };
        const mid = f.geometry.coordinates[12] as [number, number];
        return h("li", { testid: "map-supply-leg" }, h("button", { type: "button", class: "link", onclick: () => flyTo(mid, `<strong>${esc(p.from)} → ${esc(p.to)}</strong><br>${esc(p.items)} seized items`) }, `${p.from} → ${p.to}`), ` ${fmt(p.items)}`);
      }),
      list("Routes", "map-routes", routes.features.slice().sort((a, b) => Number(b.properties?.count) - Number(a.properties?.count)), (f) => {
        const p = f.properties as { from: string; to: string; count: number };
        const mid = f.geometry.coordinates[12] as [number, number];
        return h("li", null, h("button", { type: "button", class: "link", onclick: () => flyTo(mid, `<strong>${esc(p.from)} → ${esc(p.to)}</strong><br>${esc(p.count)} movements`) }, `${p.from} → ${p.to}`), ` ${fmt(p.count)}`);
      }),
      list("Places", "map-places", places.features.slice().sort((a, b) => Number(b.properties?.count) - Number(a.properties?.count)), (f) => {
        const p = f.properties as { name: string; country: string; count: number };
        const country = p.country && p.country.toUpperCase() !== p.name.toUpperCase() ? `${p.country.toUpperCase()} · ` : "";
        return h("li", null, h("button", { type: "button", class: "link", onclick: () => flyTo(f.geometry.coordinates as [number, number], `<strong>${esc(p.name)}</strong><br>${esc(p.count)} mentions`) }, p.name), ` ${country}${fmt(p.count)}`);
      }),
      list("Seizures", "map-seizures", seizures.features, (f) => {
        const p = f.properties as { id: string; date: string; country: string; location: string };
        return h("li", { testid: "map-seizure" }, h("button", { type: "button", class: "link", onclick: () => flyTo(f.geometry.coordinates as [number, number], `<strong>Seizure</strong><br>${esc(p.date || "undated")} · ${esc(p.location || p.country.toUpperCase())}`) }, p.date || "undated"), ` ${p.location || p.country.toUpperCase()}`);
      }));
  }

  const stopEsc = onEscape(() => popup.remove());
  void load();
  return () => { alive = false; stopEsc(); popup.remove(); markers.forEach((m) => m.remove()); map?.remove(); };
}

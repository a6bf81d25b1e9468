// Country centroids from the offline Natural Earth (world-atlas 110m) geometries.
import type { Feature, FeatureCollection, Geometry, Position } from "geojson";

/** ISO 3166 alpha-2 -> ISO numeric as used by world-atlas ids (Kosovo has none: matched by name). */
const ALPHA2_TO_NUMERIC: Record<string, string> = {
  gb: "826", fr: "250", be: "056", nl: "528", de: "276", it: "380", gr: "300", tr: "792", bg: "100",
  ro: "642", hu: "348", rs: "688", mk: "807", al: "008", xk: "Kosovo", iq: "368", ir: "364", sy: "760",
  af: "004", pk: "586", in: "356", vn: "704", er: "232", et: "231", sd: "729", so: "706", eg: "818",
  ly: "434", tn: "788", dz: "012", ma: "504", pl: "616", cz: "203", at: "040", ch: "756", es: "724",
  ua: "804", ge: "268", am: "051", lb: "422", jo: "400", kw: "414", ie: "372", dk: "208", se: "752",
  no: "578", pt: "620", hr: "191", si: "705", ba: "070", me: "499", sk: "703", cy: "196", ss: "728",
  ng: "566", gh: "288", cn: "156", bd: "050", lk: "144", np: "524", sa: "682", ye: "887", ru: "643",
};

function ringAreaCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j];
    const [x1, y1] = ring[i];
    const f = x0 * y1 - x1 * y0;
    a += f; cx += (x0 + x1) * f; cy += (y0 + y1) * f;
  }
  a /= 2;
  if (Math.abs(a) < 1e-12) return { area: 0, x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0 };
  return { area: Math.abs(a), x: cx / (6 * a), y: cy / (6 * a) };
}

/** Centroid of the largest polygon (so France is not pulled towards French Guiana). */
function centroid(g: Geometry): [number, number] | null {
  const polys: Position[][][] = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  let best: { area: number; x: number; y: number } | null = null;
  for (const p of polys) {
    const c = ringAreaCentroid(p[0]);
    if (!best || c.area > best.area) best = c;
  }
  return best ? [best.x, best.y] : null;
}

export function centroidIndex(fc: FeatureCollection): Map<string, [number, number]> {
  const byKey = new Map<string, [number, number]>();
  for (const f of fc.features as Feature[]) {
    const c = f.geometry ? centroid(f.geometry) : null;
    if (!c) continue;
    if (f.id !== undefined) byKey.set(String(f.id), c);
    const name = (f.properties as { name?: string } | null)?.name;
    if (name) byKey.set(name, c);
  }
  const out = new Map<string, [number, number]>();
  for (const [a2, key] of Object.entries(ALPHA2_TO_NUMERIC)) {
    const c = byKey.get(key);
    if (c) out.set(a2, c);
  }
  return out;
}

/** A gentle arc between two points, so A->B and B->A flows do not overlap. */
export function arc(a: [number, number], b: [number, number], steps = 24): [number, number][] {
  const [x0, y0] = a, [x1, y1] = b;
  const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
  const dx = x1 - x0, dy = y1 - y0;
  const cx = mx - dy * 0.2, cy = my + dx * 0.2;
  const pts: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    pts.push([(1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * cx + t * t * x1, (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * cy + t * t * y1]);
  }
  return pts;
}

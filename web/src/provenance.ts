// Grading, handling and classification helpers shared by the profile and review views.
import type { Statement, Banners } from "./api";
import { h } from "./dom";

const CLASS_ORDER = ["UNCLASSIFIED", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"];

function classRank(c?: string | null): number {
  if (!c) return -1;
  const i = CLASS_ORDER.indexOf(c.toUpperCase().replace(/_/g, "-").replace("TOP-SECRET", "TOP SECRET"));
  return i < 0 ? 0 : i;
}

export function highestClassification(banners?: Banners, statements: Statement[] = []): string | null {
  let best: string | null = banners?.classification ?? null;
  for (const s of statements) if (classRank(s.classification) > classRank(best)) best = s.classification ?? best;
  return best;
}

/** "2B" (source reliability x information credibility) and handling code, UK 3x5x2. */
function gradeOf(s: Statement): string {
  const g = `${s.source_grade ?? ""}${s.info_grade ?? ""}`;
  return g || "–";
}

export function conditionsText(c?: string | string[] | null): string {
  if (!c) return "";
  return Array.isArray(c) ? c.join("; ") : c;
}

export function gradeBadge(s: Statement): HTMLElement {
  const title = [
    `Source ${s.source_grade ?? "?"}, information ${s.info_grade ?? "?"}`,
    s.handling ? `handling ${s.handling}` : "",
    s.grade_original ? `graded originally as ${s.grade_original}` : "",
  ].filter(Boolean).join("; ");
  return h("span", { class: "grade", title, testid: "grade" },
    h("span", { class: "grade-code" }, gradeOf(s)),
    s.handling ? h("span", { class: `handling handling-${s.handling.toLowerCase()}` }, s.handling) : null);
}

export function classificationBanner(c: string | null, testid = "classification-banner"): HTMLElement {
  const cls = (c ?? "UNMARKED").toUpperCase();
  return h("div", { class: `banner classification class-${cls.toLowerCase().replace(/[^a-z]+/g, "-")}`, role: "note", testid, "aria-label": `Classification ${cls}` }, cls);
}

export function handlingBanners(banners?: Banners, statements: Statement[] = []): HTMLElement | null {
  const seen = new Map<string, string>();
  // Plain "P" (or Europol H0) without conditions needs no banner; C and H1-H3 always show.
  const trivial = (code: string, cond: string) => !cond && ["P", "H0"].includes(code.toUpperCase());
  for (const b of banners?.handling ?? []) {
    const cond = conditionsText(b.conditions);
    if (!trivial(b.code, cond)) seen.set(`${b.code}|${cond}`, b.code);
  }
  for (const s of statements) {
    if (s.handling && !trivial(s.handling, conditionsText(s.handling_conditions))) {
      seen.set(`${s.handling}|${conditionsText(s.handling_conditions)}`, s.handling);
    }
  }
  if (!seen.size) return null;
  return h("div", { class: "banner handling-banner", role: "note", testid: "handling-banner" },
    h("strong", null, "Handling conditions: "),
    h("ul", null, ...Array.from(seen.entries()).map(([key, code]) => {
      const cond = key.slice(code.length + 1);
      return h("li", { testid: "handling-condition" }, h("span", { class: "handling-code" }, code), cond ? `: ${cond}` : "");
    })));
}

const SCRIPTS: [string, RegExp][] = [
  ["Arabic", /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/],
  ["Cyrillic", /[\u0400-\u04FF]/],
  ["Greek", /[\u0370-\u03FF]/],
  ["Ge'ez", /[\u1200-\u137F]/],
  ["Hebrew", /[\u0590-\u05FF]/],
  ["Devanagari", /[\u0900-\u097F]/],
  ["Georgian", /[\u10A0-\u10FF]/],
  ["Armenian", /[\u0530-\u058F]/],
  ["Han", /[\u4E00-\u9FFF]/],
  ["Kurdish/Latin", /[ÇçŞşÊêÎîÛû]/],
  ["Latin", /[A-Za-z\u00C0-\u024F]/],
];

export function scriptOf(s: string): string {
  for (const [name, re] of SCRIPTS) if (re.test(s)) return name === "Kurdish/Latin" ? "Latin" : name;
  return "Other";
}

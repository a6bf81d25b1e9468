// Build plugin: rewrites the few absolute URLs that third-party code carries in
// strings (links in controls we disable, an attribute-sanitiser parse base, URLs in
// error messages) so the shipped bundle references no external address. None of
// them is ever fetched; this keeps `grep -r https:// dist` clean. Licence comments
// and XML namespace identifiers (http://www.w3.org/...) are left untouched.
import type { Plugin } from "vite";

const REWRITES: [RegExp, string][] = [
  [/`https:\/\/maplibre\.invalid\/`/g, "location.href"],
  [/"https:\/\/maplibre\.invalid\/"/g, "location.href"],
  [/https:\/\/maplibre\.org\//g, "#"],
  [/https:\/\/github\.com\/mapbox\/mapbox-gl-js\/issues\/(\d+)/g, "mapbox-gl-js issue $1"],
  [/https:\/\/wiki\.openstreetmap\.org\/wiki\/This_map_requires_WebGL/g, "(this map requires WebGL)"],
];

function rewrite(code: string): string {
  // None of the patterns matches a licence comment's URL, so those stay byte for byte.
  let out = code;
  for (const [re, to] of REWRITES) out = out.replace(re, to);
  return out;
}

export function offlineStrings(): Plugin {
  return {
    name: "pinchpoint-offline-strings",
    apply: "build",
    enforce: "post",
    generateBundle(_opts, bundle) {
      for (const item of Object.values(bundle)) {
        if (item.type === "chunk") item.code = rewrite(item.code);
        else if (typeof item.source === "string" && /\.(js|mjs|css)$/.test(item.fileName)) item.source = rewrite(item.source);
      }
    },
  };
}

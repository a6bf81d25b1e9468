import { defineConfig } from "vite";
import { mockApi } from "./mock/plugin.ts";
import { offlineStrings } from "./offline-strings.ts";

// The built workbench is package data of the Python project: FastAPI serves
// src/pinchpoint/web/dist at "/". Nothing is fetched at run time except the
// app's own assets and /api/... (no CDN, no fonts, no tiles).
export default defineConfig(({ command }) => ({
  base: "/",
  // The mock API only exists under `vite` (dev server) and never ships.
  plugins: command === "serve" && process.env.PINCHPOINT_API === undefined ? [mockApi()] : [offlineStrings()],
  server: {
    proxy: process.env.PINCHPOINT_API ? { "/api": process.env.PINCHPOINT_API } : undefined,
  },
  // maplibre-gl creates its worker with { type: "module" }.
  worker: { format: "es", plugins: () => [offlineStrings()] },
  build: {
    outDir: "../src/pinchpoint/web/dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1600,
    target: "es2022",
  },
}));

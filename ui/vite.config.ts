import { defineConfig } from "vite";

// Tauri serves the built files (ui/dist) from its own protocol; no dev server is used by the app.
export default defineConfig({
  clearScreen: false,
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: { globals: true, environment: "jsdom", include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});

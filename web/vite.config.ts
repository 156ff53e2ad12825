import { defineConfig } from "vite";

// CMake sets RQWATCH_WEB_OUT to a folder of the build tree; `npm run build`
// alone writes dist/. Everything Vite puts under assets/ is named by a hash
// of its content, which the server caches as immutable.
export default defineConfig({
  base: "/",
  build: {
    outDir: process.env.RQWATCH_WEB_OUT || "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    // Inlined assets would need data: in script/style policies.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
} as any);

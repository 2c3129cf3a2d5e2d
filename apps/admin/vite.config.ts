import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API serves the build at /admin (apps/api/src/http/admin-spa.ts). In development, Vite serves
// the SPA and forwards API calls to the API on port 3000.
const API = "http://localhost:3000";

export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  // `@/lib/trpc.ts` is src/lib/trpc.ts (tsconfig.json `paths` says the same to the typecheck).
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: { outDir: "dist", emptyOutDir: true },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      ["/trpc", "/users", "/products", "/auth", "/payment", "/health"].map((path) => [path, API]),
    ),
  },
});

// API documentation, served entirely from installed packages: no script, style or font from another
// host. /openapi.json is the document; /docs is Redoc; /docs/swagger is Swagger UI.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import express, { type Router } from "express";
import swaggerUi from "swagger-ui-express";

const require = createRequire(import.meta.url);
const redocBundle = join(dirname(require.resolve("redoc/package.json")), "bundles", "redoc.standalone.js");

/**
 * Redoc's menu footer shows Redocly's logo from their CDN, unconditionally (no option turns it off):
 * the bundle is served with that image address replaced by an inline one, so the page asks no other host.
 */
export const REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const INLINE_LOGO = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
let redocScript: string | undefined;
const redocSource = () => (redocScript ??= readFileSync(redocBundle, "utf8").replaceAll(REDOC_CDN_LOGO, INLINE_LOGO));

const REDOC_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Shop & Wallet API</title>
  </head>
  <body>
    <nav style="font: 14px sans-serif; padding: 8px 16px; border-bottom: 1px solid #ddd">
      Shop &amp; Wallet API — <a href="/docs/swagger/">Swagger UI</a> · <a href="/openapi.json">openapi.json</a> ·
      <a href="/admin/">Admin</a>
    </nav>
    <div id="redoc"></div>
    <script src="/docs/redoc.standalone.js"></script>
    <script src="/docs/redoc-init.js"></script>
  </body>
</html>`;

const REDOC_INIT = `Redoc.init("/openapi.json", { hideDownloadButton: false, expandResponses: "200,201" }, document.getElementById("redoc"));`;

export function docsRouter(document: () => object): Router {
  const r = express.Router();
  r.get("/openapi.json", (_req, res) => {
    res.json(document());
  });
  r.get("/docs/redoc.standalone.js", (_req, res) => {
    res.type("application/javascript").set("Cache-Control", "public, max-age=86400").send(redocSource());
  });
  r.get("/docs/redoc-init.js", (_req, res) => {
    res.type("application/javascript").send(REDOC_INIT);
  });
  // A newcomer opening the server's address lands on the docs (which link Swagger UI and the admin).
  r.get("/", (_req, res) => {
    res.redirect(302, "/docs");
  });
  r.get(["/docs", "/docs/"], (_req, res) => {
    res.type("html").send(REDOC_PAGE);
  });
  // swagger-ui-dist also ships its demo page, whose initializer loads the Petstore document from
  // petstore.swagger.io: keep both off this origin.
  r.get("/docs/swagger/index.html", (_req, res) => {
    res.redirect(301, "/docs/swagger/");
  });
  r.get("/docs/swagger/swagger-initializer.js", (_req, res) => {
    res.status(404).json({ message: "Not found", code: "NOT_FOUND" });
  });
  r.use(
    "/docs/swagger",
    swaggerUi.serveFiles(undefined, { swaggerUrl: "/openapi.json" }),
    swaggerUi.setup(undefined, { swaggerUrl: "/openapi.json", customSiteTitle: "Shop & Wallet API — Swagger UI" }),
  );
  return r;
}

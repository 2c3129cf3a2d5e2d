// API documentation, served entirely from installed packages: no script, style or font from another
// host. /openapi.json is the document; /docs is Redoc; /docs/swagger is Swagger UI.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import express, { type Router } from "express";
import swaggerUi from "swagger-ui-express";

const require = createRequire(import.meta.url);
const redocBundle = join(dirname(require.resolve("redoc/package.json")), "bundles", "redoc.standalone.js");

const REDOC_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Shop & Wallet API</title>
  </head>
  <body>
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
    res.sendFile(redocBundle, { maxAge: "1d" });
  });
  r.get("/docs/redoc-init.js", (_req, res) => {
    res.type("application/javascript").send(REDOC_INIT);
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

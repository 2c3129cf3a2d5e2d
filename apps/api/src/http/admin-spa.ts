// The admin SPA (apps/admin, built by Vite) at /admin: static files, and index.html for any other
// path under /admin so that client-side routes survive a reload.
import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Router } from "express";
import { AppError } from "../errors.ts";

export function adminSpaRouter(dir: string): Router {
  const r = express.Router();
  const index = join(dir, "index.html");
  r.use("/admin", express.static(dir, { index: false, maxAge: "1h" }));
  r.get(["/admin", "/admin/{*rest}"], (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).json(new AppError("SPA_NOT_BUILT", "The admin SPA is not built: run `npm run build`"));
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
  return r;
}

// The activation link opened in a browser: a small HTML page instead of raw JSON. Clients that ask
// for JSON (or anything: curl's */*, fetch's default) get the REST answer from the procedure as before;
// only a request that prefers text/html is answered here, by the same service.
import express, { type Router } from "express";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { activate } from "../services/auth.service.ts";

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escape(title)} — Shop &amp; Wallet</title>
  </head>
  <body style="font: 16px sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em">
    <h1>${escape(title)}</h1>
    <p>${escape(message)}</p>
  </body>
</html>`;
}

export function activationPage(deps: Deps): Router {
  const r = express.Router();
  r.get("/users/activate/:token", async (req, res, next) => {
    if (req.accepts(["application/json", "text/html"]) !== "text/html") return next();
    res.set("Cache-Control", "no-store");
    try {
      const user = await activate({ ...deps, log: req.log }, String(req.params.token));
      res.type("html").send(page("Account activated", `${user.login}: ${user.message}.`));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) return next(error);
      res.status(error.status).type("html").send(page("Activation failed", error.message));
    }
  });
  return r;
}

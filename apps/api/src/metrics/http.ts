// Request duration and requests in flight, labelled with a route template: the REST paths come from
// the procedures' OpenAPI meta (`/products/{id}`), tRPC calls are `/trpc/<procedure>`, and anything
// else is one of a few fixed names or `unmatched`, so no client can create new label values.
import type { AnyRouter } from "@trpc/server";
import type { RequestHandler } from "express";
import { httpDuration, httpInFlight } from "./metrics.ts";

interface Template {
  method: string;
  route: string;
  pattern: RegExp;
}

function templates(router: AnyRouter): { rest: Template[]; procedures: Set<string> } {
  const rest: Template[] = [];
  const procedures = new Set<string>();
  for (const [name, procedure] of Object.entries(router._def.procedures as Record<string, unknown>)) {
    procedures.add(name);
    const openapi = (procedure as { _def?: { meta?: { openapi?: { method: string; path: string } } } })._def?.meta
      ?.openapi;
    if (!openapi) continue;
    const source = openapi.path
      .split("/")
      .map((part) => (/^\{.+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    rest.push({ method: openapi.method.toUpperCase(), route: openapi.path, pattern: new RegExp(`^${source}/?$`) });
  }
  // Fixed paths before templates with parameters (`/users/me` before `/users/{id}`).
  rest.sort((a, b) => Number(a.route.includes("{")) - Number(b.route.includes("{")));
  return { rest, procedures };
}

export function routeOf(method: string, path: string, known: ReturnType<typeof templates>): string {
  if (path.startsWith("/trpc/")) {
    const name = path.slice("/trpc/".length);
    return known.procedures.has(name) ? `/trpc/${name}` : "/trpc/*";
  }
  for (const t of known.rest) if (t.method === method && t.pattern.test(path)) return t.route;
  if (path === "/health" || path === "/ready" || path === "/openapi.json") return path;
  if (path === "/docs" || path.startsWith("/docs/")) return "/docs/*";
  if (path === "/admin" || path.startsWith("/admin/")) return "/admin/*";
  return "unmatched";
}

export function httpMetrics(router: AnyRouter): RequestHandler {
  const known = templates(router);
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    httpInFlight.inc();
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      httpInFlight.dec();
      const path = (req.originalUrl ?? req.url).split("?", 1)[0]!;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      httpDuration.observe(
        { method: req.method, route: routeOf(req.method, path, known), status: res.statusCode },
        seconds,
      );
    };
    res.once("finish", end);
    res.once("close", end);
    next();
  };
}

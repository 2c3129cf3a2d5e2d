// What TypeScript programs outside this app may import: the router's type and the typed client.
export type { AppRouter, RouterInputs, RouterOutputs } from "./routers/_app.ts";
export { createClient } from "./client.ts";

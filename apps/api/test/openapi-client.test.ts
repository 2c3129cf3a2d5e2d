// The walkthrough's REST client is generated from the document (scripts/openapi-client.ts): the
// committed types must be what the generator makes of the document today.
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { GENERATED_CLIENT_TYPES, generateClientTypes } from "../scripts/openapi-client.ts";

it("the generated client types match the document (run `npm run openapi:client` after changing it)", async () => {
  expect(await readFile(GENERATED_CLIENT_TYPES, "utf8")).toBe(await generateClientTypes());
});

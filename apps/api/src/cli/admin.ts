// npm run admin -- --login <login> --password <password>
// Creates an administrator, or promotes an existing user (and sets the given password).
import { parseArgs } from "node:util";
import { ZLoginSchema, ZPasswordSchema } from "@shop/contracts";
import { createDb } from "@shop/db";
import { loadConfig, loadDotEnv } from "../env.ts";
import { ensureAdmin } from "../services/admin-bootstrap.service.ts";

const { values } = parseArgs({ options: { login: { type: "string" }, password: { type: "string" } } });
const login = ZLoginSchema.safeParse(values.login);
const password = ZPasswordSchema.safeParse(values.password ?? process.env.ADMIN_NEW_PASSWORD);
if (!login.success || !password.success) {
  console.error("usage: npm run admin -- --login <login> --password <8-128 characters>");
  process.exit(2);
}
loadDotEnv();
const { config } = loadConfig();
const db = await createDb({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  directUrl: config.databaseDirectUrl,
  preparedStatements: config.databasePreparedStatements,
  log: console.log,
});
try {
  const result = await ensureAdmin(db, { login: login.data, password: password.data, resetPassword: true });
  console.log(`admin ${login.data}: ${result.action}`);
} finally {
  await db.close();
}

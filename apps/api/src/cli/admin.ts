// npm run admin -- --login <login> --password <password>
// Creates an administrator, or promotes an existing user (and sets the given password).
import { parseArgs } from "node:util";
import { ZLoginSchema, ZPasswordSchema } from "@shop/contracts";
import { createDb } from "@shop/db";
import { loadConfig, loadDotEnv } from "../env.ts";
import { ensureAdmin } from "../services/admin-bootstrap.service.ts";
import { CLI_ACTOR } from "../services/audit.service.ts";

const USAGE = `usage: npm run admin -- --login <login> --password <8-128 characters>
  Creates the administrator <login>, or makes that existing user an active administrator, with this
  password (tokens issued before stop working). The password may come from $ADMIN_NEW_PASSWORD instead.
  Uses the same database as the server (DATABASE_URL, or the embedded one in DATA_DIR: stop the server first).`;

function parse() {
  try {
    return parseArgs({
      options: { help: { type: "boolean", short: "h" }, login: { type: "string" }, password: { type: "string" } },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}
const values = parse();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const login = ZLoginSchema.safeParse(values.login);
const password = ZPasswordSchema.safeParse(values.password ?? process.env.ADMIN_NEW_PASSWORD);
if (!login.success || !password.success) {
  const problems = [
    ...(login.success ? [] : [`--login: ${login.error.issues[0]?.message ?? "required"}`]),
    ...(password.success ? [] : [`--password: ${password.error.issues[0]?.message ?? "required"}`]),
  ];
  console.error(`${problems.join("\n")}\n\n${USAGE}`);
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
}).catch((error: unknown) => {
  console.error(`cannot open the database: ${(error as Error).message}`);
  process.exit(1);
});
try {
  const result = await ensureAdmin(
    db,
    { login: login.data, password: password.data, resetPassword: true },
    { actor: CLI_ACTOR, requestId: null },
  );
  console.log(`admin ${login.data}: ${result.action}`);
} finally {
  await db.close();
}

// What a TypeScript program does with the typed client: every call below is checked against the
// server's router at compile time (inputs, outputs, procedure names).
import { createClient } from "@shop/api/client";

export interface DemoResult {
  login: string;
  numericId: number;
  productCount: number;
  accounts: { numericId: number; balance: string }[];
}

/** Registers and activates a user, signs in, lists products and reads the user's accounts. */
export async function demo(baseUrl: string, login: string, password: string): Promise<DemoResult> {
  const anonymous = createClient(baseUrl);
  const registered = await anonymous.auth.register.mutate({ login, password });
  // The activation link is meant for a browser (GET); a program can follow it just the same.
  const token = new URL(registered.activationUrl).pathname.split("/").pop()!;
  await anonymous.auth.activate.query({ token });

  const { accessToken } = await anonymous.auth.login.mutate({ login, password });
  const client = createClient(baseUrl, accessToken);
  const products = await client.products.list.query({ limit: 10 });
  const me = await client.me.get.query();
  return {
    login: me.login,
    numericId: me.numericId,
    productCount: products.total,
    accounts: me.accounts.map((a) => ({ numericId: a.numericId, balance: a.balance })),
  };
}

// The auth service called directly (no HTTP, no tRPC) over a real test database: activation links that
// expired or were never valid, and each reason a sign-in is refused, by their appCode.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setUserActive } from "../../src/services/admin-users.service.ts";
import { activate, register, signIn } from "../../src/services/auth.service.ts";
import { createUser, rejectsWithAppError, uniqueLogin, useHarness } from "../harness.ts";

const PASSWORD = "correct-horse-battery";

describe("auth.service", () => {
  const h = useHarness();

  /** A registered (not yet activated) user and the token of its activation link. */
  async function registered() {
    const login = uniqueLogin();
    const user = await register(h.deps, { login, password: PASSWORD });
    const token = new URL(user.activationUrl).pathname.split("/").pop()!;
    return { ...user, login, token };
  }

  /** A client address of its own, so the sign-in limiter never joins in. */
  const address = () => `10.${randomBytes(3).join(".")}`;
  const signInAs = (login: string, password: string) => signIn(h.deps, { login, password }, address());

  describe("activate", () => {
    it("activates once; the used link, or one never issued, is ACTIVATION_LINK_INVALID", async () => {
      const user = await registered();
      expect(await activate(h.deps, user.token)).toMatchObject({ id: user.id, isActive: true });
      await rejectsWithAppError(activate(h.deps, user.token), "ACTIVATION_LINK_INVALID");
      await rejectsWithAppError(activate(h.deps, randomBytes(32).toString("base64url")), "ACTIVATION_LINK_INVALID");
    });

    it("a link past its expiry is ACTIVATION_LINK_EXPIRED and leaves the account inactive", async () => {
      const user = await registered();
      await h.db.prisma.user.update({
        where: { id: user.id },
        data: { activationExpiresAt: new Date(Date.now() - 1000) },
      });
      await rejectsWithAppError(activate(h.deps, user.token), "ACTIVATION_LINK_EXPIRED", /expired/);
      const after = await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(after.isActive).toBe(false);
      expect(after.activatedAt).toBeNull();
    });
  });

  describe("signIn", () => {
    it("a wrong password and an unknown login are the same INVALID_CREDENTIALS", async () => {
      const user = await createUser(h);
      const wrong = await rejectsWithAppError(signInAs(user.login, "wrong-password"), "INVALID_CREDENTIALS");
      const unknown = await rejectsWithAppError(signInAs(uniqueLogin("nobody"), PASSWORD), "INVALID_CREDENTIALS");
      expect(unknown.message).toBe(wrong.message);
      expect(await signInAs(user.login, user.password)).toMatchObject({ tokenType: "Bearer" });
    });

    it("a registered account whose link is pending is NOT_ACTIVATED, until it is activated", async () => {
      const user = await registered();
      await rejectsWithAppError(signInAs(user.login, PASSWORD), "NOT_ACTIVATED", /activation link/);
      await rejectsWithAppError(signInAs(user.login, "wrong-password"), "INVALID_CREDENTIALS");
      await activate(h.deps, user.token);
      expect(await signInAs(user.login, PASSWORD)).toMatchObject({ tokenType: "Bearer" });
    });

    it("a disabled account is ACCOUNT_DISABLED, also when it was disabled before its activation", async () => {
      const active = await createUser(h, { isActive: false });
      await rejectsWithAppError(signInAs(active.login, active.password), "ACCOUNT_DISABLED");

      const admin = await createUser(h, { isAdmin: true });
      const pending = await registered();
      await setUserActive(h.deps, admin.id, { id: pending.id, isActive: false });
      await rejectsWithAppError(signInAs(pending.login, PASSWORD), "ACCOUNT_DISABLED");
    });
  });
});

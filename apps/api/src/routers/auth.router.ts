import {
  ZActivateInputSchema,
  ZActivateOutputSchema,
  ZAuthInputSchema,
  ZAuthOutputSchema,
  ZChangePasswordInputSchema,
  ZRegisterInputSchema,
  ZRegisterOutputSchema,
  ZSessionSchema,
} from "@shop/contracts";
import { z } from "zod";
import { activate, register, session, signIn } from "../services/auth.service.ts";
import { changePassword, selfAudited, signOut } from "../services/sessions.service.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

export const authRouter = router({
  register: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/users",
        protect: false,
        tags: ["auth"],
        summary: "Register",
        description: "Creates an inactive user and returns the activation link to follow (GET).",
        successDescription: "Created (status 201)",
      },
      created: true,
      appErrors: ["LOGIN_TAKEN", "RATE_LIMITED", "SERVER_BUSY"],
    })
    .input(ZRegisterInputSchema)
    .output(ZRegisterOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const user = await register(ctx, input, ctx.clientIp);
      ctx.response.status = 201;
      return user;
    }),

  activate: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/users/activate/{token}",
        protect: false,
        tags: ["auth"],
        summary: "Activate an account",
        description:
          "The activation link: single use, expires (24 h by default). A browser (Accept: text/html) gets a page.",
      },
      appErrors: ["ACTIVATION_LINK_EXPIRED", "ACTIVATION_LINK_INVALID"],
    })
    .input(ZActivateInputSchema)
    .output(ZActivateOutputSchema)
    .query(({ ctx, input }) => activate(ctx, input.token)),

  login: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth",
        protect: false,
        tags: ["auth"],
        summary: "Sign in (get a JWT)",
        description:
          "Failed attempts are limited per login and per client address: over the limit, 429 with Retry-After.",
      },
      appErrors: ["INVALID_CREDENTIALS", "NOT_ACTIVATED", "ACCOUNT_DISABLED", "RATE_LIMITED"],
    })
    .input(ZAuthInputSchema)
    .output(ZAuthOutputSchema)
    .mutation(({ ctx, input }) => signIn(ctx, input, ctx.clientIp)),

  session: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/auth/session",
        protect: true,
        tags: ["auth"],
        summary: "Who the bearer token stands for",
        description: "The signed-in user's id, login and role, as the database has them now.",
      },
    })
    .input(z.void())
    .output(ZSessionSchema)
    .query(({ ctx }) => session(ctx.user)),

  signOut: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/sign-out",
        protect: true,
        tags: ["auth"],
        summary: "Sign out everywhere",
        description:
          "Every access token of the signed-in user stops working at once (this one included), on every " +
          "server process. No body is needed. Answers 204 without a body.",
        successDescription: "Signed out (status 204, no body)",
      },
      noContent: true,
    })
    .input(z.void())
    .output(z.void())
    .mutation(async ({ ctx }) => {
      await signOut(ctx, ctx.user, selfAudited(ctx.user, ctx.requestId));
      ctx.response.status = 204;
    }),

  changePassword: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/password",
        protect: true,
        tags: ["auth"],
        summary: "Change one's password",
        description:
          "Checks currentPassword (a wrong one is 403 WRONG_PASSWORD and counts against the sign-in limits, " +
          "429 over them), sets newPassword, and revokes every access token of the user, this one included: " +
          "sign in again (POST /auth) with the new password. Answers 204 without a body.",
        successDescription: "Changed (status 204, no body)",
      },
      appErrors: ["WRONG_PASSWORD", "RATE_LIMITED", "SERVER_BUSY"],
      noContent: true,
    })
    .input(ZChangePasswordInputSchema)
    .output(z.void())
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx, ctx.user, input, ctx.clientIp, selfAudited(ctx.user, ctx.requestId));
      ctx.response.status = 204;
    }),
});

import {
  ZActivateInputSchema,
  ZActivateOutputSchema,
  ZAuthInputSchema,
  ZAuthOutputSchema,
  ZRegisterInputSchema,
  ZRegisterOutputSchema,
  ZSessionSchema,
} from "@shop/contracts";
import { z } from "zod";
import { activate, register, session, signIn } from "../services/auth.service.ts";
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
});

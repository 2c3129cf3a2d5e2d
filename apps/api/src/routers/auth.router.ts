import {
  ZActivateInputSchema,
  ZActivateOutputSchema,
  ZAuthInputSchema,
  ZAuthOutputSchema,
  ZRegisterInputSchema,
  ZRegisterOutputSchema,
} from "@shop/contracts";
import { RateLimitedError } from "../services/login-limiter.ts";
import { activateUser, authenticate, registerUser } from "../services/users.service.ts";
import { publicProcedure, router } from "../trpc.ts";

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
    })
    .input(ZRegisterInputSchema)
    .output(ZRegisterOutputSchema)
    .mutation(async ({ ctx, input }) => {
      const user = await registerUser(ctx, input);
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
        description: "The activation link: single use, expires (24 h by default).",
      },
    })
    .input(ZActivateInputSchema)
    .output(ZActivateOutputSchema)
    .query(({ ctx, input }) => activateUser(ctx, input.token)),

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
        errorResponses: {
          400: "Invalid input",
          401: "Wrong login or password",
          403: "Account not activated or disabled",
          429: "Too many failed attempts",
          500: "Internal server error",
        },
      },
    })
    .input(ZAuthInputSchema)
    .output(ZAuthOutputSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.loginLimiter.attempt(input.login, ctx.clientIp).catch((error: unknown) => {
        if (error instanceof RateLimitedError) ctx.response.headers["Retry-After"] = String(error.retryAfterSeconds);
        throw error;
      });
      const result = await authenticate(ctx, input);
      await ctx.loginLimiter.succeeded(input.login, ctx.clientIp);
      return result;
    }),
});

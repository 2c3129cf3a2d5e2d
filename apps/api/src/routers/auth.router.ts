import {
  ZActivateInputSchema,
  ZActivateOutputSchema,
  ZAuthInputSchema,
  ZAuthOutputSchema,
  ZRegisterInputSchema,
  ZRegisterOutputSchema,
} from "@shop/contracts";
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
      openapi: { method: "POST", path: "/auth", protect: false, tags: ["auth"], summary: "Sign in (get a JWT)" },
    })
    .input(ZAuthInputSchema)
    .output(ZAuthOutputSchema)
    .mutation(({ ctx, input }) => authenticate(ctx, input)),
});

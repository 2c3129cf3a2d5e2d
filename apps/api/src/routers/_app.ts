import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { router } from "../trpc.ts";
import { authRouter } from "./auth.router.ts";
import { productsRouter } from "./products.router.ts";
import { usersRouter } from "./users.router.ts";
import { walletRouter } from "./wallet.router.ts";

// Order matters for REST: trpc-to-openapi takes the first matching path, so the wallet's
// /users/me and /products/buy come before the admin's /users/{id} and /products/{id}.
export const appRouter = router({
  auth: authRouter,
  wallet: walletRouter,
  products: productsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

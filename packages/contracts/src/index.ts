export * from "./money.ts";
export * from "./common.ts";
export * from "./auth.ts";
export * from "./products.ts";
export * from "./wallet.ts";
export * from "./users.ts";
export * from "./payments.ts";
export * from "./operator.ts";

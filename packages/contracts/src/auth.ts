import { z } from "zod";
import { textInput, ZNumericIdSchema, ZUuidSchema } from "./common.ts";

export const ZLoginSchema = z
  .string()
  .trim()
  .min(3, "must be at least 3 characters")
  .max(64, "must be at most 64 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    "may contain letters, digits, '.', '_' and '-', starting with a letter or digit",
  )
  .meta({ example: "alice" });

export const ZPasswordSchema = textInput()
  .min(8, "must be at least 8 characters")
  .max(128, "must be at most 128 characters")
  .meta({ example: "correct-horse-battery" });

export const ZRegisterInputSchema = z.object({ login: ZLoginSchema, password: ZPasswordSchema });
export type TRegisterInput = z.infer<typeof ZRegisterInputSchema>;

export const ZRegisterOutputSchema = z.object({
  id: ZUuidSchema,
  numericId: ZNumericIdSchema,
  login: z.string(),
  isActive: z.boolean(),
  activationUrl: z.url(),
});

export const ZActivateInputSchema = z.object({
  token: textInput().min(1).max(200).meta({ example: "hQ0c3v2Zb7m1nR8sX4kL9pT6wY2aE5dF1gH3jK7lM0o" }),
});
export const ZActivateOutputSchema = z.object({
  id: ZUuidSchema,
  login: z.string(),
  isActive: z.literal(true),
  message: z.string(),
});

/** Sign-in takes any login text: the rules of registration must not leak through sign-in errors. */
export const ZAuthInputSchema = z.object({
  login: textInput().trim().min(1, "is required").max(200).meta({ example: "alice" }),
  password: textInput().min(1, "is required").max(200).meta({ example: "correct-horse-battery" }),
});
export type TAuthInput = z.infer<typeof ZAuthInputSchema>;

export const ZAuthOutputSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().meta({ description: "Seconds until the token expires" }),
});
export type TAuthOutput = z.infer<typeof ZAuthOutputSchema>;

/**
 * A signed-in user's new password. Every token of the user stops working, the caller's too: sign in
 * again with the new password.
 */
export const ZChangePasswordInputSchema = z.object({
  currentPassword: textInput().min(1, "is required").max(200).meta({ example: "correct-horse-battery" }),
  newPassword: ZPasswordSchema,
});
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInputSchema>;

/** Who a bearer token stands for (the admin SPA's sign-in check). */
export const ZSessionSchema = z.object({
  id: ZUuidSchema,
  numericId: ZNumericIdSchema,
  login: z.string(),
  isAdmin: z.boolean(),
});
export type TSession = z.infer<typeof ZSessionSchema>;

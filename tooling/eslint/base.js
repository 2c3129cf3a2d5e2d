// Shared flat config. Each package's eslint.config.js spreads this and adds little.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/generated/**", "**/node_modules/**", "**/.turbo/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Configuration is read in exactly one module per app (env.ts), parsed with zod.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration from env.ts, not process.env." },
      ],
      "no-restricted-globals": ["error", { name: "parseFloat", message: "Money is exact: never parse floats." }],
    },
  },
  {
    files: [
      "**/env.ts",
      "**/cli.ts",
      "**/cli/**",
      "**/*.test.ts",
      "**/test/**",
      "**/scripts/**",
      "**/*.config.*",
      "**/bench/**",
    ],
    rules: { "no-restricted-properties": "off" },
  },
);

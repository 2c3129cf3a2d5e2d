import base from "@shop/eslint-config";

export default [
  ...base,
  {
    // Routers and services never reach the database themselves: repositories own every query
    // (ARCHITECTURE.md). They may name @shop/db's types (Db), nothing else from it.
    files: ["src/routers/**", "src/services/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@shop/db",
              allowTypeImports: true,
              message: "Query through a repository (src/repositories/*.repository.ts).",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name=/^(prisma|sql)$/]",
          message: "Query through a repository (src/repositories/*.repository.ts).",
        },
      ],
    },
  },
];

import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next*/**",
      "lib/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/app/**", "**/gateway/**", "**/workers/**"], message: "lib/ never imports from a process folder" },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**", "gateway/**", "workers/**", "scripts/**", "e2e/**", "test/**", "components/**", "bench/**", "prisma/**", "*.ts", "*.mjs"],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;

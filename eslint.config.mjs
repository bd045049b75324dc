import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next*/**", "node_modules/**", "public/**", "next-env.d.ts", "**/*.generated.*", "test-results/**", "playwright-report/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
    },
  },
  {
    // The layers: lib/** is the logic without UI, components/** and app/** sit on top of it.
    files: ["lib/**/*.ts", "lib/**/*.tsx", "lib/**/*.mjs"],
    ignores: ["lib/kernel/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/components/*", "@/app/*", "**/components/*", "**/app/*"], message: "lib/** never imports components/** or app/**." }] },
      ],
    },
  },
  {
    // The kernel is the OS core: it runs unchanged in a browser worker and in Node.
    files: ["lib/kernel/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["react", "react-dom", "react/*", "next", "next/*", "@/components/*", "@/app/*", "**/components/*", "**/app/*"], message: "lib/kernel imports no React, DOM or Next, nor components/** or app/**." },
            { group: ["node:*", "fs", "path", "worker_threads", "child_process"], message: "lib/kernel must not depend on Node built-ins; put host code in lib/runtime." },
          ],
        },
      ],
      "no-restricted-globals": ["error", "window", "document", "navigator", "localStorage"],
    },
  },
];

export default config;

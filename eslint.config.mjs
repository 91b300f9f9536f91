import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", ".gen/", "coverage/", "packages/*/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-restricted-imports": [
        "error",
        {
          paths: ["@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"].map((name) => ({
            name,
            message: "Import the resource module (e.g. @cdktf/provider-aws/lib/vpc): the barrel costs seconds and hundreds of MB per synth.",
          })),
          patterns: [
            {
              regex: "^@meridian/constructs/|(^|/)packages/constructs(/(src|dist)(/.*)?)?$",
              message: "Import the library through its public entry point: import { … } from \"@meridian/constructs\".",
            },
          ],
        },
      ],
    },
  },
  {
    // The library stands alone: nothing in it reaches into the application around it.
    files: ["packages/constructs/**/*.ts"],
    // A module's usage example is written as a user of the package writes it.
    ignores: ["packages/constructs/src/**/test/usage.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"].map((name) => ({
            name,
            message: "Import the resource module (e.g. @cdktf/provider-aws/lib/vpc): the barrel costs seconds and hundreds of MB per synth.",
          })),
          patterns: [
            {
              group: ["@meridian/constructs", "@meridian/constructs/*"],
              message: "Inside the library, import the module by its relative path.",
            },
          ],
        },
      ],
    },
  },
  { files: ["*.js", "*.mjs", "__tests__/*.js"], languageOptions: { globals: { module: "writable", require: "readonly" } } },
);

import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", ".gen/", "coverage/"] },
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
        },
      ],
    },
  },
  { files: ["*.js", "*.mjs", "__tests__/*.js"], languageOptions: { globals: { module: "writable", require: "readonly" } } },
);

// ESLint: the TypeScript and JSDoc rules this code follows, and the pure
// modules kept free of the Pulumi runtime. `npm run lint` (part of `npm test`).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import jsdoc from "eslint-plugin-jsdoc";
import tseslint from "typescript-eslint";

/**
 * Modules that hold pure logic (names, validation, rule plans, policy
 * documents, manifests, Helm values, the outputs contract): tested directly,
 * and usable without a Pulumi deployment, so they import no Pulumi SDK and no
 * module that does.
 */
const pureModules = [
    "components/internal/*.ts",
    "components/*/{naming,validate,validate-*,model,rules,policy,manifests,helm-values,vpc-sharing,crd,versions}.ts",
    "components/shared-alb/{evaluate,glob,limits,precedence,ports,target-groups}.ts",
    "stacks/cluster-config.ts",
];

/** The one place the components load the provider SDKs from: their submodules, never a package index. */
const sdkFacades = [
    "components/internal/aws.ts",
    "components/internal/aws-provider.ts",
    "components/internal/config-checked.ts",
    "components/internal/kubernetes.ts",
    "components/internal/kubernetes-helm.ts",
    "components/internal/random.ts",
];

/** The internal entry for stack programs (components/internal/sdk.ts): the facades and the running stack's name. */
const sdkEntry = "components/internal/sdk.ts";

/** Modules that load the Pulumi SDK without being a component class: the facades, the SDK entry, the deployed-allocation read. */
const sdkModules = [
    "**/internal/aws",
    "**/internal/kubernetes",
    "**/internal/kubernetes-helm",
    "**/internal/random",
    "**/internal/sdk",
    "**/shared-alb/deployed-read",
    "./aws",
    "./kubernetes",
    "./kubernetes-helm",
    "./random",
    "./sdk",
];

/**
 * cli/ and stacks/ reach the components through their entries only: the
 * public API (components/index.ts), the internal entry
 * (components/internal/index.ts) and the SDK entry (components/internal/sdk.ts).
 */
const throughEntries = {
    group: ["**/components/**", "!**/components/internal", "!**/components/internal/sdk"],
    message:
        "cli/ and stacks/ import the components through their entries: components (the public API), components/internal or components/internal/sdk (docs/api.md).",
};

const componentClass = "a pure module imports no component class, nor an index that exports one: they load the Pulumi SDK.";

export default defineConfig(
    { ignores: ["dist/", "node_modules/", "scratch/", ".bench/"] },
    js.configs.recommended,
    tseslint.configs.recommended,
    jsdoc.configs["flat/recommended-typescript-error"],
    {
        rules: {
            // A one-line summary, with parameters described in prose or not at all, is the house style.
            "jsdoc/require-jsdoc": "off",
            "jsdoc/require-param": "off",
            "jsdoc/require-returns": "off",
            // Blank lines before tags vary; `@default` closes one-line comments (`/** ... @default 8 */`)
            // and package names (`@pulumi/eks`) appear in prose.
            "jsdoc/tag-lines": "off",
            "jsdoc/escape-inline-tags": "off",
        },
    },
    {
        // The house style keeps functions short, at most 60 lines (blank lines and comments aside): a longer one is
        // split along its steps. Tests may keep long `it` bodies.
        files: ["**/*.ts"],
        ignores: ["tests/**"],
        rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }] },
    },
    {
        // Tests mutate fixtures through loosely typed copies.
        files: ["tests/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        // The mock runtime's resource state is the SDK's own `Record<string, any>`, and Output.promise() is not in its typings.
        files: ["cli/plan/mock-runtime.ts", "cli/plan/fake-cloud.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        files: ["cli/**/*.ts", "stacks/**/*.ts"],
        rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [throughEntries] }] },
    },
    {
        // After the block above: stacks/cluster-config.ts is pure and goes through the entries too.
        files: pureModules,
        ignores: [...sdkFacades, sdkEntry],
        rules: {
            "@typescript-eslint/no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            group: ["@pulumi/*"],
                            message: "a pure module imports no Pulumi SDK: keep Pulumi in the component classes and stack programs.",
                        },
                        {
                            group: ["**/shared-alb/shared-alb", "**/cluster-attachment/cluster-attachment", "**/cluster-attachment/eks"],
                            message: componentClass,
                        },
                        { group: sdkModules, message: "a pure module imports no module that loads the Pulumi SDK." },
                        throughEntries,
                    ],
                    paths: [
                        "./shared-alb",
                        "./cluster-attachment",
                        "./eks",
                        "./index",
                        "../shared-alb",
                        "../cluster-attachment",
                        "../index",
                        "../components",
                        "../components/index",
                    ].map(name => ({ name, message: componentClass })),
                },
            ],
        },
    },
);

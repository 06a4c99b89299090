/**
 * The parts of `@pulumi/kubernetes` this package uses, under the names of
 * the package's own namespaces (`k8s.core.v1.Namespace`, `k8s.helm.v3.Release`...).
 * Import this instead of `@pulumi/kubernetes`: the package index loads over a
 * hundred modules, and `@pulumi/kubernetes/helm/v3` loads the YAML and Chart
 * machinery the `Release` never uses. Add a module here when the code needs
 * one; tests/cli/loaded-modules.test.ts fails when a plan loads a package index.
 */
export * as admissionregistration from "@pulumi/kubernetes/admissionregistration";
export * as apiextensions from "@pulumi/kubernetes/apiextensions";
export * as core from "@pulumi/kubernetes/core";
export * as helm from "./kubernetes-helm";
export { Provider } from "@pulumi/kubernetes/provider";
export type { ProviderArgs } from "@pulumi/kubernetes/provider";
export type * as types from "@pulumi/kubernetes/types";

// `k8s.helm.v3.Release` of components/internal/kubernetes.ts, without the
// rest of `@pulumi/kubernetes/helm/v3` (the Chart and its YAML machinery).
export * as v3 from "@pulumi/kubernetes/helm/v3/release";

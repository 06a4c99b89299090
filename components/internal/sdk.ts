/**
 * The internal entry for code that runs a Pulumi program (the stack
 * programs, the offline plan): the provider SDK facades, as the namespaces
 * `aws` and `k8s` (./aws.ts, ./kubernetes.ts: submodules, never a package
 * index), and the running stack's own name. Kept apart from the internal
 * entry (./index.ts), which loads no SDK. No compatibility promise.
 */
export * as aws from "./aws";
export * as k8s from "./kubernetes";
export { ownStackName } from "../shared-alb/deployed-read";
export { planAttachment } from "../cluster-attachment/cluster-attachment";

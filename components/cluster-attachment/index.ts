export * from "./args";
export { ClusterAttachment } from "./cluster-attachment";
export type { AttachmentManifests, BindingOutput, ControllerChartRef } from "./cluster-attachment";
export * from "./eks";
export * from "./versions";
export { controllerHelmValues, ChartValueKeys, ManagedValueKeys, DisabledFeatureGates, UnusedIngressClass, RoleArnAnnotation } from "./helm-values";
export {
    targetGroupBindingManifest, readinessGateNamespaceManifest, readinessGateNamespaces, ReadinessGateLabel,
    TargetGroupBindingApiVersion, TargetGroupBindingKind,
} from "./manifests";
export type { TargetGroupBindingObject, TargetGroupBindingSpec, KubernetesObject } from "./manifests";
export type { AdmissionPolicyObjects, ValidatingAdmissionPolicySpec, ValidatingAdmissionPolicyBindingSpec } from "./admission-policy";
export { controllerTrustPolicy, controllerPermissionsPolicy } from "./policy";
export type { PolicyDocument, PolicyStatement } from "./policy";
export { readAttachmentArgs } from "./validate";
export type { AttachmentPlan, ClusterInputs } from "./model";
export { TargetGroupBindingCrd, TargetGroupBindingCrdVersion } from "./crd";

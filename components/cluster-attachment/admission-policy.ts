/**
 * The ValidatingAdmissionPolicy (and its binding) that pins each of the
 * fleet's target groups to the namespace the config binds it in, and
 * refuses TargetGroupBindings for any other target group. Without it,
 * whoever may create a TargetGroupBinding in any namespace can bind their
 * Service to another service's target group and take its traffic.
 * Pure: no Pulumi runtime.
 *
 * Facts it relies on (controller v3.5.0, Kubernetes 1.30+):
 * - The controller registers targets in `spec.targetGroupARN` only. A
 *   binding that names `spec.targetGroupName` instead gets the ARN from the
 *   controller's mutating webhook on create (`getArnFromNameIfNeeded`), and
 *   mutating admission runs before validating admission, so the policy sees
 *   the ARN the name resolved to; a binding that reaches it without an ARN
 *   is refused, since a name alone cannot be checked.
 * - Both served versions (v1alpha1, v1beta1) carry the same fields, and the
 *   CRD has no conversion: every version is matched.
 * - Deleting a binding is never checked (DELETE is not matched), nor is any
 *   update of a binding being deleted (`metadata.deletionTimestamp` set), so
 *   the controller can always remove its finalizer.
 * - `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy is GA from
 *   Kubernetes 1.30.
 */
import { KubernetesObject, PartOfLabel } from "./manifests";

export const AdmissionApiVersion = "admissionregistration.k8s.io/v1";
export const AdmissionPolicyKind = "ValidatingAdmissionPolicy";
export const AdmissionPolicyBindingKind = "ValidatingAdmissionPolicyBinding";
/** The policy's and the binding's name (cluster-scoped; one attachment per cluster). */
export const AdmissionPolicyName = "shared-alb-targetgroupbindings";
/** The oldest Kubernetes version that serves `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy. */
export const AdmissionPolicyMinKubernetes = "1.30";

/**
 * Whether a Kubernetes version (`1.30`, `1.30.2`, `v1.29.3-eks-...`) serves
 * `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy; undefined
 * when the version cannot be read.
 */
export function servesAdmissionPolicy(version: string): boolean | undefined {
    const m = /^v?(\d+)\.(\d+)(\.\d+)?([-+].*)?$/.exec(version.trim());
    if (m === null) {
        return undefined;
    }
    const [major, minor] = AdmissionPolicyMinKubernetes.split(".").map(Number);
    return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

/** Why a cluster older than 1.30 is refused while the policy is on (each refusal adds its fix). */
export const AdmissionPolicyNeeds =
    "the TargetGroupBinding admission policy (ValidatingAdmissionPolicy, admissionregistration.k8s.io/v1) " +
    `needs Kubernetes ${AdmissionPolicyMinKubernetes} or later`;

/** A target group of the fleet and the namespace its binding lives in. */
export interface PinnedTargetGroup {
    targetGroupArn: string;
    namespace: string;
}

/** A named CEL expression: an entry of the policy's `matchConditions` or `variables`. */
export interface NamedExpression {
    name: string;
    expression: string;
}

/** A CEL check of the policy's `validations`: a binding it fails is refused with the message. */
export interface Validation {
    expression: string;
    messageExpression: string;
    reason: "Forbidden";
}

export interface ValidatingAdmissionPolicySpec {
    failurePolicy: "Fail";
    matchConstraints: {
        resourceRules: { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }[];
    };
    matchConditions: NamedExpression[];
    variables: NamedExpression[];
    validations: Validation[];
}

export interface ValidatingAdmissionPolicyBindingSpec {
    policyName: string;
    validationActions: "Deny"[];
}

/** The policy and its binding, by kind (the policy's key sorts first: apply it first). */
export interface AdmissionPolicyObjects {
    ValidatingAdmissionPolicy: KubernetesObject<ValidatingAdmissionPolicySpec> & { spec: ValidatingAdmissionPolicySpec };
    ValidatingAdmissionPolicyBinding: KubernetesObject<ValidatingAdmissionPolicyBindingSpec> & {
        spec: ValidatingAdmissionPolicyBindingSpec;
    };
}

/** The binding's target group ARN, or "" when it has none. */
export const TargetGroupArnExpression = 'has(object.spec) && has(object.spec.targetGroupARN) ? object.spec.targetGroupARN : ""';

/** Skips bindings being deleted: the controller must be able to drop its finalizer from any of them. */
export const NotBeingDeleted: NamedExpression = { name: "not-being-deleted", expression: "!has(object.metadata.deletionTimestamp)" };

/** The fleet's target groups: only these may be bound. */
export const FleetTargetGroupValidation: Validation = {
    expression: "variables.targetGroupARN in variables.pinnedNamespaces",
    messageExpression:
        '"TargetGroupBinding " + request.namespace + "/" + object.metadata.name + ": " + (variables.targetGroupARN == ""' +
        ' ? "spec.targetGroupARN is not set"' +
        ' : "target group " + variables.targetGroupARN + " is not one of the shared-alb target groups of this cluster")',
    reason: "Forbidden",
};

/** Each target group only in its namespace. */
export const PinnedNamespaceValidation: Validation = {
    expression:
        "!(variables.targetGroupARN in variables.pinnedNamespaces)" +
        " || variables.pinnedNamespaces[variables.targetGroupARN] == request.namespace",
    messageExpression:
        '"TargetGroupBinding " + request.namespace + "/" + object.metadata.name + ": target group " + variables.targetGroupARN' +
        ' + " may be bound only in namespace " + variables.pinnedNamespaces[variables.targetGroupARN]',
    reason: "Forbidden",
};

/**
 * A CEL map literal from each ARN to its namespace, sorted by ARN. ARNs and
 * namespace names are validated (letters, digits, `:/._-`), so a JSON
 * string is a CEL string literal.
 */
export function pinnedNamespacesExpression(targetGroups: PinnedTargetGroup[]): string {
    const entries = [...targetGroups]
        .sort((a, b) => (a.targetGroupArn < b.targetGroupArn ? -1 : a.targetGroupArn > b.targetGroupArn ? 1 : 0))
        .map(t => `${JSON.stringify(t.targetGroupArn)}: ${JSON.stringify(t.namespace)}`);
    return `{${entries.join(", ")}}`;
}

/** The policy and its binding for the fleet's target groups of one cluster. */
export function admissionPolicyManifests(targetGroups: PinnedTargetGroup[]): AdmissionPolicyObjects {
    const metadata = { name: AdmissionPolicyName, labels: { [PartOfLabel.key]: PartOfLabel.value } };
    return {
        ValidatingAdmissionPolicy: {
            apiVersion: AdmissionApiVersion,
            kind: AdmissionPolicyKind,
            metadata,
            spec: {
                failurePolicy: "Fail",
                matchConstraints: {
                    resourceRules: [
                        {
                            apiGroups: ["elbv2.k8s.aws"],
                            apiVersions: ["*"],
                            operations: ["CREATE", "UPDATE"],
                            resources: ["targetgroupbindings"],
                        },
                    ],
                },
                matchConditions: [NotBeingDeleted],
                variables: [
                    { name: "pinnedNamespaces", expression: pinnedNamespacesExpression(targetGroups) },
                    { name: "targetGroupARN", expression: TargetGroupArnExpression },
                ],
                validations: [FleetTargetGroupValidation, PinnedNamespaceValidation],
            },
        },
        ValidatingAdmissionPolicyBinding: {
            apiVersion: AdmissionApiVersion,
            kind: AdmissionPolicyBindingKind,
            metadata: { ...metadata, labels: { ...metadata.labels } },
            spec: { policyName: AdmissionPolicyName, validationActions: ["Deny"] },
        },
    };
}

/**
 * Kubernetes objects for the TargetGroupBinding path, as plain objects valid
 * against the controller's v3.5.0 CRD (crd.ts). Pure: no Pulumi runtime.
 */
import { keysOf } from "../internal/read";
import { albTargetPorts } from "../internal/target-ports";
import { TargetType } from "../internal/values";

export const TargetGroupBindingApiVersion = "elbv2.k8s.aws/v1beta1";
export const TargetGroupBindingKind = "TargetGroupBinding";

/**
 * Spec fields the controller's validating webhook refuses to change
 * (`targetGroupBindingValidator.checkImmutableFields`, v3.5.0): a change needs
 * a new binding, the old one deleted first.
 */
export const TargetGroupBindingImmutableFields = ["targetGroupARN", "targetType", "ipAddressType", "vpcID"] as const;

/**
 * The namespace label that makes the controller's pod mutator inject the
 * target-health readiness gate into pods behind an `ip` binding.
 */
export const ReadinessGateLabel = { key: "elbv2.k8s.aws/pod-readiness-gate-inject", value: "enabled" } as const;

/** Labels on every object this package renders. */
export const PartOfLabel = { key: "app.kubernetes.io/part-of", value: "shared-alb" } as const;
export const ServiceKeyLabel = "shared-alb/service";

/** The NodePort range, opened for `instance` targets without a fixed target port. */
export { NodePortRange } from "../internal/values";

/** A port of a TargetGroupBinding's `networking.ingress[].ports` (the controller's `NetworkingPort`). */
export interface NetworkingPort {
    port?: number | string;
    protocol?: "TCP" | "UDP";
}

/** A source of a TargetGroupBinding's `networking.ingress[].from` (the controller's `NetworkingPeer`). */
export interface NetworkingPeer {
    securityGroup?: { groupID: string };
    ipBlock?: { cidr: string };
}

export interface TargetGroupBindingSpec {
    targetGroupARN: string;
    targetGroupProtocol: "HTTP" | "HTTPS";
    targetType: "ip" | "instance";
    ipAddressType: "ipv4" | "ipv6";
    vpcID: string;
    serviceRef: { name: string; port: number | string };
    iamRoleArnToAssume?: string;
    assumeRoleExternalId?: string;
    multiClusterTargetGroup?: boolean;
    networking?: { ingress: { from: NetworkingPeer[]; ports: NetworkingPort[] }[] };
}

/** Every field a TargetGroupBinding spec may have, in the order the manifests write them (the compiler keeps the list whole). */
export const TargetGroupBindingSpecKeys = keysOf<TargetGroupBindingSpec>({
    targetGroupARN: true,
    targetGroupProtocol: true,
    targetType: true,
    ipAddressType: true,
    vpcID: true,
    serviceRef: true,
    iamRoleArnToAssume: true,
    assumeRoleExternalId: true,
    multiClusterTargetGroup: true,
    networking: true,
});

export interface KubernetesObject<S = unknown> {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    spec?: S;
}

export type TargetGroupBindingObject = KubernetesObject<TargetGroupBindingSpec> & { spec: TargetGroupBindingSpec };

export interface TargetGroupBindingInput {
    /** Network service name (the binding's key). */
    serviceKey: string;
    name: string;
    namespace: string;
    serviceName: string;
    servicePort: number | string;
    targetGroupArn: string;
    /** The target group's protocol; the webhook would fill it in otherwise. */
    targetGroupProtocol: "HTTP" | "HTTPS";
    targetType: "ip" | "instance";
    ipAddressType: "ipv4" | "ipv6";
    vpcId: string;
    /** Cross-account: the registrar role and external ID. */
    assumeRole?: { roleArn: string; externalId?: string };
    multiClusterTargetGroup: boolean;
    /** `controller` mode: the ALB security group and the ports it must reach (target port, then a separate health-check port). */
    networking?: { albSecurityGroupId: string; ports: number[] };
}

/**
 * One TargetGroupBinding. `targetType`, `ipAddressType`, `vpcID`,
 * `targetGroupARN` and `targetGroupProtocol` are always explicit: the
 * controller's mutating webhook would fill them in otherwise (the first four
 * are immutable), so every later update would diff or be refused.
 */
export function targetGroupBindingManifest(input: TargetGroupBindingInput): TargetGroupBindingObject {
    const spec: TargetGroupBindingSpec = {
        targetGroupARN: input.targetGroupArn,
        targetGroupProtocol: input.targetGroupProtocol,
        targetType: input.targetType,
        ipAddressType: input.ipAddressType,
        vpcID: input.vpcId,
        serviceRef: { name: input.serviceName, port: input.servicePort },
    };
    if (input.assumeRole !== undefined) {
        spec.iamRoleArnToAssume = input.assumeRole.roleArn;
        if (input.assumeRole.externalId !== undefined) {
            spec.assumeRoleExternalId = input.assumeRole.externalId;
        }
    }
    if (input.multiClusterTargetGroup) {
        spec.multiClusterTargetGroup = true;
    }
    if (input.networking !== undefined) {
        spec.networking = {
            ingress: [
                {
                    from: [{ securityGroup: { groupID: input.networking.albSecurityGroupId } }],
                    ports: input.networking.ports.map(port => ({ port, protocol: "TCP" as const })),
                },
            ],
        };
    }
    return {
        apiVersion: TargetGroupBindingApiVersion,
        kind: TargetGroupBindingKind,
        metadata: {
            name: input.name,
            namespace: input.namespace,
            labels: { [PartOfLabel.key]: PartOfLabel.value, [ServiceKeyLabel]: input.serviceKey },
        },
        spec,
    };
}

/**
 * A namespace carrying the readiness-gate label. Applied with server-side
 * apply (Pulumi `NamespacePatch`, or `kubectl apply --server-side`), it only
 * adds the label to an existing namespace.
 */
export function readinessGateNamespaceManifest(namespace: string): KubernetesObject {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespace, labels: { [ReadinessGateLabel.key]: ReadinessGateLabel.value } },
    };
}

/** The namespaces to label: those holding at least one `ip` binding, sorted. */
export function readinessGateNamespaces(bindings: { namespace: string; targetType: string }[]): string[] {
    return [...new Set(bindings.filter(b => b.targetType === "ip").map(b => b.namespace))].sort();
}

/** The namespaces every EKS cluster has from the start; never created nor checked. */
export const SystemNamespaces = ["default", "kube-node-lease", "kube-public", "kube-system"] as const;

/** What the attachment does with one namespace. */
export interface NamespacePlan {
    name: string;
    /** Carries the readiness-gate label. */
    labelled: boolean;
    /** Created (and owned) by the attachment; otherwise it must exist, and a label is patched onto it. */
    create: boolean;
}

/**
 * The namespaces the attachment touches. With `create`, every namespace its
 * objects live in (the bindings', and the controller's when it is installed
 * outside the system namespaces) is created, labelled where an `ip` binding
 * lives and `label` is on. Namespaces not created (all of them without
 * `create`, the system ones with it) are only patched with the label where
 * they need it. Sorted by name.
 */
export function namespacePlan(input: {
    bindings: { namespace: string; targetType: string }[];
    /** The controller's namespace when the attachment installs it. */
    controllerNamespace?: string;
    create: boolean;
    label: boolean;
}): NamespacePlan[] {
    const labelled = new Set(input.label ? readinessGateNamespaces(input.bindings) : []);
    const created = new Set(input.create ? requiredNamespaces(input) : []);
    return [...new Set([...created, ...labelled])].sort().map(name => ({ name, labelled: labelled.has(name), create: created.has(name) }));
}

/**
 * The namespaces that must exist before the attachment's objects are
 * applied: the bindings' and a non-system controller namespace. Sorted.
 */
export function requiredNamespaces(input: { bindings: { namespace: string }[]; controllerNamespace?: string }): string[] {
    const names = new Set(input.bindings.map(b => b.namespace));
    if (input.controllerNamespace !== undefined) {
        names.add(input.controllerNamespace);
    }
    return [...names].filter(n => !(SystemNamespaces as readonly string[]).includes(n)).sort();
}

/** A namespace as the attachment renders it: with the readiness-gate label when `labelled`. */
export function namespaceManifest(namespace: NamespacePlan): KubernetesObject {
    return namespace.labelled
        ? readinessGateNamespaceManifest(namespace.name)
        : { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace.name } };
}

export interface SecurityGroupRulePlan {
    /** Stable key: `<node group key>-<from>[-<to>]`. */
    key: string;
    nodeSecurityGroupKey: string;
    fromPort: number;
    toPort: number;
    /** The bindings the rule serves, sorted. */
    services: string[];
    /** What the range is for, per binding (`web (ip: traffic and health checks)`). */
    reasons: string[];
    /** The rule's description (at most 255 characters). */
    description: string;
}

/** One port range the ALB must reach for a binding, and why. */
export interface BindingPorts {
    service: string;
    fromPort: number;
    toPort: number;
    /** `ip: traffic and health checks`, `instance: NodePort range, traffic and health checks`, `ip: health checks`... */
    reason: string;
}

/**
 * The ranges the ALB must reach for one binding, as the ALB's egress has
 * them (`albTargetPorts`): the binding's resolved traffic ports (one port is
 * the target port or NodePort, the NodePort range is the range) and the
 * target group's separate health-check port.
 */
export function bindingPorts(b: {
    key: string;
    targetType: TargetType;
    fromPort: number;
    toPort: number;
    healthCheckPort?: number;
}): BindingPorts[] {
    const port = b.fromPort === b.toPort ? b.fromPort : undefined;
    return albTargetPorts({ targetType: b.targetType, port: b.fromPort, nodePort: port, healthCheckPort: b.healthCheckPort }).map(p => ({
        service: b.key,
        fromPort: p.fromPort,
        toPort: p.toPort,
        reason: p.reason,
    }));
}

/**
 * The `rules` mode ingress rules: from the ALB security group to each node
 * security group on each distinct target port (or port range), one rule per
 * (group, ports) so two services on one port do not duplicate a rule. The
 * description says which bindings each range is for.
 */
export function securityGroupRulePlan(ports: BindingPorts[], nodeSecurityGroupKeys: string[]): SecurityGroupRulePlan[] {
    const byRange = new Map<string, { fromPort: number; toPort: number; services: Set<string>; reasons: string[] }>();
    for (const p of [...ports].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0))) {
        const id = p.fromPort === p.toPort ? `${p.fromPort}` : `${p.fromPort}-${p.toPort}`;
        const entry = byRange.get(id) ?? { fromPort: p.fromPort, toPort: p.toPort, services: new Set<string>(), reasons: [] };
        entry.services.add(p.service);
        entry.reasons.push(`${p.service} (${p.reason})`);
        byRange.set(id, entry);
    }
    const out: SecurityGroupRulePlan[] = [];
    for (const sgKey of [...nodeSecurityGroupKeys].sort()) {
        for (const [id, r] of [...byRange.entries()].sort((a, b) => a[1].fromPort - b[1].fromPort || a[1].toPort - b[1].toPort)) {
            const text = `shared-alb: ALB to ${r.reasons.join(", ")}`;
            out.push({
                key: `${sgKey}-${id}`,
                nodeSecurityGroupKey: sgKey,
                fromPort: r.fromPort,
                toPort: r.toPort,
                services: [...r.services].sort(),
                reasons: r.reasons,
                description: text.length <= 255 ? text : `${text.slice(0, 252)}...`,
            });
        }
    }
    return out;
}

/**
 * Which property changes replace a resource, per resource type the stacks
 * register: the table `plan --compare` judges replacements with. Pure.
 *
 * Sources: the Terraform AWS provider's resource schemas (attributes marked
 * `ForceNew`, `RequiresReplace` plan modifiers and `CustomizeDiff` rules that
 * force a new resource), which @pulumi/aws 7.48.0 bridges unchanged; the
 * Kubernetes provider's `Diff` (pulumi-kubernetes `provider/pkg/provider`:
 * `forceNewProperties` in diff.go, the Helm release's `Diff` in
 * helm_release.go, `DiffConfig` in provider.go); the Pulumi engine
 * (`pkg/resource/deploy/step_generator.go`: a changed provider reference
 * replaces the resource; `replaceOnChanges` turns a change under a listed path
 * into a replacement). Each entry names its source.
 */
import { isRecord } from "../../components/internal";
import { parse as parseYaml } from "yaml";

/** How a resource type takes part in a deployment. */
export type ResourceKind =
    /** Created, updated in place or replaced by its provider. */
    | "custom"
    /** A component in this program: never replaced itself; its children are judged one by one. */
    | "component"
    /**
     * A component whose children are registered by another program (a
     * multi-language component): the offline plan does not see them, so the
     * whole is judged by the inputs that replace what it creates.
     */
    | "remote-component"
    /** Read on every deployment (a stack reference): never created, changed or deleted. */
    | "read";

export interface ReplaceRule {
    kind: ResourceKind;
    /** Property paths (Pulumi property path syntax, `*` for any key or index) whose change replaces the resource. */
    replaceOn: readonly string[];
    /**
     * Properties of which exactly one is set: switching from one to another
     * replaces the resource even though each alone updates in place.
     */
    oneOf?: readonly string[];
    /** Extra judgement the paths cannot express: the replacing properties, given the old and new inputs. */
    judge?: (before: Record<string, unknown>, after: Record<string, unknown>, same: (a: unknown, b: unknown) => boolean) => string[];
    /** Where the rule comes from. */
    source: string;
}

/** Properties of which a security group rule has exactly one: its source or destination. */
const RuleSources = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"] as const;

/** The properties every Kubernetes object is replaced on (its identity). */
const KubernetesIdentity = ["metadata.name", "metadata.namespace"] as const;

export const ReplaceRules: Readonly<Record<string, ReplaceRule>> = {
    // terraform-provider-aws internal/service/elbv2/load_balancer.go: ForceNew on name, name_prefix,
    // internal, load_balancer_type, customer_owned_ipv4_pool; customizeDiffLoadBalancerALB forces a new
    // ALB when a subnet mapping changes other than by pure additions or removals (judged on any change).
    "aws:lb/loadBalancer:LoadBalancer": {
        kind: "custom",
        replaceOn: ["name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool", "subnetMappings"],
        source: "terraform-provider-aws elbv2/load_balancer.go (ForceNew, customizeDiffLoadBalancerALB)",
    },
    // terraform-provider-aws internal/service/elbv2/target_group.go: ForceNew on name, name_prefix, port,
    // protocol, protocol_version, target_type, vpc_id, ip_address_type. (Its CustomizeDiff forces a new
    // target group only for TCP health checks of network load balancers, which an ALB never has.)
    "aws:lb/targetGroup:TargetGroup": {
        kind: "custom",
        replaceOn: ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"],
        source: "terraform-provider-aws elbv2/target_group.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/elbv2/listener.go: ForceNew on load_balancer_arn only;
    // port, protocol, certificates and default actions are modified in place (ModifyListener).
    "aws:lb/listener:Listener": {
        kind: "custom",
        replaceOn: ["loadBalancerArn"],
        source: "terraform-provider-aws elbv2/listener.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/elbv2/listener_rule.go: ForceNew on listener_arn; priority
    // is explicitly not ForceNew (SetRulePriorities), conditions and actions are modified in place.
    "aws:lb/listenerRule:ListenerRule": {
        kind: "custom",
        replaceOn: ["listenerArn"],
        source: "terraform-provider-aws elbv2/listener_rule.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/elbv2/listener_certificate.go: no update; both arguments ForceNew.
    "aws:lb/listenerCertificate:ListenerCertificate": {
        kind: "custom",
        replaceOn: ["listenerArn", "certificateArn"],
        source: "terraform-provider-aws elbv2/listener_certificate.go (ForceNew, no update)",
    },
    // terraform-provider-aws internal/service/ec2/vpc_security_group.go: ForceNew on name, name_prefix,
    // description, vpc_id; rules and tags are updated in place.
    "aws:ec2/securityGroup:SecurityGroup": {
        kind: "custom",
        replaceOn: ["name", "namePrefix", "description", "vpcId"],
        source: "terraform-provider-aws ec2/vpc_security_group.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/ec2/vpc_security_group_ingress_rule.go: RequiresReplace on
    // security_group_id; ModifyPlan replaces the rule when its source type changes (cidr_ipv4, cidr_ipv6,
    // prefix_list_id, referenced_security_group_id); ports, protocol and description are modified in place.
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        kind: "custom",
        replaceOn: ["securityGroupId"],
        oneOf: RuleSources,
        source: "terraform-provider-aws ec2/vpc_security_group_ingress_rule.go (RequiresReplace, ModifyPlan)",
    },
    // terraform-provider-aws internal/service/ec2/vpc_security_group_egress_rule.go: the same rule schema
    // and ModifyPlan as the ingress rule.
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        kind: "custom",
        replaceOn: ["securityGroupId"],
        oneOf: RuleSources,
        source: "terraform-provider-aws ec2/vpc_security_group_egress_rule.go (RequiresReplace, ModifyPlan)",
    },
    // terraform-provider-aws internal/service/iam/role.go: ForceNew on name, name_prefix, path; the trust
    // policy, description, session duration and tags are updated in place.
    "aws:iam/role:Role": {
        kind: "custom",
        replaceOn: ["name", "namePrefix", "path"],
        source: "terraform-provider-aws iam/role.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/iam/role_policy.go: ForceNew on name, name_prefix, role;
    // the policy document is put in place.
    "aws:iam/rolePolicy:RolePolicy": {
        kind: "custom",
        replaceOn: ["name", "namePrefix", "role"],
        source: "terraform-provider-aws iam/role_policy.go (ForceNew)",
    },
    // terraform-provider-random internal/provider/resource_password.go (bridged by @pulumi/random 4.21.2):
    // RequiresReplace on every argument (keepers when their values are not null, override_special unless it
    // goes from "" to null): a new password, so a new external ID.
    "random:index/randomPassword:RandomPassword": {
        kind: "custom",
        replaceOn: [
            "keepers",
            "length",
            "special",
            "upper",
            "lower",
            "number",
            "numeric",
            "minNumeric",
            "minUpper",
            "minLower",
            "minSpecial",
            "overrideSpecial",
        ],
        source: "terraform-provider-random resource_password.go (RequiresReplace)",
    },
    // terraform-provider-aws internal/service/iam/openid_connect_provider.go: ForceNew on url; client IDs
    // and thumbprints are updated in place.
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        kind: "custom",
        replaceOn: ["url"],
        source: "terraform-provider-aws iam/openid_connect_provider.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/ram/resource_share.go: ForceNew on permission_arns; name and
    // allow_external_principals are updated in place.
    "aws:ram/resourceShare:ResourceShare": {
        kind: "custom",
        replaceOn: ["permissionArns"],
        source: "terraform-provider-aws ram/resource_share.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/wafv2/web_acl_association.go: no update; resource_arn and web_acl_arn ForceNew.
    "aws:wafv2/webAclAssociation:WebAclAssociation": {
        kind: "custom",
        replaceOn: ["resourceArn", "webAclArn"],
        source: "terraform-provider-aws wafv2/web_acl_association.go (ForceNew)",
    },
    // terraform-provider-aws internal/service/ram/resource_association.go: no update; both arguments ForceNew.
    "aws:ram/resourceAssociation:ResourceAssociation": {
        kind: "custom",
        replaceOn: ["resourceArn", "resourceShareArn"],
        source: "terraform-provider-aws ram/resource_association.go (ForceNew, no update)",
    },
    // terraform-provider-aws internal/service/ram/principal_association.go: no update; both arguments ForceNew.
    "aws:ram/principalAssociation:PrincipalAssociation": {
        kind: "custom",
        replaceOn: ["principal", "resourceShareArn"],
        source: "terraform-provider-aws ram/principal_association.go (ForceNew, no update)",
    },
    // pulumi-kubernetes provider/pkg/provider/provider.go Diff: patch resources are replaced only on
    // .metadata.name and .metadata.namespace; every other property is patched in place.
    "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch": {
        kind: "custom",
        replaceOn: KubernetesIdentity,
        source: "pulumi-kubernetes provider/pkg/provider/provider.go (Diff of patch resources)",
    },
    // pulumi-kubernetes provider/pkg/provider/diff.go: identity only (forceNew has no admissionregistration.k8s.io group).
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy": {
        kind: "custom",
        replaceOn: KubernetesIdentity,
        source: "pulumi-kubernetes provider/pkg/provider/diff.go (metadataForceNewProperties)",
    },
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding": {
        kind: "custom",
        replaceOn: KubernetesIdentity,
        source: "pulumi-kubernetes provider/pkg/provider/diff.go (metadataForceNewProperties)",
    },
    // pulumi-kubernetes provider/pkg/provider/diff.go: identity only (core/v1 has no Namespace entry);
    // the Kubernetes API refuses to rename an object, so a new name is a new namespace.
    "kubernetes:core/v1:Namespace": {
        kind: "custom",
        replaceOn: KubernetesIdentity,
        source: "pulumi-kubernetes provider/pkg/provider/diff.go (metadataForceNewProperties)",
    },
    // pulumi-kubernetes provider/pkg/provider/provider.go Diff: patch resources are replaced only on
    // .metadata.name and .metadata.namespace; every other property is patched in place.
    "kubernetes:core/v1:NamespacePatch": {
        kind: "custom",
        replaceOn: KubernetesIdentity,
        source: "pulumi-kubernetes provider/pkg/provider/provider.go (Diff of patch resources)",
    },
    // pulumi-kubernetes replaces a custom resource on its identity only (diff.go has no entry for the CRD's
    // group). The controller's validating webhook refuses updates of spec.targetGroupARN, spec.targetType,
    // spec.ipAddressType and spec.vpcID (webhooks/elbv2/targetgroupbinding_validator.go
    // checkImmutableFields): those need the replaceOnChanges option; see ImmutableFields below.
    "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding": {
        kind: "custom",
        replaceOn: KubernetesIdentity,
        source: "pulumi-kubernetes provider/pkg/provider/diff.go (metadataForceNewProperties)",
    },
    // pulumi-kubernetes provider/pkg/provider/helm_release.go Diff: forceNewFields .name and .namespace;
    // chart, version and values are upgraded in place.
    "kubernetes:helm.sh/v3:Release": {
        kind: "custom",
        replaceOn: ["name", "namespace"],
        source: "pulumi-kubernetes provider/pkg/provider/helm_release.go (Diff forceNewFields)",
    },
    // pulumi-kubernetes provider/pkg/provider/provider.go DiffConfig: replaced when the kubeconfig's active
    // cluster changes (or is unknown), when renderYamlToDirectory changes, or when clusterIdentifier
    // changes (an unchanged clusterIdentifier suppresses every replacement). The engine then replaces
    // every resource of the provider (step_generator.go: a changed provider reference).
    "pulumi:providers:kubernetes": {
        kind: "custom",
        replaceOn: ["renderYamlToDirectory"],
        judge: kubernetesProviderReplaces,
        source: "pulumi-kubernetes provider/pkg/provider/provider.go (DiffConfig)",
    },
    // A stack reference is read on every deployment (the engine's builtin provider).
    "pulumi:pulumi:StackReference": {
        kind: "read",
        replaceOn: [],
        source: "pulumi engine builtins (stack references are read, never created)",
    },
    // @pulumi/eks Cluster, a multi-language component: the EKS cluster it creates is replaced on its name
    // (terraform-provider-aws eks/cluster.go ForceNew name), and its security groups on their VPC
    // (ec2/vpc_security_group.go ForceNew vpc_id), so the whole cluster on `name` or `vpcId`.
    "eks:index:Cluster": {
        kind: "remote-component",
        replaceOn: ["name", "vpcId"],
        source: "terraform-provider-aws eks/cluster.go, ec2/vpc_security_group.go (ForceNew), through @pulumi/eks",
    },
    // Components of this package: registered with no inputs; their children are judged one by one.
    "shared-alb:index:SharedAlb": { kind: "component", replaceOn: [], source: "component of this package" },
    "shared-alb:index:ClusterAttachment": { kind: "component", replaceOn: [], source: "component of this package" },
};

/**
 * Spec fields a type's API refuses to change in place (the update fails): a
 * change must replace the object, deleting the old one first when the new one
 * has the same name.
 */
export const ImmutableFields: Readonly<Record<string, readonly string[]>> = {
    // aws-load-balancer-controller v3.5.0 webhooks/elbv2/targetgroupbinding_validator.go checkImmutableFields.
    "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding": ["spec.targetGroupARN", "spec.targetType", "spec.ipAddressType", "spec.vpcID"],
};

/** Whether a resource of this type (and name) is a default provider the engine creates by itself. */
export function isDefaultProvider(type: string, name: string): boolean {
    return type.startsWith("pulumi:providers:") && /^default(_[0-9a-z_.-]+)?$/.test(name);
}

/** Why a change replaces the resource: the replacing properties of the rule and of `replaceOnChanges`. */
export function replacingProperties(
    rule: ReplaceRule,
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    replaceOnChanges: readonly string[],
    same: (a: unknown, b: unknown) => boolean,
): string[] {
    const out: string[] = [];
    for (const path of [...rule.replaceOn, ...replaceOnChanges]) {
        if (!same(valuesAt(before, path), valuesAt(after, path)) && !out.includes(path)) {
            out.push(path);
        }
    }
    if (rule.oneOf !== undefined) {
        const setIn = (inputs: Record<string, unknown>) => rule.oneOf!.filter(k => inputs[k] !== undefined && inputs[k] !== null).join(",");
        const [was, is] = [setIn(before), setIn(after)];
        if (was !== is) {
            out.push(`${was || "none"} -> ${is || "none"}`);
        }
    }
    if (rule.judge !== undefined) {
        out.push(...rule.judge(before, after, same).filter(p => !out.includes(p)));
    }
    return out;
}

/** A property path as segments: `spec.targetGroupARN`, `actions[0].forward`, `tags["a.b"]`, `*`. */
export function parsePath(path: string): (string | number)[] {
    const segments: (string | number)[] = [];
    const re = /([^.[\]]+)|\[(\d+|\*)\]|\["((?:[^"\\]|\\.)*)"\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(path)) !== null) {
        if (m[1] !== undefined) {
            segments.push(m[1]);
        } else if (m[2] !== undefined) {
            segments.push(m[2] === "*" ? "*" : Number(m[2]));
        } else {
            segments.push(JSON.parse(`"${m[3]}"`) as string);
        }
    }
    return segments;
}

/** Segments back to a property path. */
export function formatPath(segments: readonly (string | number)[]): string {
    let out = "";
    for (const s of segments) {
        if (typeof s === "number") {
            out += `[${s}]`;
        } else if (/^[A-Za-z_$*][A-Za-z0-9_$-]*$/.test(s)) {
            out += out === "" ? s : `.${s}`;
        } else {
            out += `[${JSON.stringify(s)}]`;
        }
    }
    return out;
}

/** Whether `outer` (with `*` wildcards) is `inner` or one of its ancestors, as the engine reads `replaceOnChanges` and `ignoreChanges`. */
export function pathContains(outer: string, inner: string): boolean {
    const [o, i] = [parsePath(outer), parsePath(inner)];
    return o.length <= i.length && o.every((s, n) => s === "*" || s === i[n] || String(s) === String(i[n]));
}

/** Every value at a path (wildcards expand), in order; missing values as undefined. */
export function valuesAt(value: unknown, path: string): unknown[] {
    let current: unknown[] = [value];
    for (const segment of parsePath(path)) {
        const next: unknown[] = [];
        for (const v of current) {
            if (segment === "*") {
                if (Array.isArray(v)) {
                    next.push(...v);
                } else if (isRecord(v)) {
                    next.push(
                        ...Object.keys(v)
                            .sort()
                            .map(k => v[k]),
                    );
                }
            } else if (Array.isArray(v) && typeof segment === "number") {
                next.push(v[segment]);
            } else if (isRecord(v)) {
                next.push(v[String(segment)]);
            } else {
                next.push(undefined);
            }
        }
        current = next;
    }
    return current;
}

/**
 * The Kubernetes provider's replacement: the kubeconfig's active cluster
 * (server, CA, ... of the current context's cluster, as `DiffConfig` compares
 * it), a kubeconfig that cannot be read (unknown until deployment), and a
 * changed `context`, `cluster` or `clusterIdentifier`. An unchanged
 * `clusterIdentifier` suppresses all of it.
 */
function kubernetesProviderReplaces(
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    same: (a: unknown, b: unknown) => boolean,
): string[] {
    if (after.clusterIdentifier !== undefined && same(before.clusterIdentifier, after.clusterIdentifier)) {
        return [];
    }
    const out: string[] = [];
    if (before.clusterIdentifier !== undefined && after.clusterIdentifier !== undefined) {
        out.push("clusterIdentifier");
    }
    if (!same(before.kubeconfig, after.kubeconfig)) {
        const [was, is] = [activeCluster(before), activeCluster(after)];
        if (was === undefined || is === undefined || !same(was, is)) {
            out.push("kubeconfig");
        }
    }
    for (const key of ["context", "cluster"] as const) {
        if (!same(before[key], after[key])) {
            out.push(key);
        }
    }
    return out;
}

/** The `cluster` entry of the kubeconfig's current (or overridden) context, or undefined when unreadable. */
function activeCluster(inputs: Record<string, unknown>): unknown {
    if (typeof inputs.kubeconfig !== "string") {
        return undefined;
    }
    let config: unknown;
    try {
        config = parseYaml(inputs.kubeconfig);
    } catch {
        return undefined;
    }
    if (!isRecord(config)) {
        return undefined;
    }
    const contextName = typeof inputs.context === "string" ? inputs.context : config["current-context"];
    const contexts = Array.isArray(config.contexts) ? config.contexts : [];
    const context = contexts.find(c => isRecord(c) && c.name === contextName) as { context?: { cluster?: string } } | undefined;
    const clusterName = typeof inputs.cluster === "string" ? inputs.cluster : context?.context?.cluster;
    const clusters = Array.isArray(config.clusters) ? config.clusters : [];
    const entry = clusters.find(c => isRecord(c) && c.name === clusterName) as { cluster?: unknown } | undefined;
    return entry?.cluster;
}

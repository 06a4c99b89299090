/**
 * The cluster stack's config (`alb-fleet:cluster`) and its checks against the
 * network stack's outputs. Pure: no Pulumi runtime.
 */
import { ClusterOutputs, NetworkOutputs } from "../components/internal/contract";
import { Problems } from "../components/internal/errors";
import {
    AccountIdPattern, AllowedText, checkAccountId, checkBoolean, checkInt, checkKnownKeys, checkPattern, isRecord, join, KeyPattern,
    SecurityGroupIdPattern, SubnetIdPattern,
} from "../components/internal/validate";
import { BindingArgs, ClusterAttachmentArgs, ControllerArgs } from "../components/cluster-attachment/args";
import { ClusterNamePattern } from "../components/cluster-attachment/validate";

/** The config key, used as the root of every error path. */
export const ClusterConfigRoot = "alb-fleet:cluster";

export const ClusterConfigKeys = [
    "key", "networkStack", "accountId", "eks", "nodeSecurityGroupIds", "controller", "securityGroupMode", "bindings",
    "multiClusterTargetGroup", "applyToCluster", "labelNamespaces", "createNamespaces", "retainNamespaces", "manageCrd", "tags",
] as const;
export const EksCreateKeys = ["create", "name", "version", "subnetIds", "instanceType", "desiredCapacity", "minSize", "maxSize"] as const;
export const EksExistingKeys = ["name", "createOidcProvider"] as const;

/** `eks`: create a cluster with @pulumi/eks, or look one up by name. */
export interface EksConfig {
    /** Create the cluster (in the network's shared subnets, with an OIDC provider). */
    create?: boolean;
    /** The cluster's name: of the existing cluster, or of the one to create (default: the cluster key). */
    name?: string;
    /** Kubernetes version of a created cluster (default: the EKS default). */
    version?: string;
    /** Subnets of a created cluster (default: the network's `vpcSharing.subnetIds`). */
    subnetIds?: string[];
    /** Node instance type (default "t3.medium"). */
    instanceType?: string;
    /** Node group sizes (default 2, 2, 4). */
    desiredCapacity?: number;
    minSize?: number;
    maxSize?: number;
    /**
     * Existing cluster only: create the IAM OIDC provider of the cluster's
     * issuer when the account has none (default false: a missing provider is
     * an error). A created cluster always gets one.
     */
    createOidcProvider?: boolean;
}

export interface ClusterStackConfig {
    key: string;
    networkStack: string;
    accountId: string;
    eks: EksConfig;
    nodeSecurityGroupIds?: string[];
    controller?: ControllerArgs;
    securityGroupMode?: string;
    bindings: Record<string, BindingArgs>;
    multiClusterTargetGroup?: boolean;
    applyToCluster?: boolean;
    labelNamespaces?: boolean;
    /** Default: true when the stack creates the cluster (it has only the system namespaces), false otherwise. */
    createNamespaces?: boolean;
    retainNamespaces?: boolean;
    manageCrd?: boolean;
    tags?: Record<string, string>;
}

export const EksDefaults = { instanceType: "t3.medium", desiredCapacity: 2, minSize: 2, maxSize: 4 } as const;

/** A stack reference name: `stack`, `project/stack` or `org/project/stack`. */
export const StackNamePattern = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

/**
 * Phase 1, before the stack reference: the shape of the config. Returns the
 * config typed; throws `ConfigErrors` naming every problem.
 */
export function validateClusterConfigShape(raw: unknown): ClusterStackConfig {
    const problems = new Problems();
    const root = ClusterConfigRoot;
    const p = (...keys: string[]) => keys.reduce((acc, k) => join(acc, k), root);
    if (!isRecord(raw)) {
        problems.add(root, raw, "expected an object { key, networkStack, accountId, eks, bindings, ... }");
        problems.throwIfAny();
    }
    const c = raw as Record<string, unknown>;
    checkKnownKeys(problems, root, c, ClusterConfigKeys);
    checkPattern(problems, p("key"), c.key, KeyPattern, "expected the network stack's cluster key (lower-case letters, digits and inner hyphens)");
    checkPattern(problems, p("networkStack"), c.networkStack, StackNamePattern, "expected the network stack's name, e.g. \"network\" or \"acme/alb-fleet/network\"");
    checkAccountId(problems, p("accountId"), c.accountId);
    if (!isRecord(c.eks)) {
        problems.add(p("eks"), c.eks, "expected { name: <existing cluster> } or { create: true, ... }");
    } else if (c.eks.create !== undefined && c.eks.create !== false) {
        checkKnownKeys(problems, p("eks"), c.eks, EksCreateKeys);
        problems.check(c.eks.create === true, p("eks", "create"), c.eks.create, "expected true (or leave it out and give the name of an existing cluster)");
        if (c.eks.name !== undefined) {
            checkPattern(problems, p("eks", "name"), c.eks.name, ClusterNamePattern, "expected an EKS cluster name: 1 to 100 letters, digits, '-' and '_', starting alphanumeric");
        }
        if (c.eks.version !== undefined) {
            checkPattern(problems, p("eks", "version"), c.eks.version, /^1\.\d{2}$/, "expected a Kubernetes version such as \"1.33\"");
        }
        if (c.eks.subnetIds !== undefined) {
            if (!Array.isArray(c.eks.subnetIds) || c.eks.subnetIds.length < 2) {
                problems.add(p("eks", "subnetIds"), c.eks.subnetIds, "expected at least two subnet IDs in two availability zones");
            } else {
                c.eks.subnetIds.forEach((s, i) => checkPattern(problems, join(p("eks", "subnetIds"), i), s, SubnetIdPattern, AllowedText.subnetId));
            }
        }
        if (c.eks.instanceType !== undefined) {
            checkPattern(problems, p("eks", "instanceType"), c.eks.instanceType, /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 instance type such as \"t3.medium\"");
        }
        const size = (k: "desiredCapacity" | "minSize" | "maxSize") => {
            const v = (c.eks as Record<string, unknown>)[k];
            return v === undefined ? EksDefaults[k] : (checkInt(problems, p("eks", k), v, k === "maxSize" ? 1 : 0, 100, "an integer") ? v as number : undefined);
        };
        const [min, desired, max] = [size("minSize"), size("desiredCapacity"), size("maxSize")];
        if (min !== undefined && desired !== undefined && max !== undefined) {
            problems.check(min <= desired && desired <= max, p("eks", "desiredCapacity"), desired, `expected minSize (${min}) <= desiredCapacity <= maxSize (${max})`);
        }
    } else {
        checkKnownKeys(problems, p("eks"), c.eks, [...EksExistingKeys, "create"]);
        checkPattern(problems, p("eks", "name"), c.eks.name, ClusterNamePattern,
            "expected the name of an existing EKS cluster (or create: true to create one)");
        if (c.eks.createOidcProvider !== undefined) {
            checkBoolean(problems, p("eks", "createOidcProvider"), c.eks.createOidcProvider);
        }
    }
    if (c.nodeSecurityGroupIds !== undefined) {
        if (!Array.isArray(c.nodeSecurityGroupIds)) {
            problems.add(p("nodeSecurityGroupIds"), c.nodeSecurityGroupIds, "expected a list of security group IDs");
        } else {
            c.nodeSecurityGroupIds.forEach((s, i) => checkPattern(problems, join(p("nodeSecurityGroupIds"), i), s, SecurityGroupIdPattern, AllowedText.securityGroupId));
            problems.check(new Set(c.nodeSecurityGroupIds).size === c.nodeSecurityGroupIds.length, p("nodeSecurityGroupIds"), c.nodeSecurityGroupIds, "expected each security group once");
        }
    }
    for (const k of ["multiClusterTargetGroup", "applyToCluster", "labelNamespaces", "createNamespaces", "retainNamespaces", "manageCrd"] as const) {
        if (c[k] !== undefined) {
            checkBoolean(problems, p(k), c[k]);
        }
    }
    if (!isRecord(c.bindings) || Object.keys(c.bindings).length === 0) {
        problems.add(p("bindings"), c.bindings, "expected at least one binding { <service>: { namespace, service, port } }");
    }
    problems.throwIfAny();
    return c as unknown as ClusterStackConfig;
}

/**
 * Phase 2, with the network stack's outputs: the cluster key, the account,
 * the services. Returns this cluster's entry.
 */
export function checkAgainstNetwork(config: ClusterStackConfig, network: NetworkOutputs): ClusterOutputs {
    const problems = new Problems();
    const p = (...keys: string[]) => keys.reduce((acc, k) => join(acc, k), ClusterConfigRoot);
    const clusters = isRecord(network.clusters) ? network.clusters : {};
    const entry = clusters[config.key];
    if (entry === undefined) {
        const known = Object.keys(clusters).sort();
        problems.add(p("key"), config.key, `the network stack ${JSON.stringify(config.networkStack)} has no cluster ${JSON.stringify(config.key)}; `
            + `expected one of ${known.map(k => JSON.stringify(k)).join(", ") || "(none)"}`);
        problems.throwIfAny();
    }
    const accountOk = problems.check(entry.accountId === config.accountId, p("accountId"), config.accountId,
        `the network stack ${JSON.stringify(config.networkStack)} has cluster ${JSON.stringify(config.key)} in account ${entry.accountId}`);
    const services = isRecord(network.services) ? Object.keys(network.services).sort() : [];
    for (const svc of Object.keys(config.bindings)) {
        if (!services.includes(svc)) {
            problems.add(p("bindings", svc), svc, `the network stack ${JSON.stringify(config.networkStack)} serves no service ${JSON.stringify(svc)}; `
                + `expected one of ${services.map(s => JSON.stringify(s)).join(", ") || "(none)"}`);
        } else if (!isRecord(entry.targetGroups) || entry.targetGroups[svc] === undefined) {
            const runs = Array.isArray(entry.services) ? entry.services : Object.keys(isRecord(entry.targetGroups) ? entry.targetGroups : {}).sort();
            problems.add(p("bindings", svc), svc, `cluster ${JSON.stringify(config.key)} does not run service ${JSON.stringify(svc)} in the network stack `
                + `${JSON.stringify(config.networkStack)} (it runs ${runs.map(s => JSON.stringify(s)).join(", ") || "none"}); `
                + `add it to clusters.${config.key}.services of the network config and run the network stack first, or drop the binding`);
        } else if (network.accountId !== config.accountId && entry.targetGroups[svc].targetType === "instance") {
            problems.add(p("bindings", svc), svc, `the network's target group of service ${JSON.stringify(svc)} uses "instance" targets; `
                + "a cross-account cluster must use \"ip\" targets: the controller's webhook rejects instance targets with iamRoleArnToAssume");
        }
    }
    const crossAccount = network.accountId !== config.accountId;
    problems.check(!accountOk || crossAccount === (entry.registrarRoleArn !== undefined), p("accountId"), config.accountId,
        crossAccount ? "the network stack has no registrar role for this cross-account cluster" : "a same-account cluster has no registrar role");
    const sharing = network.vpcSharing;
    if (accountOk && crossAccount && sharing !== undefined && sharing.principals.every(principal => AccountIdPattern.test(principal))
        && !sharing.principals.includes(config.accountId)) {
        problems.add(p("accountId"), config.accountId, `the network stack ${JSON.stringify(config.networkStack)} shares its subnets with accounts `
            + `${sharing.principals.join(", ")} only: this cluster's nodes could not be placed in its VPC; add the account to vpcSharing.principals `
            + "of the network config (or share with the organization) and run the network stack first");
    }
    if (config.eks.create === true && config.eks.subnetIds === undefined && network.vpcSharing === undefined) {
        problems.add(p("eks", "subnetIds"), undefined, "the network stack shares no subnets (vpcSharing); give the cluster's subnetIds");
    }
    problems.throwIfAny();
    return entry;
}

/** The ClusterAttachment args for this stack, minus the cluster facts that come from EKS. */
export function attachmentOptions(config: ClusterStackConfig): Pick<ClusterAttachmentArgs,
    "bindings" | "controller" | "securityGroupMode" | "multiClusterTargetGroup" | "applyToCluster" | "labelNamespaces" | "createNamespaces"
    | "retainNamespaces" | "manageCrd" | "tags"> {
    const out: ReturnType<typeof attachmentOptions> = { bindings: config.bindings, createNamespaces: config.createNamespaces ?? config.eks.create === true };
    for (const k of ["controller", "securityGroupMode", "multiClusterTargetGroup", "applyToCluster", "labelNamespaces", "retainNamespaces", "manageCrd", "tags"] as const) {
        if (config[k] !== undefined) {
            (out as Record<string, unknown>)[k] = config[k];
        }
    }
    return out;
}

/** Node security groups from config, keyed by their own ID (a stable key). */
export function nodeSecurityGroupsById(ids: string[]): Record<string, string> {
    return Object.fromEntries(ids.map(id => [id, id]));
}

/** A kubeconfig that authenticates with `aws eks get-token` (for an existing cluster). */
export function execKubeconfig(cluster: { name: string; endpoint: string; certificateAuthority: string; region: string }): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: cluster.name, cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.certificateAuthority } }],
        contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: cluster.name } }],
        "current-context": cluster.name,
        users: [{
            name: cluster.name,
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", cluster.name, "--region", cluster.region, "--output", "json"],
                },
            },
        }],
    });
}

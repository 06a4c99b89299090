/**
 * The cluster stack's config (`alb-fleet:cluster`) and its checks against the
 * network stack's outputs. Pure: no Pulumi runtime.
 */
import {
    AccountIdPattern,
    accountId,
    arnPartition,
    partitionOf,
    tagsUpTo,
    ClusterOutputs,
    NetworkOutputs,
    Problems,
    Reader,
    check,
    trueOrFalse,
    integer,
    isRecord,
    join,
    list,
    map,
    nonEmpty,
    object,
    objectFields,
    oneOf,
    optional,
    orThrow,
    text,
    withDefault,
    AllowedText,
    CidrPattern,
    ClusterNamePattern,
    KeyPattern,
    securityGroupId,
    subnetId,
    BindingArgs,
    ClusterAttachmentArgs,
    ControllerArgs,
    SecurityGroupMode,
    SecurityGroupModes,
    AdmissionPolicyMinKubernetes,
    AdmissionPolicyNeeds,
    servesAdmissionPolicy,
    bindingArgs,
    controllerArgs,
    own,
    MaxCrossAccountClusterName,
} from "../components/internal";

/** The config key, used as the root of every error path. */
export const ClusterConfigRoot = "alb-fleet:cluster";

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
     * Created cluster only: the public API server endpoint (what `pulumi up`
     * and kubectl outside the VPC reach). Default true; with it
     * `publicAccessCidrs` is required, since EKS would open it to 0.0.0.0/0.
     * `false` leaves the private endpoint only: the stack must then run from
     * inside the VPC (or a network connected to it).
     * @default true
     */
    endpointPublicAccess?: boolean;
    /**
     * Created cluster only: the private API server endpoint in the VPC (the
     * nodes reach the API server without leaving it). Default true; it cannot
     * be off while the public endpoint is off too.
     * @default true
     */
    endpointPrivateAccess?: boolean;
    /**
     * Created cluster only: the IPv4 CIDRs that may reach the public endpoint
     * (your deploy runners, office, VPN). Required while
     * `endpointPublicAccess` is true; not allowed without it. No default: EKS's
     * own (0.0.0.0/0) is never taken silently; give it explicitly to mean it.
     * @default none (required while endpointPublicAccess is true)
     */
    publicAccessCidrs?: string[];
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
    securityGroupMode?: SecurityGroupMode;
    bindings: Record<string, BindingArgs>;
    multiClusterTargetGroup?: boolean;
    applyToCluster?: boolean;
    labelNamespaces?: boolean;
    /** Default: true when the stack creates the cluster (it has only the system namespaces), false otherwise. */
    createNamespaces?: boolean;
    retainNamespaces?: boolean;
    manageCrd?: boolean;
    bindingAdmissionPolicy?: boolean;
    tags?: Record<string, string>;
}

export const EksDefaults = {
    instanceType: "t3.medium",
    desiredCapacity: 2,
    minSize: 2,
    maxSize: 4,
    endpointPublicAccess: true,
    endpointPrivateAccess: true,
} as const;

/** A stack reference name: `stack`, `project/stack` or `org/project/stack`. */
export const StackNamePattern = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

const clusterName = (allowed: string) => text(ClusterNamePattern, allowed);
const size = (min: number, fallback: number) => withDefault(integer(min, 100, "an integer"), fallback);

const TwoSubnets = "expected at least two subnet IDs in two availability zones";
const PublicCidrsAllowed = 'expected IPv4 CIDRs such as "203.0.113.0/24" that may reach the public API server endpoint';

/** At least two subnets, for the cluster's two availability zones. */
const clusterSubnets: Reader<string[]> = (p, path, value) =>
    Array.isArray(value) && value.length >= 2
        ? list(subnetId, { notList: TwoSubnets })(p, path, value)
        : void p.add(path, value, TwoSubnets);

/** `eks` creating a cluster with @pulumi/eks (`create: true`), its sizes defaulted. */
const createdEks = objectFields("expected { name: <existing cluster> } or { create: true, ... }", {
    create: check((v): v is true => v === true, "expected true (or leave it out and give the name of an existing cluster)"),
    name: optional(clusterName(AllowedText.clusterName)),
    version: optional(text(/^1\.\d{2}$/, 'expected a Kubernetes version such as "1.33"')),
    subnetIds: optional(clusterSubnets),
    instanceType: withDefault(
        text(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'expected an EC2 instance type such as "t3.medium"'),
        EksDefaults.instanceType,
    ),
    desiredCapacity: size(0, EksDefaults.desiredCapacity),
    minSize: size(0, EksDefaults.minSize),
    maxSize: size(1, EksDefaults.maxSize),
    endpointPublicAccess: withDefault(trueOrFalse, EksDefaults.endpointPublicAccess),
    endpointPrivateAccess: withDefault(trueOrFalse, EksDefaults.endpointPrivateAccess),
    publicAccessCidrs: optional(
        nonEmpty(
            list(text(CidrPattern, PublicCidrsAllowed), { notList: `expected a list; ${PublicCidrsAllowed}`, unique: true }),
            `expected at least one CIDR; ${PublicCidrsAllowed} (or eks.endpointPublicAccess: false for a private endpoint only)`,
        ),
    ),
} satisfies Record<Exclude<keyof EksConfig, "createOidcProvider">, Reader<unknown>>);

/**
 * A created cluster's API server endpoints: at least one of them, and the
 * public one only with the CIDRs that may reach it (EKS's default is
 * 0.0.0.0/0, which is never taken silently).
 */
function checkEndpoints(p: Problems, path: string, eks: Partial<EksConfig>, given: Record<string, unknown>): void {
    const { endpointPublicAccess: publicAccess, endpointPrivateAccess: privateAccess } = eks;
    // As given: a list refused for its items is reported there, not again as missing.
    const publicAccessCidrs = given.publicAccessCidrs;
    if (publicAccess === undefined || privateAccess === undefined) {
        return;
    }
    p.check(
        publicAccess || privateAccess,
        join(path, "endpointPrivateAccess"),
        privateAccess,
        "expected true while eks.endpointPublicAccess is false: the cluster needs one API server endpoint",
    );
    if (publicAccess) {
        p.check(
            publicAccessCidrs !== undefined,
            join(path, "publicAccessCidrs"),
            undefined,
            "required while eks.endpointPublicAccess is true (the default): without it EKS opens the API server to 0.0.0.0/0; " +
                "give the IPv4 CIDRs that may reach it (deploy runners, VPN), or set eks.endpointPublicAccess: false to keep the endpoint private " +
                "(pulumi up must then run from inside the VPC)",
        );
    } else {
        p.check(
            publicAccessCidrs === undefined,
            join(path, "publicAccessCidrs"),
            publicAccessCidrs,
            "allowed only with eks.endpointPublicAccess: true (the CIDRs that may reach the public endpoint)",
        );
    }
}

/** `eks` naming an existing cluster. */
const existingEks = object("expected { name: <existing cluster> } or { create: true, ... }", {
    name: clusterName("expected the name of an existing EKS cluster (or create: true to create one)"),
    createOidcProvider: optional(trueOrFalse),
    create: optional(check((v): v is false => v === false, "expected false")),
} satisfies Record<"name" | "createOidcProvider" | "create", Reader<unknown>>);

/** `eks`: create a cluster (its sizes consistent), or look one up by name. */
const eks: Reader<EksConfig> = (p, path, value) => {
    if (!isRecord(value) || value.create === undefined || value.create === false) {
        return existingEks(p, path, value);
    }
    const read = createdEks(p, path, value);
    // The sizes are checked together when each passed, whatever the other values did.
    const { minSize, desiredCapacity, maxSize } = read?.fields ?? {};
    if (minSize !== undefined && desiredCapacity !== undefined && maxSize !== undefined) {
        p.check(
            minSize <= desiredCapacity && desiredCapacity <= maxSize,
            join(path, "desiredCapacity"),
            desiredCapacity,
            `expected minSize (${minSize}) <= desiredCapacity <= maxSize (${maxSize})`,
        );
    }
    checkEndpoints(p, path, read?.fields ?? {}, value);
    return read?.whole;
};

/** `nodeSecurityGroupIds`: security group IDs, each once. */
const securityGroupIds: Reader<string[]> = (p, path, value) => {
    const ids = list(securityGroupId, { notList: "expected a list of security group IDs" })(p, path, value);
    return ids !== undefined && p.check(new Set(ids).size === ids.length, path, value, "expected each security group once")
        ? ids
        : undefined;
};

/** `alb-fleet:cluster`, as `ClusterStackConfig` declares it; the component's own arguments are read with its readers. */
const clusterConfig = object<ClusterStackConfig>("expected an object { key, networkStack, accountId, eks, bindings, ... }", {
    key: text(KeyPattern, "expected the network stack's cluster key (lower-case letters, digits and inner hyphens)"),
    networkStack: text(StackNamePattern, 'expected the network stack\'s name, e.g. "network" or "acme/alb-fleet/network"'),
    accountId,
    eks,
    nodeSecurityGroupIds: optional(securityGroupIds),
    controller: optional(controllerArgs),
    securityGroupMode: optional(oneOf(SecurityGroupModes)),
    bindings: map(() => bindingArgs, {
        notMap: "expected at least one binding { <service>: { namespace, service, port } }",
        nonEmpty: true,
    }),
    multiClusterTargetGroup: optional(trueOrFalse),
    applyToCluster: optional(trueOrFalse),
    labelNamespaces: optional(trueOrFalse),
    createNamespaces: optional(trueOrFalse),
    retainNamespaces: optional(trueOrFalse),
    manageCrd: optional(trueOrFalse),
    bindingAdmissionPolicy: optional(trueOrFalse),
    // An OIDC provider the stack creates carries its own tag (shared-alb:stack) beside these.
    tags: optional(
        tagsUpTo(49, "AWS allows 50 per resource, and an IAM OIDC provider this stack creates carries one more (shared-alb:stack)"),
    ),
});

/**
 * Phase 1, before the stack reference: the shape of the config. Returns the
 * config typed; throws `ConfigErrors` naming every problem.
 */
export function validateClusterConfigShape(raw: unknown): ClusterStackConfig {
    const problems = new Problems();
    const config = clusterConfig(problems, ClusterConfigRoot, raw);
    const version = config?.eks.version;
    if (version !== undefined && config?.bindingAdmissionPolicy !== false) {
        problems.check(
            servesAdmissionPolicy(version) !== false,
            join(join(ClusterConfigRoot, "eks"), "version"),
            version,
            `${AdmissionPolicyNeeds}; create the cluster with ${AdmissionPolicyMinKubernetes} or later, or set bindingAdmissionPolicy: false`,
        );
    }
    return orThrow(problems, config);
}

/** The path of a config field under `alb-fleet:cluster`. */
function configPath(...keys: string[]): string {
    return keys.reduce((acc, k) => join(acc, k), ClusterConfigRoot);
}

/**
 * Phase 2, with the network stack's outputs: the cluster key, the account,
 * the services. Returns this cluster's entry.
 */
export function checkAgainstNetwork(config: ClusterStackConfig, network: NetworkOutputs): ClusterOutputs {
    const problems = new Problems();
    const entry = networkEntry(problems, config, network);
    const accountOk = problems.check(
        entry.accountId === config.accountId,
        configPath("accountId"),
        config.accountId,
        `the network stack ${JSON.stringify(config.networkStack)} has cluster ${JSON.stringify(config.key)} in account ${entry.accountId}`,
    );
    checkBindingsServed(problems, config, network, entry);
    checkWeightedBound(problems, config, network, entry);
    const crossAccount = network.accountId !== config.accountId;
    problems.check(
        !accountOk || crossAccount === (entry.registrarRoleArn !== undefined),
        configPath("accountId"),
        config.accountId,
        crossAccount
            ? "the network stack has no registrar role for this cross-account cluster"
            : "a same-account cluster has no registrar role",
    );
    checkPartitionAndName(problems, config, network, entry);
    checkSubnetSharing(problems, config, network, accountOk);
    problems.throwIfAny();
    return entry;
}

/** This cluster's entry in the network stack's outputs; throws `ConfigErrors` when the network has no such cluster. */
function networkEntry(problems: Problems, config: ClusterStackConfig, network: NetworkOutputs): ClusterOutputs {
    const clusters = isRecord(network.clusters) ? network.clusters : {};
    const found = own(clusters, config.key);
    if (!isRecord(found)) {
        const known = Object.keys(clusters).sort();
        problems.add(
            configPath("key"),
            config.key,
            `the network stack ${JSON.stringify(config.networkStack)} has no cluster ${JSON.stringify(config.key)}; ` +
                `expected one of ${known.map(k => JSON.stringify(k)).join(", ") || "(none)"}`,
        );
        problems.throwIfAny();
    }
    return found as ClusterOutputs;
}

/**
 * Each binding names a service the network serves, runs on this cluster,
 * and (for a cross-account cluster) targets by IP.
 */
function checkBindingsServed(problems: Problems, config: ClusterStackConfig, network: NetworkOutputs, entry: ClusterOutputs): void {
    const services = isRecord(network.services) ? Object.keys(network.services).sort() : [];
    for (const svc of Object.keys(config.bindings)) {
        if (!services.includes(svc)) {
            problems.add(
                configPath("bindings", svc),
                svc,
                `the network stack ${JSON.stringify(config.networkStack)} serves no service ${JSON.stringify(svc)}; ` +
                    `expected one of ${services.map(s => JSON.stringify(s)).join(", ") || "(none)"}`,
            );
        } else if (!isRecord(entry.targetGroups) || own(entry.targetGroups, svc) === undefined) {
            const runs = Array.isArray(entry.services)
                ? entry.services
                : Object.keys(isRecord(entry.targetGroups) ? entry.targetGroups : {}).sort();
            problems.add(
                configPath("bindings", svc),
                svc,
                `cluster ${JSON.stringify(config.key)} does not run service ${JSON.stringify(svc)} in the network stack ` +
                    `${JSON.stringify(config.networkStack)} (it runs ${runs.map(s => JSON.stringify(s)).join(", ") || "none"}); ` +
                    `add it to clusters.${config.key}.services of the network config and run the network stack first, or drop the binding`,
            );
        } else if (network.accountId !== config.accountId && entry.targetGroups[svc].targetType === "instance") {
            problems.add(
                configPath("bindings", svc),
                svc,
                `the network's target group of service ${JSON.stringify(svc)} uses "instance" targets; ` +
                    'a cross-account cluster must use "ip" targets: the controller\'s webhook rejects instance targets with iamRoleArnToAssume',
            );
        }
    }
}

/**
 * The network's region is in the partition of the controller role, and a
 * cross-account cluster's name fits the controller's STS session name.
 */
function checkPartitionAndName(problems: Problems, config: ClusterStackConfig, network: NetworkOutputs, entry: ClusterOutputs): void {
    const crossAccount = network.accountId !== config.accountId;
    const partition = arnPartition(String(entry.controllerRoleArn));
    problems.check(
        typeof network.region !== "string" || partitionOf(network.region) === partition,
        configPath("networkStack"),
        config.networkStack,
        `its output region is ${JSON.stringify(network.region)}, outside the ${partition} partition of clusters.${config.key}.controllerRoleArn`,
    );
    // The name of the cluster this stack creates or looks up, refused before either.
    const clusterName = config.eks.name ?? config.key;
    problems.check(
        !crossAccount || clusterName.length <= MaxCrossAccountClusterName,
        config.eks.name !== undefined ? configPath("eks", "name") : configPath("key"),
        clusterName,
        `a cross-account cluster's name must be at most ${MaxCrossAccountClusterName} characters (STS session name "AWS-LBC-<clusterName>" is limited to 64)`,
    );
}

/**
 * A cross-account cluster's account is among those the network shares its
 * subnets with, and a created cluster without its own subnets has shared ones.
 */
function checkSubnetSharing(problems: Problems, config: ClusterStackConfig, network: NetworkOutputs, accountOk: boolean): void {
    const crossAccount = network.accountId !== config.accountId;
    const sharing = isRecord(network.vpcSharing) && Array.isArray(network.vpcSharing.principals) ? network.vpcSharing : undefined;
    if (
        accountOk &&
        crossAccount &&
        sharing !== undefined &&
        sharing.principals.every(principal => AccountIdPattern.test(principal)) &&
        !sharing.principals.includes(config.accountId)
    ) {
        problems.add(
            configPath("accountId"),
            config.accountId,
            `the network stack ${JSON.stringify(config.networkStack)} shares its subnets with accounts ` +
                `${sharing.principals.join(", ")} only: this cluster's nodes could not be placed in its VPC; add the account to vpcSharing.principals ` +
                "of the network config (or share with the organization) and run the network stack first",
        );
    }
    if (config.eks.create === true && config.eks.subnetIds === undefined && network.vpcSharing === undefined) {
        problems.add(
            configPath("eks", "subnetIds"),
            undefined,
            "the network stack shares no subnets (vpcSharing); give the cluster's subnetIds",
        );
    }
}

/**
 * Every service the network gives this cluster a weight above 0 must be
 * bound: the ALB forwards that share of the service's requests to the
 * cluster's target group, which without a TargetGroupBinding has no targets,
 * so each of them fails with 503. The weight is the service's for the
 * cluster (`services.<name>.weights`), else the cluster's own. A service at
 * weight 0 may stay unbound (it is added to the cluster before it is bound).
 */
function checkWeightedBound(problems: Problems, config: ClusterStackConfig, network: NetworkOutputs, entry: ClusterOutputs): void {
    const runs = isRecord(entry.targetGroups) ? Object.keys(entry.targetGroups).sort() : [];
    const bound = Object.keys(config.bindings);
    const services = isRecord(network.services) ? network.services : {};
    for (const svc of runs.filter(s => !bound.includes(s))) {
        const weights = own(services, svc)?.weights;
        const weight = (isRecord(weights) ? own(weights, config.key) : undefined) ?? entry.weight;
        if (typeof weight === "number" && weight > 0) {
            problems.add(
                join(ClusterConfigRoot, "bindings"),
                bound,
                `the network stack ${JSON.stringify(config.networkStack)} sends service ` +
                    `${JSON.stringify(svc)} weight ${weight} to cluster ${JSON.stringify(config.key)}, but no binding here registers its pods: that share ` +
                    `of its requests would fail with 503; add bindings.${svc} (namespace, service, port), or set the weight to 0 in the network stack first ` +
                    `(services.${svc}.weights.${config.key}, or clusters.${config.key}.weight) and run it`,
            );
        }
    }
}

/** The ClusterAttachment options for this stack: its plan's arguments but the network's entry (the cluster's inputs come from EKS and the network). */
export function attachmentOptions(
    config: ClusterStackConfig,
): Pick<
    ClusterAttachmentArgs,
    | "bindings"
    | "controller"
    | "securityGroupMode"
    | "multiClusterTargetGroup"
    | "applyToCluster"
    | "labelNamespaces"
    | "createNamespaces"
    | "retainNamespaces"
    | "manageCrd"
    | "bindingAdmissionPolicy"
    | "tags"
> {
    return {
        bindings: config.bindings,
        // A created cluster has only the system namespaces.
        createNamespaces: config.createNamespaces ?? config.eks.create === true,
        controller: config.controller,
        securityGroupMode: config.securityGroupMode,
        multiClusterTargetGroup: config.multiClusterTargetGroup,
        applyToCluster: config.applyToCluster,
        labelNamespaces: config.labelNamespaces,
        retainNamespaces: config.retainNamespaces,
        manageCrd: config.manageCrd,
        bindingAdmissionPolicy: config.bindingAdmissionPolicy,
        tags: config.tags,
    };
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
        clusters: [
            { name: cluster.name, cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.certificateAuthority } },
        ],
        contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: cluster.name } }],
        "current-context": cluster.name,
        users: [
            {
                name: cluster.name,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", cluster.name, "--region", cluster.region, "--output", "json"],
                    },
                },
            },
        ],
    });
}

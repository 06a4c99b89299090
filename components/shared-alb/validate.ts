import { Problems } from "../internal/errors";
import {
    AllowedText, KeyPattern, PrefixListIdPattern, RegionPattern, RoleNamePattern, SecurityGroupIdPattern,
    SubnetIdPattern, TargetType, VpcIdPattern, checkAccountId, checkBoolean, checkInt, checkKnownKeys, checkPattern, isIntIn, isRecord, join,
} from "../internal/validate";
import { VpcSharingModel, validateVpcSharing } from "./vpc-sharing";
import { literalCount, wildcardCount } from "./glob";
import {
    MaxElbNameLength, defaultControllerRoleName, defaultExternalId, partitionOf, registrarRoleName, roleArn,
} from "./naming";
import { PriorityLayout, derivedPreviewSlot } from "./precedence";
import { Limits } from "./limits";
import {
    HealthCheckModel, PathPattern, SettingsLayer, TargetGroupDefaults, TargetGroupModel, TargetProtocol, overrideLayers, resolveSettings,
    targetGroupModels,
} from "./target-groups";
import { assignPriorities, checkAttachment } from "./validate-routing";

export { Limits } from "./limits";
export { HealthCheckModel, TargetGroupModel, TargetProtocol, TargetProtocols } from "./target-groups";

export const Defaults = {
    loadBalancerName: "shared-alb",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    idleTimeout: 60,
    weight: 0,
    previewHeader: "x-shared-alb-cluster",
    protocol: TargetGroupDefaults.protocol,
    targetType: TargetGroupDefaults.targetType,
    deregistrationDelay: 30,
    slowStart: 0,
    healthCheck: TargetGroupDefaults.healthCheck,
} as const;

/** A validated, defaulted model of the fleet: what `SharedAlb` builds. */
export interface FleetModel {
    accountId: string;
    region: string;
    partition: string;
    vpcId: string;
    /** The VPC's IPv4 CIDRs, primary first: the ALB's egress destinations. */
    vpcCidrs: string[];
    /** The first of `vpcCidrs` (kept for readers of the older model). */
    vpcCidr: string;
    subnetIds: string[];
    loadBalancer: LoadBalancerModel;
    clusters: Record<string, ClusterModel>;
    services: Record<string, ServiceModel>;
    defaultService?: string;
    tags: Record<string, string>;
    /** Present when the network shares subnets with the cluster accounts through AWS RAM. */
    vpcSharing?: VpcSharingModel;
    /** Present when preview routes are on. */
    preview?: PreviewModel;
}

export interface PreviewModel {
    /** The request header whose value names the cluster. */
    header: string;
    /**
     * Priorities of the header-only preview rules that stand in for the
     * listener's default action (the `defaultService`), by cluster key; empty
     * without a default service.
     */
    defaultActionPriorities: Record<string, number>;
}

export interface LoadBalancerModel {
    name: string;
    internal: boolean;
    existingArn?: string;
    existingListenerArn?: string;
    existingSecurityGroupId?: string;
    certificateArns: string[];
    sslPolicy: string;
    ingressCidrs: string[];
    ingressPrefixListIds: string[];
    idleTimeout: number;
    accessLogs?: { bucket: string; prefix: string };
    protect: boolean;
}

export interface ClusterModel {
    key: string;
    accountId: string;
    weight: number;
    crossAccount: boolean;
    controllerRoleName: string;
    controllerRoleArn: string;
    /** Cross-account only. */
    registrarRoleName?: string;
    /** Cross-account only. */
    externalId?: string;
    /** The services this cluster runs (all unless `clusters.<key>.services` narrows them), sorted. */
    services: string[];
    /** Where the cluster's preview rules sit in each service's block of priorities (1..9). */
    previewSlot: number;
    /**
     * Leaving the fleet (`clusters.<key>.retiring`): weight 0 everywhere and
     * no preview rules, but its target groups (still in the forward actions at
     * weight 0) and registrar role are kept until the key is removed.
     */
    retiring: boolean;
}

export interface ServiceModel {
    name: string;
    /** The service's own target group settings (`services.<name>`): every cluster's, unless its `serviceOverrides` say otherwise. */
    port: number;
    protocol: TargetProtocol;
    targetType: TargetType;
    hosts: string[];
    paths: string[];
    /** The listener rule's priority (meaningless for a default service without conditions, which has no rule). */
    priority: number;
    /** The priority was set in the config (1..999) rather than derived. */
    explicitPriority: boolean;
    /** The clusters that run the service, sorted: each has a target group and an entry in the forward action. */
    clusters: string[];
    /** Effective weight of every cluster that runs the service (0 included). */
    weights: Record<string, number>;
    /** `instance` targets: the one NodePort the ALB must reach; absent: the whole NodePort range. */
    nodePort?: number;
    /** Priorities of the service's preview rules by cluster key (empty when preview routes are off). */
    previewPriorities: Record<string, number>;
    healthCheck: HealthCheckModel;
    deregistrationDelay: number;
    slowStart: number;
    stickinessDuration?: number;
    /** Each cluster's target group (clusters that run the service only): the service's settings with the cluster's overrides. */
    targetGroups: Record<string, TargetGroupModel>;
}

const ElbNamePattern = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
const CidrPattern = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const CertificateArnPattern = /^arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:\d{12}:(certificate|server-certificate)\/.+$/;
const LoadBalancerArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[0-9a-f]+$/;
const ListenerArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[A-Za-z0-9-]+\/[0-9a-f]+\/[0-9a-f]+$/;
const ExternalIdPattern = /^[\w+=,.@:/-]{2,1224}$/;
const HostPattern = /^(?=.{1,128}$)[A-Za-z0-9*?.-]*\.[A-Za-z]+$/;
/** An HTTP header name (an RFC 7230 token), at most 40 characters. */
const HeaderNamePattern = /^[A-Za-z0-9!#$%&'+.^_`|~-]{1,40}$/;
const BucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TagKeyPattern = /^.{1,128}$/s;

const TopKeys = ["accountId", "region", "vpcId", "vpcCidr", "vpcCidrs", "subnetIds", "loadBalancer", "clusters", "services", "defaultService",
    "tags", "vpcSharing", "preview"];
const LoadBalancerKeys = ["name", "internal", "existingArn", "existingListenerArn", "existingSecurityGroupId", "certificateArns",
    "sslPolicy", "ingressCidrs", "ingressPrefixListIds", "idleTimeout", "accessLogs", "protect"];
const ClusterKeys = ["accountId", "weight", "retiring", "services", "serviceOverrides", "previewSlot", "controllerRoleName", "externalId"];
const ServiceKeys = ["port", "protocol", "targetType", "nodePort", "hosts", "paths", "priority", "weights", "healthCheck", "deregistrationDelay",
    "slowStart", "stickiness"];

/**
 * Checks the SharedAlb arguments (or the network stack's config, which has the
 * same shape) and returns the defaulted model. Every problem found is reported
 * at once, each naming its path (`clusters.blue.weight`), the value received
 * and what is allowed. Nothing here touches Pulumi: it runs before any
 * resource is registered.
 *
 * @param raw the arguments, typed loosely because config arrives as parsed YAML.
 * @param fallbackRegion the provider's region, used when `region` is absent.
 */
export function validateSharedAlbArgs(raw: unknown, fallbackRegion?: string): FleetModel {
    const p = new Problems();
    if (!isRecord(raw)) {
        p.add("(root)", raw, "expected an object with accountId, vpcId, vpcCidrs, subnetIds, clusters and services");
        p.throwIfAny();
    }
    const args = raw as Record<string, unknown>;
    checkKnownKeys(p, "", args, TopKeys);

    checkAccountId(p, "accountId", args.accountId);
    const region = args.region ?? fallbackRegion;
    checkPattern(p, "region", region, RegionPattern, `${AllowedText.region}; set it or the aws:region config`);
    checkPattern(p, "vpcId", args.vpcId, VpcIdPattern, AllowedText.vpcId);
    const vpcCidrs = cidrs(p, args.vpcCidr, args.vpcCidrs);

    const lb = loadBalancer(p, args.loadBalancer, vpcCidrs);
    const subnetIds = subnets(p, args.subnetIds, lb.existingArn !== undefined);

    const accountId = String(args.accountId);
    const partition = partitionOf(typeof region === "string" ? region : "");
    const serviceNames = isRecord(args.services) ? Object.keys(args.services) : [];
    const fleet = clusterModels(p, args.clusters, { albAccountId: accountId, partition, lbName: lb.name, serviceNames });
    const clusters = fleet.clusters;
    const services = serviceModels(p, args.services, fleet, lb, String(args.vpcId));

    let defaultService: string | undefined;
    if (args.defaultService !== undefined) {
        if (p.check(typeof args.defaultService === "string" && services[args.defaultService] !== undefined, "defaultService",
            args.defaultService, `expected one of the services: ${Object.keys(services).join(", ") || "(none)"}`)) {
            defaultService = args.defaultService as string;
        }
    }
    for (const service of Object.values(services)) {
        p.check(service.hosts.length + service.paths.length > 0 || service.name === defaultService, join(join("services", service.name), "hosts"),
            service.hosts, "expected at least one host or path (only the defaultService may have neither)");
    }
    const previewHeader = previewConfig(p, args.preview);
    const tags = stringMap(p, "tags", args.tags);
    const vpcSharing = validateVpcSharing(p, args.vpcSharing, accountId, Object.values(clusters).map(c => c.accountId), `${lb.name}-subnets`);

    p.throwIfAny();
    const model: FleetModel = {
        accountId, region: region as string, partition, vpcId: args.vpcId as string, vpcCidrs, vpcCidr: vpcCidrs[0], subnetIds,
        loadBalancer: lb, clusters, services, defaultService, tags, vpcSharing,
    };
    // Priorities, preview rules and the quotas that depend on them, once every value is known good.
    model.preview = assignPriorities(p, model, previewHeader);
    checkAttachment(p, model);
    p.throwIfAny();
    return model;
}

/** `vpcCidrs` (primary first), or the older single `vpcCidr`: one of the two. */
function cidrs(p: Problems, single: unknown, list: unknown): string[] {
    const allowed = "expected an IPv4 CIDR such as \"10.0.0.0/16\"";
    if (single !== undefined && list !== undefined) {
        p.add("vpcCidr", single, "give vpcCidrs (every CIDR of the VPC, primary first) or the older vpcCidr, not both");
        return [];
    }
    if (list === undefined) {
        if (single === undefined) {
            p.add("vpcCidrs", undefined, "expected the VPC's IPv4 CIDRs, primary first, such as [\"10.0.0.0/16\"] (or the older vpcCidr)");
            return [];
        }
        return checkPattern(p, "vpcCidr", single, CidrPattern, allowed) ? [single as string] : [];
    }
    const values = stringList(p, "vpcCidrs", list, CidrPattern, allowed);
    p.check(Array.isArray(list) && list.length > 0, "vpcCidrs", list, "expected at least one CIDR: the VPC's primary CIDR first, then any secondary ones");
    unique(p, "vpcCidrs", values);
    return values;
}

/** `preview`: present turns preview routes on; returns the header name, or undefined when off. */
function previewConfig(p: Problems, raw: unknown): string | undefined {
    if (raw === undefined) {
        return undefined;
    }
    if (!p.check(isRecord(raw), "preview", raw, "expected { header? } (present: preview routes on)")) {
        return undefined;
    }
    const preview = raw as Record<string, unknown>;
    checkKnownKeys(p, "preview", preview, ["header"]);
    const header = preview.header ?? Defaults.previewHeader;
    if (checkPattern(p, "preview.header", header, HeaderNamePattern, "expected an HTTP header name: 1 to 40 letters, digits and !#$%&'+.^_`|~-")) {
        p.check((header as string).toLowerCase() !== "host", "preview.header", header, "the Host header cannot be an http-header condition; pick another name");
    }
    return header as string;
}

function loadBalancer(p: Problems, raw: unknown, vpcCidrs: string[]): LoadBalancerModel {
    const path = "loadBalancer";
    if (raw !== undefined && !isRecord(raw)) {
        p.add(path, raw, "expected an object");
    }
    const lb = isRecord(raw) ? raw : {};
    checkKnownKeys(p, path, lb, LoadBalancerKeys);
    const name = lb.name ?? Defaults.loadBalancerName;
    p.check(typeof name === "string" && name.length <= MaxElbNameLength && ElbNamePattern.test(name) && !name.startsWith("internal-"),
        join(path, "name"), name, "expected at most 32 letters, digits and hyphens, no leading or trailing hyphen, not starting with \"internal-\"");
    const internal = lb.internal ?? false;
    checkBoolean(p, join(path, "internal"), internal);
    const protect = lb.protect ?? true;
    checkBoolean(p, join(path, "protect"), protect);

    const optional = (key: string, pattern: RegExp, allowed: string): string | undefined => {
        if (lb[key] === undefined) {
            return undefined;
        }
        checkPattern(p, join(path, key), lb[key], pattern, allowed);
        return lb[key] as string;
    };
    const existingArn = optional("existingArn", LoadBalancerArnPattern,
        "expected an application load balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>)");
    const existingListenerArn = optional("existingListenerArn", ListenerArnPattern,
        "expected a listener ARN of an application load balancer (...:listener/app/<name>/<lb-id>/<listener-id>)");
    const existingSecurityGroupId = optional("existingSecurityGroupId", SecurityGroupIdPattern, AllowedText.securityGroupId);
    if (existingArn === undefined) {
        p.check(existingListenerArn === undefined, join(path, "existingListenerArn"), existingListenerArn, "allowed only with loadBalancer.existingArn");
        p.check(existingSecurityGroupId === undefined, join(path, "existingSecurityGroupId"), existingSecurityGroupId,
            "allowed only with loadBalancer.existingArn");
    } else {
        p.check(existingSecurityGroupId !== undefined, join(path, "existingSecurityGroupId"), existingSecurityGroupId,
            "required with loadBalancer.existingArn: the adopted ALB's security group, which the clusters allow in");
        p.check(existingListenerArn !== undefined, join(path, "existingListenerArn"), existingListenerArn,
            "required with loadBalancer.existingArn: the rules go on one listener of the adopted ALB; creating listeners on :80 and :443 would collide with its own");
        if (existingListenerArn !== undefined && typeof existingArn === "string") {
            const lbPart = existingArn.split(":loadbalancer/")[1];
            p.check(existingListenerArn.includes(`:listener/${lbPart}/`), join(path, "existingListenerArn"), existingListenerArn,
                `expected a listener of loadBalancer.existingArn (${existingArn})`);
        }
    }

    const certificateArns = stringList(p, join(path, "certificateArns"), lb.certificateArns, CertificateArnPattern,
        "expected ACM certificate ARNs (arn:aws:acm:<region>:<account>:certificate/<id>)");
    if (existingListenerArn !== undefined) {
        p.check(certificateArns.length === 0, join(path, "certificateArns"), lb.certificateArns,
            "not allowed with loadBalancer.existingListenerArn: the adopted listener keeps its own certificates");
    }
    unique(p, join(path, "certificateArns"), certificateArns);
    const sslPolicy = lb.sslPolicy ?? Defaults.sslPolicy;
    p.check(typeof sslPolicy === "string" && /^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(sslPolicy), join(path, "sslPolicy"), sslPolicy,
        "expected an ELB security policy name such as \"ELBSecurityPolicy-TLS13-1-2-2021-06\"");

    const defaultCidrs = internal === true ? vpcCidrs : ["0.0.0.0/0"];
    const ingressCidrs = lb.ingressCidrs === undefined ? defaultCidrs
        : stringList(p, join(path, "ingressCidrs"), lb.ingressCidrs, CidrPattern, "expected IPv4 CIDRs such as \"203.0.113.0/24\"");
    unique(p, join(path, "ingressCidrs"), ingressCidrs);
    const ingressPrefixListIds = stringList(p, join(path, "ingressPrefixListIds"), lb.ingressPrefixListIds, PrefixListIdPattern,
        "expected managed prefix list IDs such as \"pl-0123456789abcdef0\"");
    unique(p, join(path, "ingressPrefixListIds"), ingressPrefixListIds);
    const idleTimeout = lb.idleTimeout ?? Defaults.idleTimeout;
    checkInt(p, join(path, "idleTimeout"), idleTimeout, 1, 4000, "an integer number of seconds");

    let accessLogs: LoadBalancerModel["accessLogs"];
    if (lb.accessLogs !== undefined) {
        const logsPath = join(path, "accessLogs");
        if (p.check(isRecord(lb.accessLogs), logsPath, lb.accessLogs, "expected { bucket, prefix }")) {
            const logs = lb.accessLogs as Record<string, unknown>;
            checkKnownKeys(p, logsPath, logs, ["bucket", "prefix"]);
            checkPattern(p, join(logsPath, "bucket"), logs.bucket, BucketPattern, "expected an S3 bucket name (3..63 lower-case letters, digits, '.', '-')");
            const prefix = logs.prefix ?? "";
            p.check(typeof prefix === "string" && !prefix.startsWith("/") && !prefix.endsWith("/") && !/AWSLogs/.test(prefix),
                join(logsPath, "prefix"), prefix, "expected a key prefix without leading or trailing '/' and without \"AWSLogs\"");
            accessLogs = { bucket: logs.bucket as string, prefix: prefix as string };
        }
    }
    if (existingArn !== undefined) {
        const adoptedName = existingArn.split("/")[2];
        p.check(lb.name === undefined || lb.name === adoptedName, join(path, "name"), lb.name,
            `expected the adopted ALB's own name (${adoptedName}) or nothing`);
        for (const key of ["internal", "idleTimeout", "accessLogs", "ingressCidrs", "ingressPrefixListIds"]) {
            p.check(lb[key] === undefined, join(path, key), lb[key],
                "not allowed with loadBalancer.existingArn: an adopted ALB is read-only; change it where it is managed");
        }
    }
    const effectiveName = existingArn !== undefined && LoadBalancerArnPattern.test(existingArn) ? existingArn.split("/")[2] : name;
    return {
        name: effectiveName as string, internal: internal as boolean, existingArn, existingListenerArn, existingSecurityGroupId, certificateArns,
        sslPolicy: sslPolicy as string, ingressCidrs, ingressPrefixListIds, idleTimeout: idleTimeout as number, accessLogs,
        protect: protect as boolean,
    };
}

function subnets(p: Problems, raw: unknown, adopted: boolean): string[] {
    if (adopted && raw === undefined) {
        return [];
    }
    const ids = stringList(p, "subnetIds", raw, SubnetIdPattern, AllowedText.subnetId);
    if (!adopted) {
        p.check(Array.isArray(raw) && raw.length >= 2, "subnetIds", raw,
            "expected at least 2 subnets in different Availability Zones (an ALB needs two)");
    }
    unique(p, "subnetIds", ids);
    return ids;
}

interface ClusterContext {
    albAccountId: string;
    partition: string;
    lbName: string;
    /** Every service name of the config (for `clusters.<key>.services`). */
    serviceNames: string[];
}

/** The cluster models, and each cluster's overrides of its target groups by service. */
interface ClusterModels {
    clusters: Record<string, ClusterModel>;
    overrides: Record<string, Record<string, SettingsLayer>>;
}

function clusterModels(p: Problems, raw: unknown, context: ClusterContext): ClusterModels {
    const { albAccountId, partition, lbName } = context;
    const result: ClusterModels = { clusters: {}, overrides: {} };
    if (!isRecord(raw) || Object.keys(raw).length === 0) {
        p.add("clusters", raw, "expected at least one cluster: { <key>: { accountId, weight } }");
        return result;
    }
    for (const [key, value] of Object.entries(raw)) {
        const path = join("clusters", key);
        const keyOk = p.check(KeyPattern.test(key) && key.length <= Limits.maxKeyLength, path, key,
            `cluster key: ${AllowedText.key}`);
        if (!p.check(isRecord(value), path, value, "expected { accountId, weight?, retiring?, services?, serviceOverrides?, previewSlot?, controllerRoleName?, externalId? }")
            || !keyOk) {
            continue;
        }
        const c = value as Record<string, unknown>;
        checkKnownKeys(p, path, c, ClusterKeys);
        checkAccountId(p, join(path, "accountId"), c.accountId);
        const retiring = c.retiring ?? false;
        checkBoolean(p, join(path, "retiring"), retiring);
        const weight = c.weight ?? Defaults.weight;
        if (checkInt(p, join(path, "weight"), weight, 0, Limits.maxWeight) && retiring === true) {
            p.check(weight === 0, join(path, "weight"), weight, `clusters.${key} is retiring and takes no traffic: expected 0 (or leave weight out)`);
        }
        const services = clusterServices(p, join(path, "services"), c.services, context.serviceNames);
        result.overrides[key] = overrideLayers(p, key, c.serviceOverrides, context.serviceNames, services);
        const previewSlot = c.previewSlot ?? derivedPreviewSlot(key);
        checkInt(p, join(path, "previewSlot"), previewSlot, 1, PriorityLayout.previewSlots);
        const controllerRoleName = c.controllerRoleName ?? defaultControllerRoleName(key);
        checkPattern(p, join(path, "controllerRoleName"), controllerRoleName, RoleNamePattern, AllowedText.roleName);
        const crossAccount = c.accountId !== albAccountId;
        let externalId: string | undefined;
        if (c.externalId !== undefined) {
            checkPattern(p, join(path, "externalId"), c.externalId, ExternalIdPattern, "expected 2 to 1224 characters of letters, digits and +=,.@:/_-");
            p.check(crossAccount, join(path, "externalId"), c.externalId,
                "allowed only for a cluster in another account than accountId (same-account clusters assume no role)");
            externalId = c.externalId as string;
        } else if (crossAccount) {
            externalId = defaultExternalId(albAccountId, lbName, key, String(c.accountId));
        }
        result.clusters[key] = {
            key, accountId: c.accountId as string, weight: retiring === true ? 0 : weight as number, crossAccount,
            controllerRoleName: controllerRoleName as string,
            controllerRoleArn: roleArn(partition, String(c.accountId), String(controllerRoleName)),
            registrarRoleName: crossAccount ? registrarRoleName(lbName, key) : undefined,
            externalId,
            services,
            previewSlot: previewSlot as number,
            retiring: retiring === true,
        };
    }
    return result;
}

/** `clusters.<key>.services`: known service names, at least one; absent means all of them. */
function clusterServices(p: Problems, path: string, raw: unknown, serviceNames: string[]): string[] {
    if (raw === undefined) {
        return [...serviceNames].sort();
    }
    const names = stringList(p, path, raw, KeyPattern, "expected service names");
    p.check(!Array.isArray(raw) || raw.length > 0, path, raw, "expected at least one service (leave services out for all of them, or remove the cluster)");
    unique(p, path, names);
    names.forEach((name, i) => p.check(serviceNames.includes(name), join(path, i), name,
        `expected one of the services: ${serviceNames.join(", ") || "(none)"}`));
    return [...new Set(names)].filter(n => serviceNames.includes(n)).sort();
}

function serviceModels(p: Problems, raw: unknown, fleet: ClusterModels, lb: LoadBalancerModel, vpcId: string): Record<string, ServiceModel> {
    const { clusters, overrides } = fleet;
    const result: Record<string, ServiceModel> = {};
    if (!isRecord(raw) || Object.keys(raw).length === 0) {
        p.add("services", raw, "expected at least one service: { <name>: { port, hosts | paths } }");
        return result;
    }
    const priorityOwners = new Map<number, string>();
    const conditionOwners = new Map<string, string>();
    for (const [name, value] of Object.entries(raw)) {
        const path = join("services", name);
        const nameOk = p.check(KeyPattern.test(name) && name.length <= Limits.maxKeyLength, path, name, `service name: ${AllowedText.key}`);
        if (!p.check(isRecord(value), path, value, "expected { port, protocol?, targetType?, hosts?, paths?, ... }") || !nameOk) {
            continue;
        }
        const s = value as Record<string, unknown>;
        checkKnownKeys(p, path, s, ServiceKeys);
        const own: SettingsLayer = { path, raw: s };
        const settings = resolveSettings(p, [own]);
        const { hosts, paths } = conditions(p, path, s);
        if (hosts.length + paths.length > 0) {
            const condition = JSON.stringify([[...hosts].map(h => h.toLowerCase()).sort(), [...paths].sort()]);
            const other = conditionOwners.get(condition);
            p.check(other === undefined, join(path, "hosts"), { hosts, paths },
                `expected conditions different from services.${other}'s: two rules with the same hosts and paths shadow each other`);
            conditionOwners.set(condition, name);
        }
        if (s.priority !== undefined) {
            if (checkInt(p, join(path, "priority"), s.priority, 1, PriorityLayout.explicitMax,
                "an integer (explicit priorities precede every derived one, which start at 1010)")) {
                const other = priorityOwners.get(s.priority as number);
                p.check(other === undefined, join(path, "priority"), s.priority, `expected a priority unique on the listener; services.${other} has it`);
                priorityOwners.set(s.priority as number, name);
            }
        }
        const serving = Object.values(clusters).filter(c => c.services.includes(name)).map(c => c.key).sort();
        const weights = serviceWeights(p, path, s.weights, clusters, name);

        const deregistrationDelay = s.deregistrationDelay ?? Defaults.deregistrationDelay;
        checkInt(p, join(path, "deregistrationDelay"), deregistrationDelay, 0, 3600, "an integer number of seconds");
        const slowStart = s.slowStart ?? Defaults.slowStart;
        p.check(slowStart === 0 || isIntIn(slowStart, 30, 900), join(path, "slowStart"), slowStart, "expected 0 (off) or an integer from 30 to 900 seconds");
        const stickinessDuration = stickiness(p, join(path, "stickiness"), s.stickiness);
        const targetGroups = targetGroupModels(p, {
            loadBalancerName: lb.name, vpcId, service: name, own, ownSettings: settings, clusters: serving,
            overrides: Object.fromEntries(serving.map(c => [c, overrides[c]?.[name]])),
        });
        result[name] = {
            name, ...settings, hosts, paths,
            priority: typeof s.priority === "number" ? s.priority : 0, explicitPriority: s.priority !== undefined, clusters: serving, weights,
            previewPriorities: {}, deregistrationDelay: deregistrationDelay as number, slowStart: slowStart as number,
            stickinessDuration, targetGroups,
        };
    }
    checkServiceLimits(p, result);
    return result;
}

/** Hosts and paths of a service, within the ALB's per-condition and per-rule limits. */
function conditions(p: Problems, path: string, s: Record<string, unknown>): { hosts: string[]; paths: string[] } {
    const hosts = stringList(p, join(path, "hosts"), s.hosts, HostPattern,
        "expected a host name of at most 128 letters, digits, '-', '.', '*' and '?', with a '.' followed by letters only at the end (\"shop.example.com\", \"*.example.com\")");
    const paths = stringList(p, join(path, "paths"), s.paths, PathPattern, "expected path patterns starting with '/' of at most 128 characters");
    unique(p, join(path, "hosts"), hosts.map(h => h.toLowerCase()));
    unique(p, join(path, "paths"), paths);
    paths.forEach((value, i) => p.check(literalCount(value) > 1 || wildcardCount(value) === 0, join(join(path, "paths"), i), value,
        "matches every path: leave paths out instead (a pattern needs a literal character after the leading '/')"));
    for (const [key, list] of [["hosts", hosts], ["paths", paths]] as const) {
        p.check(list.length <= Limits.valuesPerCondition, join(path, key), list,
            `expected at most ${Limits.valuesPerCondition} (values of one ALB rule condition)`);
    }
    p.check(hosts.length + paths.length <= Limits.conditionValuesPerRule, join(path, "hosts"), { hosts, paths },
        `expected at most ${Limits.conditionValuesPerRule} hosts and paths together (match evaluations per ALB rule)`);
    const wildcards = [...hosts, ...paths].reduce((n, v) => n + wildcardCount(v), 0);
    p.check(wildcards <= Limits.wildcardsPerRule, join(path, "hosts"), { hosts, paths },
        `expected at most ${Limits.wildcardsPerRule} wildcards ('*', '?') in hosts and paths together (per ALB rule); got ${wildcards}`);
    return { hosts, paths };
}

/**
 * Effective weights of the clusters that run a service: the cluster's
 * default, or `services.<name>.weights.<cluster>`. A weight for a cluster
 * that does not run the service is refused.
 */
function serviceWeights(p: Problems, path: string, raw: unknown, clusters: Record<string, ClusterModel>, service: string): Record<string, number> {
    const weights: Record<string, number> = {};
    for (const cluster of Object.values(clusters)) {
        if (cluster.services.includes(service)) {
            weights[cluster.key] = cluster.weight;
        }
    }
    if (raw === undefined || !p.check(isRecord(raw), join(path, "weights"), raw, "expected { <cluster>: weight }")) {
        return weights;
    }
    for (const [cluster, weight] of Object.entries(raw as Record<string, unknown>)) {
        const weightPath = join(join(path, "weights"), cluster);
        if (!p.check(clusters[cluster] !== undefined, weightPath, weight,
            `expected a weight for a known cluster; clusters are: ${Object.keys(clusters).join(", ") || "(none)"}`)) {
            continue;
        }
        if (!p.check(clusters[cluster].services.includes(service), weightPath, weight,
            `cluster ${cluster} does not run service ${service}: add ${service} to clusters.${cluster}.services, or drop the weight`)) {
            continue;
        }
        if (checkInt(p, weightPath, weight, 0, Limits.maxWeight)
            && p.check(weight === 0 || !clusters[cluster].retiring, weightPath, weight,
                `clusters.${cluster} is retiring and takes no traffic: expected 0 (or drop the weight)`)) {
            weights[cluster] = weight as number;
        }
    }
    return weights;
}

function stickiness(p: Problems, path: string, raw: unknown): number | undefined {
    if (raw === undefined || !p.check(isRecord(raw), path, raw, "expected { duration }")) {
        return undefined;
    }
    const stick = raw as Record<string, unknown>;
    checkKnownKeys(p, path, stick, ["duration"]);
    checkInt(p, join(path, "duration"), stick.duration, 1, 604800, "an integer number of seconds");
    return stick.duration as number;
}

/**
 * Limits across services: at most 5 clusters per service (every cluster that
 * runs it is in its forward action, weight 0 included), every target group
 * counted in the ALB's 100, and distinct target group names.
 */
function checkServiceLimits(p: Problems, services: Record<string, ServiceModel>): void {
    for (const s of Object.values(services)) {
        p.check(s.clusters.length <= Limits.targetGroupsPerForward, join(join("services", s.name), "weights"), s.weights,
            `expected at most ${Limits.targetGroupsPerForward} clusters running the service: every one is in its forward action, weight 0 included, `
            + `and a forward takes at most ${Limits.targetGroupsPerForward} target groups; narrow clusters.<key>.services`);
    }
    const attached = Object.values(services).reduce((n, s) => n + s.clusters.length, 0);
    p.check(attached <= Limits.targetGroupsPerLoadBalancer, "services", `${attached} target groups`,
        `expected at most ${Limits.targetGroupsPerLoadBalancer} target groups on one ALB (its quota; weight-0 ones count too); narrow clusters.<key>.services`);
    const names = new Map<string, string>();
    for (const s of Object.values(services)) {
        for (const [cluster, tg] of Object.entries(s.targetGroups)) {
            const other = names.get(tg.name);
            p.check(other === undefined, join(join("services", s.name), "port"), tg.port,
                `target group name ${tg.name} for cluster ${cluster} collides with ${other}; rename the service or cluster`);
            names.set(tg.name, `${cluster}/${s.name}`);
        }
    }
}

function stringList(p: Problems, path: string, raw: unknown, pattern: RegExp, allowed: string): string[] {
    if (raw === undefined) {
        return [];
    }
    if (!Array.isArray(raw)) {
        p.add(path, raw, `expected a list; ${allowed}`);
        return [];
    }
    raw.forEach((item, i) => checkPattern(p, join(path, i), item, pattern, allowed));
    return raw.filter((item): item is string => typeof item === "string");
}

function unique(p: Problems, path: string, values: string[]): void {
    const seen = new Set<string>();
    values.forEach((value, i) => {
        p.check(!seen.has(value), join(path, i), value, "expected no duplicates");
        seen.add(value);
    });
}

function stringMap(p: Problems, path: string, raw: unknown): Record<string, string> {
    if (raw === undefined) {
        return {};
    }
    if (!p.check(isRecord(raw), path, raw, "expected { <key>: <value> } of strings")) {
        return {};
    }
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        const ok = p.check(TagKeyPattern.test(key) && !key.startsWith("aws:"), join(path, key), key,
            "expected a tag key of 1..128 characters not starting with \"aws:\"")
            && p.check(typeof value === "string" && value.length <= 256, join(path, key), value, "expected a string of at most 256 characters");
        if (ok) {
            result[key] = value as string;
        }
    }
    return result;
}

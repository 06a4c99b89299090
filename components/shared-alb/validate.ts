import { Problems } from "../internal/errors";
import {
    AllowedText, KeyPattern, PrefixListIdPattern, RegionPattern, RoleNamePattern, SecurityGroupIdPattern,
    SubnetIdPattern, TargetType, TargetTypes, VpcIdPattern, checkAccountId, checkBoolean, checkInt, checkKnownKeys, checkOneOf, checkPattern,
    isIntIn, isRecord, join,
} from "../internal/validate";
import { VpcSharingModel, validateVpcSharing } from "./vpc-sharing";
import {
    MaxElbNameLength, defaultControllerRoleName, defaultExternalId, derivePriorities, partitionOf, registrarRoleName, roleArn,
    targetGroupName,
} from "./naming";

/** Target group protocols an ALB supports. */
export const TargetProtocols = ["HTTP", "HTTPS"] as const;
export type TargetProtocol = (typeof TargetProtocols)[number];

/** AWS limits and default quotas the model is checked against. */
export const Limits = {
    /** Target groups in one forward action. */
    targetGroupsPerForward: 5,
    maxWeight: 999,
    maxPriority: 50000,
    /** Default quota: rules per listener, not counting the default rule. */
    rulesPerListener: 100,
    /** Default quota: target groups one ALB's actions may reference. */
    targetGroupsPerLoadBalancer: 100,
    /** Condition values (hosts + paths) one rule may evaluate. */
    conditionValuesPerRule: 5,
    /** Cluster keys and service names end up in resource names. */
    maxKeyLength: 20,
} as const;

export const Defaults = {
    loadBalancerName: "shared-alb",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    idleTimeout: 60,
    weight: 0,
    protocol: "HTTP" as TargetProtocol,
    targetType: "ip" as TargetType,
    deregistrationDelay: 30,
    slowStart: 0,
    healthCheck: { path: "/", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
} as const;

/** A validated, defaulted model of the fleet: what `SharedAlb` builds. */
export interface FleetModel {
    accountId: string;
    region: string;
    partition: string;
    vpcId: string;
    vpcCidr: string;
    subnetIds: string[];
    loadBalancer: LoadBalancerModel;
    clusters: Record<string, ClusterModel>;
    services: Record<string, ServiceModel>;
    defaultService?: string;
    tags: Record<string, string>;
    /** Present when the network shares subnets with the cluster accounts through AWS RAM. */
    vpcSharing?: VpcSharingModel;
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
}

export interface HealthCheckModel {
    path: string;
    /** Absent: the traffic port. */
    port?: number;
    protocol: TargetProtocol;
    matcher: string;
    interval: number;
    timeout: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
}

export interface ServiceModel {
    name: string;
    port: number;
    protocol: TargetProtocol;
    targetType: TargetType;
    hosts: string[];
    paths: string[];
    priority: number;
    /** Effective weight of every cluster (0 included). */
    weights: Record<string, number>;
    healthCheck: HealthCheckModel;
    deregistrationDelay: number;
    slowStart: number;
    stickinessDuration?: number;
    /** Physical target group name per cluster key. */
    targetGroupNames: Record<string, string>;
}

const ElbNamePattern = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
const CidrPattern = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const CertificateArnPattern = /^arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:\d{12}:(certificate|server-certificate)\/.+$/;
const LoadBalancerArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[0-9a-f]+$/;
const ListenerArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[A-Za-z0-9-]+\/[0-9a-f]+\/[0-9a-f]+$/;
const ExternalIdPattern = /^[\w+=,.@:/-]{2,1224}$/;
const HostPattern = /^[A-Za-z0-9*?.-]{1,128}$/;
const PathPattern = /^\/[A-Za-z0-9_\-.$/~"'@:+&()!,;=*?%]{0,127}$/;
const MatcherPattern = /^([1-5]\d\d)((-[1-5]\d\d)|(,[1-5]\d\d)*)$/;
const BucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TagKeyPattern = /^.{1,128}$/s;

const TopKeys = ["accountId", "region", "vpcId", "vpcCidr", "subnetIds", "loadBalancer", "clusters", "services", "defaultService", "tags",
    "vpcSharing"];
const LoadBalancerKeys = ["name", "internal", "existingArn", "existingListenerArn", "existingSecurityGroupId", "certificateArns",
    "sslPolicy", "ingressCidrs", "ingressPrefixListIds", "idleTimeout", "accessLogs", "protect"];
const ClusterKeys = ["accountId", "weight", "controllerRoleName", "externalId"];
const ServiceKeys = ["port", "protocol", "targetType", "hosts", "paths", "priority", "weights", "healthCheck", "deregistrationDelay",
    "slowStart", "stickiness"];
const HealthCheckKeys = ["path", "port", "protocol", "matcher", "interval", "timeout", "healthyThreshold", "unhealthyThreshold"];

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
        p.add("(root)", raw, "expected an object with accountId, vpcId, vpcCidr, subnetIds, clusters and services");
        p.throwIfAny();
    }
    const args = raw as Record<string, unknown>;
    checkKnownKeys(p, "", args, TopKeys);

    checkAccountId(p, "accountId", args.accountId);
    const region = args.region ?? fallbackRegion;
    checkPattern(p, "region", region, RegionPattern, `${AllowedText.region}; set it or the aws:region config`);
    checkPattern(p, "vpcId", args.vpcId, VpcIdPattern, AllowedText.vpcId);
    checkPattern(p, "vpcCidr", args.vpcCidr, CidrPattern, "expected an IPv4 CIDR such as \"10.0.0.0/16\"");

    const lb = loadBalancer(p, args.loadBalancer, args.vpcCidr);
    const subnetIds = subnets(p, args.subnetIds, lb.existingArn !== undefined);

    const accountId = String(args.accountId);
    const partition = partitionOf(typeof region === "string" ? region : "");
    const clusters = clusterModels(p, args.clusters, accountId, partition, lb.name);
    const services = serviceModels(p, args.services, clusters, lb, String(args.vpcId));

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
    const tags = stringMap(p, "tags", args.tags);
    const vpcSharing = validateVpcSharing(p, args.vpcSharing, accountId, Object.values(clusters).map(c => c.accountId), `${lb.name}-subnets`);

    p.throwIfAny();
    return {
        accountId, region: region as string, partition, vpcId: args.vpcId as string, vpcCidr: args.vpcCidr as string, subnetIds,
        loadBalancer: lb, clusters, services, defaultService, tags, vpcSharing,
    };
}

function loadBalancer(p: Problems, raw: unknown, vpcCidr: unknown): LoadBalancerModel {
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

    const defaultCidrs = internal === true ? [vpcCidr as string] : ["0.0.0.0/0"];
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

function clusterModels(p: Problems, raw: unknown, albAccountId: string, partition: string, lbName: string): Record<string, ClusterModel> {
    const result: Record<string, ClusterModel> = {};
    if (!isRecord(raw) || Object.keys(raw).length === 0) {
        p.add("clusters", raw, "expected at least one cluster: { <key>: { accountId, weight } }");
        return result;
    }
    for (const [key, value] of Object.entries(raw)) {
        const path = join("clusters", key);
        const keyOk = p.check(KeyPattern.test(key) && key.length <= Limits.maxKeyLength, path, key,
            `cluster key: ${AllowedText.key}`);
        if (!p.check(isRecord(value), path, value, "expected { accountId, weight, controllerRoleName?, externalId? }") || !keyOk) {
            continue;
        }
        const c = value as Record<string, unknown>;
        checkKnownKeys(p, path, c, ClusterKeys);
        checkAccountId(p, join(path, "accountId"), c.accountId);
        const weight = c.weight ?? Defaults.weight;
        checkInt(p, join(path, "weight"), weight, 0, Limits.maxWeight);
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
        result[key] = {
            key, accountId: c.accountId as string, weight: weight as number, crossAccount,
            controllerRoleName: controllerRoleName as string,
            controllerRoleArn: roleArn(partition, String(c.accountId), String(controllerRoleName)),
            registrarRoleName: crossAccount ? registrarRoleName(lbName, key) : undefined,
            externalId,
        };
    }
    return result;
}

function serviceModels(p: Problems, raw: unknown, clusters: Record<string, ClusterModel>, lb: LoadBalancerModel,
    vpcId: string): Record<string, ServiceModel> {
    const result: Record<string, ServiceModel> = {};
    if (!isRecord(raw) || Object.keys(raw).length === 0) {
        p.add("services", raw, "expected at least one service: { <name>: { port, hosts | paths } }");
        return result;
    }
    const explicit: Record<string, number | undefined> = {};
    const priorityOwners = new Map<number, string>();
    const conditionOwners = new Map<string, string>();
    const entries = Object.entries(raw);
    p.check(entries.length <= Limits.rulesPerListener, "services", `${entries.length} services`,
        `expected at most ${Limits.rulesPerListener} services: one listener rule each, and ${Limits.rulesPerListener} rules per listener is the ALB quota`);
    for (const [name, value] of entries) {
        const path = join("services", name);
        const nameOk = p.check(KeyPattern.test(name) && name.length <= Limits.maxKeyLength, path, name, `service name: ${AllowedText.key}`);
        if (!p.check(isRecord(value), path, value, "expected { port, protocol?, targetType?, hosts?, paths?, ... }") || !nameOk) {
            continue;
        }
        const s = value as Record<string, unknown>;
        checkKnownKeys(p, path, s, ServiceKeys);
        checkInt(p, join(path, "port"), s.port, 1, 65535, "an integer port");
        const protocol = s.protocol ?? Defaults.protocol;
        checkOneOf(p, join(path, "protocol"), protocol, TargetProtocols);
        const targetType = s.targetType ?? Defaults.targetType;
        checkOneOf(p, join(path, "targetType"), targetType, TargetTypes);
        const hosts = stringList(p, join(path, "hosts"), s.hosts, HostPattern,
            "expected host names of at most 128 letters, digits, '-', '.', '*' and '?'");
        const paths = stringList(p, join(path, "paths"), s.paths, PathPattern, "expected path patterns starting with '/' of at most 128 characters");
        unique(p, join(path, "hosts"), hosts);
        unique(p, join(path, "paths"), paths);
        p.check(hosts.length + paths.length <= Limits.conditionValuesPerRule, join(path, "hosts"), { hosts, paths },
            `expected at most ${Limits.conditionValuesPerRule} hosts and paths together (match evaluations per ALB rule)`);
        if (hosts.length + paths.length > 0) {
            const condition = JSON.stringify([[...hosts].sort(), [...paths].sort()]);
            const other = conditionOwners.get(condition);
            p.check(other === undefined, join(path, "hosts"), { hosts, paths },
                `expected conditions different from services.${other}'s: two rules with the same hosts and paths shadow each other`);
            conditionOwners.set(condition, name);
        }
        if (s.priority !== undefined) {
            if (checkInt(p, join(path, "priority"), s.priority, 1, Limits.maxPriority)) {
                const other = priorityOwners.get(s.priority as number);
                p.check(other === undefined, join(path, "priority"), s.priority, `expected a priority unique on the listener; services.${other} has it`);
                priorityOwners.set(s.priority as number, name);
            }
        }
        explicit[name] = s.priority as number | undefined;

        const weights: Record<string, number> = {};
        for (const cluster of Object.values(clusters)) {
            weights[cluster.key] = cluster.weight;
        }
        if (s.weights !== undefined) {
            if (p.check(isRecord(s.weights), join(path, "weights"), s.weights, "expected { <cluster>: weight }")) {
                for (const [cluster, weight] of Object.entries(s.weights as Record<string, unknown>)) {
                    const weightPath = join(join(path, "weights"), cluster);
                    if (p.check(clusters[cluster] !== undefined, weightPath, weight,
                        `expected a weight for a known cluster; clusters are: ${Object.keys(clusters).join(", ") || "(none)"}`)) {
                        if (checkInt(p, weightPath, weight, 0, Limits.maxWeight)) {
                            weights[cluster] = weight as number;
                        }
                    }
                }
            }
        }
        const weighted = Object.entries(weights).filter(([, w]) => w > 0);
        p.check(weighted.length <= Limits.targetGroupsPerForward, join(path, "weights"), Object.fromEntries(weighted),
            `expected at most ${Limits.targetGroupsPerForward} clusters with a weight above 0 (target groups per forward action); set the others to 0`);

        const healthCheck = healthCheckModel(p, join(path, "healthCheck"), s.healthCheck, protocol as TargetProtocol);
        const deregistrationDelay = s.deregistrationDelay ?? Defaults.deregistrationDelay;
        checkInt(p, join(path, "deregistrationDelay"), deregistrationDelay, 0, 3600, "an integer number of seconds");
        const slowStart = s.slowStart ?? Defaults.slowStart;
        p.check(slowStart === 0 || isIntIn(slowStart, 30, 900), join(path, "slowStart"), slowStart, "expected 0 (off) or an integer from 30 to 900 seconds");
        let stickinessDuration: number | undefined;
        if (s.stickiness !== undefined) {
            const stickPath = join(path, "stickiness");
            if (p.check(isRecord(s.stickiness), stickPath, s.stickiness, "expected { duration }")) {
                const stick = s.stickiness as Record<string, unknown>;
                checkKnownKeys(p, stickPath, stick, ["duration"]);
                checkInt(p, join(stickPath, "duration"), stick.duration, 1, 604800, "an integer number of seconds");
                stickinessDuration = stick.duration as number;
            }
        }
        const targetGroupNames: Record<string, string> = {};
        for (const cluster of Object.keys(clusters)) {
            targetGroupNames[cluster] = targetGroupName({
                loadBalancerName: lb.name, cluster, service: name, vpcId, port: s.port as number,
                protocol: protocol as string, targetType: targetType as string,
            });
        }
        result[name] = {
            name, port: s.port as number, protocol: protocol as TargetProtocol, targetType: targetType as TargetType, hosts, paths,
            priority: 0, weights, healthCheck, deregistrationDelay: deregistrationDelay as number, slowStart: slowStart as number,
            stickinessDuration, targetGroupNames,
        };
    }
    const referenced = Object.values(result).reduce((n, s) => n + Object.values(s.weights).filter(w => w > 0).length, 0);
    p.check(referenced <= Limits.targetGroupsPerLoadBalancer, "services", `${referenced} weighted target groups`,
        `expected at most ${Limits.targetGroupsPerLoadBalancer} target groups receiving weight on one ALB (its quota); set more weights to 0`);
    const names = new Map<string, string>();
    for (const s of Object.values(result)) {
        for (const [cluster, tgName] of Object.entries(s.targetGroupNames)) {
            const other = names.get(tgName);
            p.check(other === undefined, join(join("services", s.name), "port"), s.port,
                `target group name ${tgName} for cluster ${cluster} collides with ${other}; rename the service or cluster`);
            names.set(tgName, `${cluster}/${s.name}`);
        }
    }
    const priorities = derivePriorities(explicit);
    for (const s of Object.values(result)) {
        s.priority = priorities[s.name];
    }
    return result;
}

function healthCheckModel(p: Problems, path: string, raw: unknown, protocol: TargetProtocol): HealthCheckModel {
    if (raw !== undefined && !isRecord(raw)) {
        p.add(path, raw, "expected { path, port, protocol, matcher, interval, timeout, healthyThreshold, unhealthyThreshold }");
    }
    const hc = isRecord(raw) ? raw : {};
    checkKnownKeys(p, path, hc, HealthCheckKeys);
    const d = Defaults.healthCheck;
    const model: HealthCheckModel = {
        path: (hc.path ?? d.path) as string,
        port: hc.port as number | undefined,
        protocol: (hc.protocol ?? protocol) as TargetProtocol,
        matcher: (hc.matcher === undefined ? d.matcher : typeof hc.matcher === "number" ? String(hc.matcher) : hc.matcher) as string,
        interval: (hc.interval ?? d.interval) as number,
        timeout: (hc.timeout ?? d.timeout) as number,
        healthyThreshold: (hc.healthyThreshold ?? d.healthyThreshold) as number,
        unhealthyThreshold: (hc.unhealthyThreshold ?? d.unhealthyThreshold) as number,
    };
    checkPattern(p, join(path, "path"), model.path, PathPattern, "expected a path starting with '/' of at most 128 characters");
    if (model.port !== undefined) {
        checkInt(p, join(path, "port"), model.port, 1, 65535, "an integer port (omit it for the traffic port)");
    }
    if (hc.protocol !== undefined) {
        checkOneOf(p, join(path, "protocol"), model.protocol, TargetProtocols);
    }
    checkPattern(p, join(path, "matcher"), model.matcher, MatcherPattern, "expected HTTP codes 100..599 as \"200\", \"200-299\" or \"200,204\"");
    const intervalOk = checkInt(p, join(path, "interval"), model.interval, 5, 300, "an integer number of seconds");
    if (checkInt(p, join(path, "timeout"), model.timeout, 2, 120, "an integer number of seconds") && intervalOk) {
        p.check(model.timeout < model.interval, join(path, "timeout"), model.timeout,
            `expected a timeout below the interval (${model.interval} s)`);
    }
    checkInt(p, join(path, "healthyThreshold"), model.healthyThreshold, 2, 10);
    checkInt(p, join(path, "unhealthyThreshold"), model.unhealthyThreshold, 2, 10);
    return model;
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

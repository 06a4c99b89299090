/**
 * Validation and defaulting of `ClusterAttachmentArgs`. Pure: no Pulumi
 * runtime; values that are Pulumi outputs are skipped here and checked by
 * `checkClusterFacts` once known.
 */
import { Problems } from "../internal/errors";
import {
    AllowedText, checkAccountId, checkBoolean, checkInt, checkKnownKeys, checkOneOf, checkPattern,
    Dns1123LabelPattern, Dns1123SubdomainPattern, isIntIn, isRecord, join, KeyPattern, PortNamePattern,
    RegionPattern, SecurityGroupIdPattern, TargetType, TargetTypes, VpcIdPattern,
} from "../internal/validate";
import { ClusterAttachmentArgs, IpAddressTypes, SecurityGroupMode, SecurityGroupModes, TargetGroupProtocols } from "./args";
import { ChartValueKeys, DefaultControllerResources, ManagedValueKeys, ResourceList } from "./helm-values";
import { NodePortRange } from "./manifests";
import { parseRoleArn } from "./policy";
import { chartRequirements, ChartVersionPattern, compareVersions, ControllerChart } from "./versions";

export const ClusterAttachmentArgKeys = [
    "clusterName", "oidcProviderArn", "oidcIssuer", "vpcId", "region", "cluster", "albSecurityGroupId", "bindings",
    "controller", "securityGroupMode", "nodeSecurityGroupIds", "multiClusterTargetGroup", "sharedVpc",
    "applyToCluster", "labelNamespaces", "createNamespaces", "retainNamespaces", "manageCrd", "tags",
] as const;
export const BindingKeys = ["namespace", "service", "port", "portName", "targetPort", "name", "ipAddressType"] as const;
export const ControllerKeys = [
    "install", "createRole", "roleArn", "chartVersion", "namespace", "serviceAccountName", "releaseName", "replicas",
    "resources", "extraValues", "additionalPolicyJson",
] as const;

export const ControllerDefaults = {
    namespace: "kube-system",
    serviceAccountName: "aws-load-balancer-controller",
    releaseName: "aws-load-balancer-controller",
    replicas: 2,
} as const;

/** Longest cluster name for a cross-account cluster: `AWS-LBC-` + name within STS's 64 characters. */
export const MaxCrossAccountClusterName = 56;
/** EKS cluster names: 1..100, starting alphanumeric. */
export const ClusterNamePattern = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** Issuer: host and path, with or without `https://`. */
export const IssuerPattern = /^(https:\/\/)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[A-Za-z0-9._~-]+)*\/?$/;
export const OidcProviderArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[a-z0-9].*$/;
export const TargetGroupArnPattern = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
export const RoleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
/** A Kubernetes quantity such as `100m`, `128Mi`, `0.5`. */
export const QuantityPattern = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
/** Helm release names: DNS-1123 label of at most 53 characters. */
export const ReleaseNamePattern = /^(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface ResolvedBinding {
    /** The network's service name (the map key). */
    key: string;
    namespace: string;
    serviceName: string;
    servicePort: number | string;
    tgbName: string;
    ipAddressType: "ipv4" | "ipv6";
    targetType: TargetType;
    /** The target group's protocol (`spec.targetGroupProtocol`). */
    protocol: "HTTP" | "HTTPS";
    /** Ports the ALB sends traffic to on the nodes/pods (`rules` mode). */
    fromPort: number;
    toPort: number;
    /** The target group's own health-check port, when it is not the traffic port. */
    healthCheckPort?: number;
    /** The port in `networking.ingress` (`controller` mode). */
    networkingPort?: number;
}

export interface ResolvedController {
    install: boolean;
    createRole: boolean;
    roleArn?: string;
    chartVersion: string;
    namespace: string;
    serviceAccountName: string;
    releaseName: string;
    replicas: number;
    resources: { requests?: ResourceList; limits?: ResourceList };
    extraValues: Record<string, unknown>;
    additionalPolicyJson?: string;
}

export interface ResolvedAttachment {
    accountId: string;
    crossAccount: boolean;
    /** The controller role, as the network stack named it. */
    role: { name: string; path: string; arn: string };
    registrarRoleArn?: string;
    securityGroupMode: SecurityGroupMode;
    nodeSecurityGroupKeys: string[];
    multiClusterTargetGroup: boolean;
    sharedVpc: boolean;
    applyToCluster: boolean;
    labelNamespaces: boolean;
    createNamespaces: boolean;
    retainNamespaces: boolean;
    manageCrd: boolean;
    bindings: Record<string, ResolvedBinding>;
    controller: ResolvedController;
    tags: Record<string, string>;
}

/**
 * Checks every plain value of the args and returns them with defaults
 * applied; throws `ConfigErrors` naming every problem (path, value, allowed).
 * `root` prefixes every path (`alb-fleet:cluster` in the cluster stack).
 */
export function validateClusterAttachmentArgs(args: ClusterAttachmentArgs, root = ""): ResolvedAttachment {
    const problems = new Problems();
    const resolved = collectClusterAttachmentArgs(problems, args, root);
    problems.throwIfAny();
    return resolved!;
}

/** Like `validateClusterAttachmentArgs`, but adds to the caller's problems; undefined when any was found. */
export function collectClusterAttachmentArgs(problems: Problems, args: ClusterAttachmentArgs, root: string): ResolvedAttachment | undefined {
    const before = problems.count;
    const p = (...keys: string[]) => keys.reduce((acc, k) => join(acc, k), root);
    if (!isRecord(args)) {
        problems.add(root || "args", args, "expected an object of ClusterAttachmentArgs");
        return undefined;
    }
    checkKnownKeys(problems, root, args as unknown as Record<string, unknown>, ClusterAttachmentArgKeys);

    // The network's entry for this cluster.
    const cluster = args.cluster as unknown;
    let accountId = "";
    let crossAccount = false;
    let role: ResolvedAttachment["role"] = { name: "", path: "/", arn: "" };
    let registrarRoleArn: string | undefined;
    const targetGroups: Record<string, { port: number; targetType: TargetType; protocol: "HTTP" | "HTTPS"; healthCheckPort?: number; nodePort?: number }> = {};
    if (!isRecord(cluster)) {
        problems.add(p("cluster"), cluster, "expected this cluster's entry of the network outputs (accountId, controllerRoleArn, targetGroups...)");
    } else {
        // No unknown-key check: the network outputs contract may grow (weight, ...).
        if (checkAccountId(problems, p("cluster", "accountId"), cluster.accountId)) {
            accountId = cluster.accountId as string;
        }
        const parsed = typeof cluster.controllerRoleArn === "string" ? parseRoleArn(cluster.controllerRoleArn) : undefined;
        if (problems.check(parsed !== undefined, p("cluster", "controllerRoleArn"), cluster.controllerRoleArn,
            "expected an IAM role ARN such as \"arn:aws:iam::222222222222:role/shared-alb-lbc-blue\"")) {
            role = { name: parsed!.name, path: parsed!.path, arn: cluster.controllerRoleArn as string };
            if (accountId !== "") {
                problems.check(parsed!.accountId === accountId, p("cluster", "controllerRoleArn"), cluster.controllerRoleArn,
                    `expected a role in the cluster's account ${accountId}`);
            }
        }
        if (cluster.registrarRoleArn !== undefined) {
            crossAccount = true;
            const reg = typeof cluster.registrarRoleArn === "string" ? parseRoleArn(cluster.registrarRoleArn) : undefined;
            if (problems.check(reg !== undefined, p("cluster", "registrarRoleArn"), cluster.registrarRoleArn,
                "expected the registrar role ARN in the network account")) {
                registrarRoleArn = cluster.registrarRoleArn as string;
                if (accountId !== "") {
                    problems.check(reg!.accountId !== accountId, p("cluster", "registrarRoleArn"), cluster.registrarRoleArn,
                        `expected a role in the network account, not in the cluster's own account ${accountId}`);
                }
            }
        } else if (cluster.externalId !== undefined) {
            problems.add(p("cluster", "externalId"), cluster.externalId, "an external ID needs a registrarRoleArn (cross-account clusters only)");
        }
        if (cluster.externalId !== undefined && typeof cluster.externalId === "string") {
            problems.check(/^[\w+=,.@:/-]{2,1224}$/.test(cluster.externalId), p("cluster", "externalId"), cluster.externalId,
                "expected 2 to 1224 letters, digits and +=,.@:/-");
        }
        if (!isRecord(cluster.targetGroups)) {
            problems.add(p("cluster", "targetGroups"), cluster.targetGroups, "expected the cluster's target groups keyed by service");
        } else {
            for (const [svc, tg] of Object.entries(cluster.targetGroups)) {
                const tp = p("cluster", "targetGroups", svc);
                if (!isRecord(tg)) {
                    problems.add(tp, tg, "expected { arn, port, protocol, targetType }");
                    continue;
                }
                if (typeof tg.arn === "string") {
                    checkPattern(problems, join(tp, "arn"), tg.arn, TargetGroupArnPattern, "expected a target group ARN");
                } else if (tg.arn === undefined) {
                    problems.add(join(tp, "arn"), tg.arn, "expected a target group ARN");
                }
                const portOk = checkInt(problems, join(tp, "port"), tg.port, 1, 65535, "an integer port");
                const protocolOk = checkOneOf(problems, join(tp, "protocol"), tg.protocol, TargetGroupProtocols);
                const typeOk = checkOneOf(problems, join(tp, "targetType"), tg.targetType, TargetTypes);
                const hcOk = tg.healthCheckPort === undefined || checkInt(problems, join(tp, "healthCheckPort"), tg.healthCheckPort, 1, 65535, "an integer port");
                const nodePortOk = tg.nodePort === undefined
                    || checkInt(problems, join(tp, "nodePort"), tg.nodePort, NodePortRange.from, NodePortRange.to, "a NodePort");
                if (portOk && protocolOk && typeOk && hcOk && nodePortOk) {
                    targetGroups[svc] = {
                        port: tg.port as number, targetType: tg.targetType as TargetType, protocol: tg.protocol as "HTTP" | "HTTPS",
                        healthCheckPort: tg.healthCheckPort as number | undefined, nodePort: tg.nodePort as number | undefined,
                    };
                }
            }
        }
    }

    // Options.
    const securityGroupMode: SecurityGroupMode = args.securityGroupMode === undefined ? "rules"
        : (checkOneOf(problems, p("securityGroupMode"), args.securityGroupMode, SecurityGroupModes) ? args.securityGroupMode as SecurityGroupMode : "rules");
    const bool = (key: keyof ClusterAttachmentArgs, fallback: boolean): boolean => {
        const v = args[key];
        if (v === undefined) {
            return fallback;
        }
        return checkBoolean(problems, p(key), v) ? v as boolean : fallback;
    };
    const multiClusterTargetGroup = bool("multiClusterTargetGroup", false);
    const sharedVpc = bool("sharedVpc", crossAccount);
    const applyToCluster = bool("applyToCluster", true);
    const labelNamespaces = bool("labelNamespaces", true);
    const createNamespaces = bool("createNamespaces", false);
    const retainNamespaces = bool("retainNamespaces", true);
    if (args.retainNamespaces !== undefined && !createNamespaces) {
        problems.add(p("retainNamespaces"), args.retainNamespaces, "only namespaces this component creates can be kept or deleted: set createNamespaces true, or drop retainNamespaces");
    }

    const nodeSecurityGroupKeys: string[] = [];
    if (args.nodeSecurityGroupIds !== undefined && !isRecord(args.nodeSecurityGroupIds)) {
        problems.add(p("nodeSecurityGroupIds"), args.nodeSecurityGroupIds, "expected security group IDs keyed by a stable name, e.g. { nodes: \"sg-0123456789abcdef0\" }");
    } else {
        for (const [k, v] of Object.entries(args.nodeSecurityGroupIds ?? {})) {
            const ok = checkPattern(problems, p("nodeSecurityGroupIds", k), k, KeyPattern, "expected a key of lower-case letters, digits and inner hyphens");
            if (typeof v === "string" || v === undefined || v === null) {
                checkPattern(problems, p("nodeSecurityGroupIds", k), v, SecurityGroupIdPattern, AllowedText.securityGroupId);
            }
            if (ok) {
                nodeSecurityGroupKeys.push(k);
            }
        }
        if (securityGroupMode !== "none" && Object.keys(args.nodeSecurityGroupIds ?? {}).length === 0) {
            problems.add(p("nodeSecurityGroupIds"), args.nodeSecurityGroupIds,
                `securityGroupMode "${securityGroupMode}" needs the nodes' security groups; give at least one, or set securityGroupMode "none"`);
        }
    }

    // Bindings.
    const bindings: Record<string, ResolvedBinding> = {};
    if (!isRecord(args.bindings) || Object.keys(args.bindings).length === 0) {
        problems.add(p("bindings"), args.bindings, "expected at least one binding { <service>: { namespace, service, port } }");
    } else {
        const names = new Map<string, string>();
        for (const [key, b] of Object.entries(args.bindings)) {
            const bp = p("bindings", key);
            const tg = targetGroups[key];
            if (isRecord(cluster) && isRecord(cluster.targetGroups) && !(key in cluster.targetGroups)) {
                const known = Object.keys(cluster.targetGroups).sort();
                problems.add(bp, key, `this cluster has no target group for service "${key}" (it does not run it: see clusters.<key>.services of the network); `
                    + `expected one of ${known.map(k => JSON.stringify(k)).join(", ") || "(none)"}`);
                continue;
            }
            if (!isRecord(b)) {
                problems.add(bp, b, "expected { namespace, service, port } or { namespace, service, portName }");
                continue;
            }
            checkKnownKeys(problems, bp, b, BindingKeys);
            const nsOk = checkPattern(problems, join(bp, "namespace"), b.namespace, Dns1123LabelPattern, AllowedText.dns1123Label);
            const svcOk = checkPattern(problems, join(bp, "service"), b.service, Dns1123LabelPattern, AllowedText.dns1123Label);
            let servicePort: number | string | undefined;
            if (b.port !== undefined && b.portName !== undefined) {
                problems.add(join(bp, "portName"), b.portName, "give either port or portName, not both");
            } else if (b.port !== undefined) {
                if (checkInt(problems, join(bp, "port"), b.port, 1, 65535, "an integer port")) {
                    servicePort = b.port as number;
                }
            } else if (b.portName !== undefined) {
                if (checkPattern(problems, join(bp, "portName"), b.portName, PortNamePattern,
                    "expected a port name: at most 15 lower-case letters, digits and inner hyphens, with at least one letter")) {
                    servicePort = b.portName as string;
                }
            } else {
                problems.add(join(bp, "port"), undefined, "expected the Service port: port (1 to 65535) or portName");
            }
            let targetPort: number | undefined;
            if (b.targetPort !== undefined && checkInt(problems, join(bp, "targetPort"), b.targetPort, 1, 65535, "an integer port")) {
                targetPort = b.targetPort as number;
            }
            const tgbName = b.name === undefined ? `shared-alb-${key}` : b.name;
            const nameOk = b.name === undefined
                ? checkPattern(problems, bp, tgbName, Dns1123SubdomainPattern, "the binding key makes an invalid TargetGroupBinding name; set name")
                : checkPattern(problems, join(bp, "name"), b.name, Dns1123SubdomainPattern, AllowedText.dns1123Subdomain);
            if (nameOk && nsOk) {
                const id = `${b.namespace}/${tgbName}`;
                const other = names.get(id);
                problems.check(other === undefined, b.name === undefined ? bp : join(bp, "name"), tgbName,
                    `binding "${other}" already uses the TargetGroupBinding name ${JSON.stringify(tgbName)} in namespace ${JSON.stringify(b.namespace)}`);
                names.set(id, key);
            }
            let ipAddressType: "ipv4" | "ipv6" = "ipv4";
            if (b.ipAddressType !== undefined && checkOneOf(problems, join(bp, "ipAddressType"), b.ipAddressType, IpAddressTypes)) {
                ipAddressType = b.ipAddressType as "ipv4" | "ipv6";
            }
            if (tg === undefined) {
                continue;
            }
            if (crossAccount && tg.targetType === "instance") {
                problems.add(p("cluster", "targetGroups", key, "targetType"), tg.targetType,
                    "a cross-account cluster must use \"ip\" targets: the controller's webhook rejects instance targets with iamRoleArnToAssume");
            }
            let fromPort: number;
            let toPort: number;
            let networkingPort: number | undefined;
            const fixedPort = tg.targetType === "ip" ? (targetPort ?? tg.port) : (targetPort ?? tg.nodePort);
            if (fixedPort !== undefined) {
                fromPort = toPort = networkingPort = fixedPort;
            } else {
                fromPort = NodePortRange.from;
                toPort = NodePortRange.to;
                if (securityGroupMode === "controller") {
                    problems.add(join(bp, "targetPort"), undefined,
                        "instance targets in securityGroupMode \"controller\" need the Service's NodePort as targetPort (or services.<name>.nodePort in the network)");
                }
            }
            if (nsOk && svcOk && servicePort !== undefined) {
                bindings[key] = {
                    key, namespace: b.namespace as string, serviceName: b.service as string, servicePort, tgbName, ipAddressType,
                    targetType: tg.targetType, protocol: tg.protocol, fromPort, toPort, networkingPort,
                    healthCheckPort: tg.healthCheckPort !== undefined && tg.healthCheckPort !== fixedPort ? tg.healthCheckPort : undefined,
                };
            }
        }
    }

    const controller = collectController(problems, args.controller, p("controller"), { crossAccount, sharedVpc });
    const manageCrd = bool("manageCrd", controller?.install ?? true);
    if (manageCrd && controller !== undefined && !controller.install) {
        problems.add(p("manageCrd"), args.manageCrd, "the CRD is managed only with controller.install true; an existing controller's CRD is its installer's");
    }

    const tags: Record<string, string> = {};
    if (args.tags !== undefined) {
        if (!isRecord(args.tags)) {
            problems.add(p("tags"), args.tags, "expected a map of tag names to string values");
        } else {
            for (const [k, v] of Object.entries(args.tags)) {
                if (problems.check(typeof v === "string" && k.length >= 1 && k.length <= 128 && v.length <= 256, p("tags", k), v,
                    "expected a string value of at most 256 characters (tag keys 1 to 128)")) {
                    tags[k] = v as string;
                }
            }
        }
    }

    checkClusterFacts(problems, {
        clusterName: args.clusterName, oidcProviderArn: args.oidcProviderArn, oidcIssuer: args.oidcIssuer,
        vpcId: args.vpcId, region: args.region, albSecurityGroupId: args.albSecurityGroupId,
    }, { crossAccount, accountId }, root);

    if (problems.count > before || controller === undefined) {
        return undefined;
    }
    return {
        accountId, crossAccount, role, registrarRoleArn, securityGroupMode, nodeSecurityGroupKeys: nodeSecurityGroupKeys.sort(),
        multiClusterTargetGroup, sharedVpc, applyToCluster, labelNamespaces, createNamespaces, retainNamespaces, manageCrd, bindings,
        controller, tags,
    };
}

function collectController(problems: Problems, c: unknown, path: string, mode: { crossAccount: boolean; sharedVpc: boolean }): ResolvedController | undefined {
    const before = problems.count;
    if (c !== undefined && !isRecord(c)) {
        problems.add(path, c, "expected controller options { install, chartVersion, namespace, ... }");
        return undefined;
    }
    const o = (c ?? {}) as Record<string, unknown>;
    checkKnownKeys(problems, path, o, ControllerKeys);
    const bool = (k: string, d: boolean) => o[k] === undefined ? d : (checkBoolean(problems, join(path, k), o[k]) ? o[k] as boolean : d);
    const install = bool("install", true);
    const createRole = bool("createRole", true);
    let roleArn: string | undefined;
    if (o.roleArn !== undefined) {
        if (checkPattern(problems, join(path, "roleArn"), o.roleArn, RoleArnPattern, "expected an IAM role ARN")) {
            roleArn = o.roleArn as string;
        }
        if (createRole) {
            problems.add(join(path, "roleArn"), o.roleArn, "roleArn is for a role you bring: set createRole false, or drop roleArn");
        }
    } else if (install && !createRole) {
        problems.add(join(path, "roleArn"), undefined, "with createRole false and install true, give the role the controller's service account should use");
    }
    const str = (k: string, d: string, pattern: RegExp, allowed: string): string => {
        if (o[k] === undefined) {
            return d;
        }
        return checkPattern(problems, join(path, k), o[k], pattern, allowed) ? o[k] as string : d;
    };
    const namespace = str("namespace", ControllerDefaults.namespace, Dns1123LabelPattern, AllowedText.dns1123Label);
    const serviceAccountName = str("serviceAccountName", ControllerDefaults.serviceAccountName, Dns1123SubdomainPattern, AllowedText.dns1123Subdomain);
    const releaseName = str("releaseName", ControllerDefaults.releaseName, ReleaseNamePattern,
        "expected a Helm release name: at most 53 lower-case letters, digits and inner hyphens");
    const replicas = o.replicas === undefined ? ControllerDefaults.replicas
        : (checkInt(problems, join(path, "replicas"), o.replicas, 1, 10, "an integer") ? o.replicas as number : ControllerDefaults.replicas);

    let resources: ResolvedController["resources"] = { requests: { ...DefaultControllerResources.requests }, limits: { ...DefaultControllerResources.limits } };
    if (o.resources !== undefined) {
        const rp = join(path, "resources");
        if (!isRecord(o.resources)) {
            problems.add(rp, o.resources, "expected { requests: { cpu, memory }, limits: { cpu, memory } }");
        } else {
            checkKnownKeys(problems, rp, o.resources, ["requests", "limits"]);
            resources = {};
            for (const part of ["requests", "limits"] as const) {
                const list = o.resources[part];
                if (list === undefined) {
                    continue;
                }
                if (!isRecord(list)) {
                    problems.add(join(rp, part), list, "expected { cpu, memory }");
                    continue;
                }
                checkKnownKeys(problems, join(rp, part), list, ["cpu", "memory"]);
                const entry: ResourceList = {};
                for (const q of ["cpu", "memory"] as const) {
                    if (list[q] !== undefined && checkPattern(problems, join(join(rp, part), q), list[q], QuantityPattern,
                        "expected a Kubernetes quantity such as \"100m\" or \"128Mi\"")) {
                        entry[q] = list[q] as string;
                    }
                }
                resources[part] = entry;
            }
        }
    }

    const extraValues: Record<string, unknown> = {};
    if (o.extraValues !== undefined) {
        const ep = join(path, "extraValues");
        if (!isRecord(o.extraValues)) {
            problems.add(ep, o.extraValues, "expected a map of chart values");
        } else {
            for (const [k, v] of Object.entries(o.extraValues)) {
                if ((ManagedValueKeys as readonly string[]).includes(k)) {
                    problems.add(join(ep, k), v, "this value is set by the component for TargetGroupBinding-only mode; use the controller options instead");
                } else if (!(ChartValueKeys as readonly string[]).includes(k)) {
                    problems.add(join(ep, k), v, `chart ${ControllerChart.version} has no value ${JSON.stringify(k)} (the chart ignores unknown keys silently)`);
                } else {
                    extraValues[k] = v;
                }
            }
        }
    }

    let additionalPolicyJson: string | undefined;
    if (o.additionalPolicyJson !== undefined) {
        if (checkPolicyJson(problems, join(path, "additionalPolicyJson"), o.additionalPolicyJson)) {
            additionalPolicyJson = o.additionalPolicyJson as string;
        }
    }

    let chartVersion: string = ControllerChart.version;
    if (o.chartVersion !== undefined) {
        const vp = join(path, "chartVersion");
        if (checkPattern(problems, vp, o.chartVersion, ChartVersionPattern, "expected a chart version such as \"3.5.0\"")) {
            const v = o.chartVersion as string;
            if (!install) {
                problems.add(vp, v, "a chart version applies only with install true");
            }
            for (const req of chartRequirements(mode)) {
                if (compareVersions(v, req.version) < 0) {
                    problems.add(vp, v, `expected ${req.version} or newer: ${req.reason}`);
                }
            }
            if (compareVersions(v, ControllerChart.version) > 0 && additionalPolicyJson === undefined) {
                problems.add(vp, v, `the controller policy is verified up to chart ${ControllerChart.version}; `
                    + "use that version, or grant what the newer controller needs in controller.additionalPolicyJson");
            }
            chartVersion = v;
        }
    }

    if (problems.count > before) {
        return undefined;
    }
    return {
        install, createRole, roleArn, chartVersion, namespace, serviceAccountName, releaseName, replicas, resources,
        extraValues, additionalPolicyJson,
    };
}

/** Actions an additional policy may never grant: this role registers targets, nothing more powerful. */
export const ForbiddenActionPatterns = [/^iam:/i, /^\*$/, /^elasticloadbalancing:(Create|Delete)/i] as const;

function checkPolicyJson(problems: Problems, path: string, value: unknown): boolean {
    if (typeof value !== "string") {
        return problems.add(path, value, "expected an IAM policy document as a JSON string");
    }
    let doc: unknown;
    try {
        doc = JSON.parse(value);
    } catch {
        return problems.add(path, value, "expected valid JSON");
    }
    if (!isRecord(doc) || doc.Version !== "2012-10-17" || !Array.isArray(doc.Statement) || doc.Statement.length === 0) {
        return problems.add(path, value, "expected { \"Version\": \"2012-10-17\", \"Statement\": [ ... ] }");
    }
    for (const [i, s] of doc.Statement.entries()) {
        const actions = isRecord(s) ? ([] as unknown[]).concat(s.Action ?? []) : [];
        for (const a of actions) {
            if (typeof a === "string" && ForbiddenActionPatterns.some(re => re.test(a))) {
                return problems.add(`${path}.Statement[${i}]`, a, "IAM actions, \"*\" and load balancer/target group creation or deletion are never granted to the controller");
            }
        }
    }
    return true;
}

export interface ClusterFacts {
    clusterName?: unknown;
    oidcProviderArn?: unknown;
    oidcIssuer?: unknown;
    vpcId?: unknown;
    region?: unknown;
    albSecurityGroupId?: unknown;
}

/**
 * Checks the cluster facts that are plain strings (outputs are skipped; call
 * again with their values once known). A missing value is an error.
 */
export function checkClusterFacts(problems: Problems, facts: ClusterFacts, mode: { crossAccount: boolean; accountId?: string }, root = ""): void {
    const p = (k: string) => join(root, k);
    const known = (v: unknown) => typeof v === "string" || v === undefined || v === null;
    if (known(facts.clusterName)) {
        if (checkPattern(problems, p("clusterName"), facts.clusterName, ClusterNamePattern,
            "expected an EKS cluster name: 1 to 100 letters, digits, '-' and '_', starting alphanumeric") && mode.crossAccount) {
            problems.check((facts.clusterName as string).length <= MaxCrossAccountClusterName, p("clusterName"), facts.clusterName,
                `a cross-account cluster's name must be at most ${MaxCrossAccountClusterName} characters (STS session name "AWS-LBC-<clusterName>" is limited to 64)`);
        }
    }
    if (known(facts.oidcIssuer)) {
        checkPattern(problems, p("oidcIssuer"), facts.oidcIssuer, IssuerPattern,
            "expected the OIDC issuer URL, with or without https://, e.g. \"https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"");
    }
    if (known(facts.oidcProviderArn)) {
        if (checkPattern(problems, p("oidcProviderArn"), facts.oidcProviderArn, OidcProviderArnPattern,
            "expected an IAM OIDC provider ARN such as \"arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE\"")
            && mode.accountId) {
            const account = (facts.oidcProviderArn as string).split(":")[4];
            problems.check(account === mode.accountId, p("oidcProviderArn"), facts.oidcProviderArn,
                `expected the OIDC provider of the cluster's account ${mode.accountId}`);
        }
    }
    if (known(facts.vpcId)) {
        checkPattern(problems, p("vpcId"), facts.vpcId, VpcIdPattern, AllowedText.vpcId);
    }
    if (known(facts.region)) {
        checkPattern(problems, p("region"), facts.region, RegionPattern, AllowedText.region);
    }
    if (known(facts.albSecurityGroupId)) {
        checkPattern(problems, p("albSecurityGroupId"), facts.albSecurityGroupId, SecurityGroupIdPattern, AllowedText.securityGroupId);
    }
}

/** `checkClusterFacts` that throws; for values known only at deployment time. */
export function assertClusterFacts(facts: ClusterFacts, mode: { crossAccount: boolean; accountId?: string }, root = ""): void {
    const problems = new Problems();
    checkClusterFacts(problems, facts, mode, root);
    problems.throwIfAny();
}

/** Checks a node security group ID that became known at deployment time. */
export function assertSecurityGroupId(path: string, value: unknown): void {
    const problems = new Problems();
    checkPattern(problems, path, value, SecurityGroupIdPattern, AllowedText.securityGroupId);
    problems.throwIfAny();
}

/** Whether a value is an integer port. Re-exported for the stack program. */
export const isPort = (v: unknown): v is number => isIntIn(v, 1, 65535);

/**
 * Validation and defaulting of `ClusterAttachmentArgs`, read as `args.ts`
 * declares them: the network's entry for this cluster, the options, the
 * node security groups, the bindings and the controller
 * (validate-controller.ts). Values that are Pulumi outputs are left for
 * `checkClusterFacts` once known. Pure: no Pulumi runtime.
 */
import {
    ArnAllowed, OidcProviderArnPattern, TargetGroupArnPattern, accountId, arnAccount, arnPartition, externalId, parseRoleArn, partitionOf, tags,
} from "../internal/arn";
import { Problems } from "../internal/errors";
import {
    Reader, check, checkKnownKeys, flag, input, isRecord, join, keysOf, map, object, objectFields, oneOf, optional, readOrThrow, redacted, text, withDefault,
} from "../internal/read";
import { albTargetPorts } from "../internal/target-ports";
import {
    AllowedText, ClusterNamePattern, Dns1123SubdomainPattern, KeyPattern, PortNamePattern, TargetProtocol, TargetType,
    dns1123Label, nodePort, port, region, securityGroupId, targetProtocol, targetType, vpcId,
} from "../internal/values";
import {
    BindingArgs, ClusterAttachmentArgs, ClusterNetworkArgs, ClusterTargetGroupArgs, IpAddressType, IpAddressTypes, SecurityGroupMode, SecurityGroupModes,
} from "./args";
import { MaxCrossAccountClusterName, ResolvedAttachment, ResolvedBinding } from "./model";
import { readController } from "./validate-controller";
import { own } from "../internal/data";

export { ControllerDefaults, MaxCrossAccountClusterName } from "./model";
export type { ResolvedAttachment, ResolvedBinding, ResolvedController } from "./model";
export { ForbiddenActionPatterns, QuantityPattern, ReleaseNamePattern } from "./validate-controller";
export { ClusterNamePattern, OidcProviderArnPattern, TargetGroupArnPattern };

/** The argument keys, in the order messages list them. */
export const ClusterAttachmentArgKeys = keysOf<ClusterAttachmentArgs>({
    clusterName: true, oidcProviderArn: true, oidcIssuer: true, vpcId: true, region: true, cluster: true, albSecurityGroupId: true, bindings: true,
    controller: true, securityGroupMode: true, nodeSecurityGroupIds: true, multiClusterTargetGroup: true, sharedVpc: true,
    applyToCluster: true, labelNamespaces: true, createNamespaces: true, retainNamespaces: true, manageCrd: true, bindingAdmissionPolicy: true, tags: true,
});

/** Issuer: host and path, with or without `https://`. */
export const IssuerPattern = /^(https:\/\/)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[A-Za-z0-9._~-]+)*\/?$/;

/** What the component's options tell the checks. */
export interface AttachmentContext {
    /** The options give the component an AWS provider, whose region stands in for an absent `region`. */
    awsProvider?: boolean;
}

/**
 * Checks every plain value of the args and returns them with defaults
 * applied; throws `ConfigErrors` naming every problem (path, value, allowed).
 * `root` prefixes every path (`alb-fleet:cluster` in the cluster stack).
 */
export function validateClusterAttachmentArgs(args: ClusterAttachmentArgs, root = "", context: AttachmentContext = {}): ResolvedAttachment {
    const problems = new Problems();
    const resolved = collectClusterAttachmentArgs(problems, args, root, context);
    problems.throwIfAny();
    if (resolved === undefined) {
        throw new Error("validateClusterAttachmentArgs: no arguments and no problem");
    }
    return resolved;
}

/** Like `validateClusterAttachmentArgs`, but adds to the caller's problems; undefined when any was found. */
export function collectClusterAttachmentArgs(problems: Problems, args: unknown, root: string, context: AttachmentContext = {}): ResolvedAttachment | undefined {
    const before = problems.count;
    const p = (...keys: string[]) => keys.reduce((acc, k) => join(acc, k), root);
    if (!isRecord(args)) {
        problems.add(root || "args", args, "expected an object of ClusterAttachmentArgs");
        return undefined;
    }
    checkKnownKeys(problems, root, args, ClusterAttachmentArgKeys);
    const entry = networkEntry(problems, p("cluster"), args.cluster);
    // Cross-account: the network gave the cluster a registrar role (read as given, to check the rest alike when the entry is refused).
    const crossAccount = isRecord(args.cluster) && args.cluster.registrarRoleArn !== undefined;
    const options = readOptions(problems, root, args, crossAccount);
    const nodeSecurityGroupKeys = readNodeSecurityGroups(problems, p("nodeSecurityGroupIds"), args.nodeSecurityGroupIds, options.securityGroupMode);
    const bindings = readBindings(problems, root, args.bindings, args.cluster, entry, options.securityGroupMode);
    const controller = readController(problems, p("controller"), args.controller, { crossAccount, sharedVpc: options.sharedVpc });
    const manageCrd = withDefault(flag, controller?.install ?? true)(problems, p("manageCrd"), args.manageCrd);
    if (manageCrd === true && controller !== undefined && !controller.install) {
        problems.add(p("manageCrd"), args.manageCrd, "the CRD is managed only with controller.install true; an existing controller's CRD is its installer's");
    }
    const attachmentTags = withDefault(tags, {})(problems, p("tags"), args.tags);
    checkClusterFacts(problems, args, {
        crossAccount, accountId: entry?.accountId, partition: entry === undefined ? undefined : arnPartition(entry.role.arn),
        regionFromProvider: context.awsProvider === true,
    }, root);

    if (problems.count > before || entry === undefined || controller === undefined || bindings === undefined || manageCrd === undefined
        || attachmentTags === undefined) {
        return undefined;
    }
    return {
        accountId: entry.accountId, crossAccount, role: entry.role, registrarRoleArn: entry.registrarRoleArn, ...options,
        nodeSecurityGroupKeys: nodeSecurityGroupKeys.sort(), manageCrd, bindings, controller, tags: attachmentTags,
    };
}

/** A target group's ARN of the network's entry. */
const targetGroupArn = text(TargetGroupArnPattern, ArnAllowed.targetGroup);

/** One target group of the network's entry, as its outputs hold it. */
const targetGroup = object("expected { arn, port, protocol, targetType }", {
    arn: input(targetGroupArn),
    port: port,
    protocol: targetProtocol,
    targetType: targetType,
    healthCheckPort: optional(port),
    nodePort: optional(nodePort),
    name: optional(input(check((v): v is string => typeof v === "string", "expected a string"))),
} satisfies Record<keyof ClusterTargetGroupArgs, Reader<unknown>>, { otherKeys: "allowed" });

/**
 * The network's entry for this cluster (`clusters.<key>` of its outputs),
 * read as `ClusterNetworkArgs` declares it. No unknown-key check: the
 * network outputs contract may grow (weight, services...).
 */
const networkEntryFields = object("expected this cluster's entry of the network outputs (accountId, controllerRoleArn, targetGroups...)", {
    accountId,
    controllerRoleArn: check((v): v is string => typeof v === "string" && parseRoleArn(v) !== undefined,
        ArnAllowed.role),
    registrarRoleArn: optional(check((v): v is string => typeof v === "string" && parseRoleArn(v) !== undefined, "expected the registrar role ARN in the network account")),
    externalId: optional(externalId),
    targetGroups: map(() => targetGroup, { notMap: "expected the cluster's target groups keyed by service" }),
} satisfies Record<keyof ClusterNetworkArgs, Reader<unknown>>, { otherKeys: "allowed" });

/** The network's entry, checked: the controller role in the cluster's account, the registrar role (cross-account) in another. */
interface NetworkEntry {
    accountId: string;
    role: ResolvedAttachment["role"];
    registrarRoleArn?: string;
    targetGroups: Record<string, { port: number; protocol: TargetProtocol; targetType: TargetType; healthCheckPort?: number; nodePort?: number }>;
}

function networkEntry(p: Problems, path: string, value: unknown): NetworkEntry | undefined {
    const c = networkEntryFields(p, path, value);
    if (c === undefined || !isRecord(value)) {
        return undefined;
    }
    const role = parseRoleArn(c.controllerRoleArn);
    const registrar = c.registrarRoleArn === undefined ? undefined : parseRoleArn(c.registrarRoleArn);
    const before = p.count;
    p.check(role?.accountId === c.accountId, join(path, "controllerRoleArn"), c.controllerRoleArn, `expected a role in the cluster's account ${c.accountId}`);
    if (registrar !== undefined) {
        p.check(registrar.accountId !== c.accountId, join(path, "registrarRoleArn"), c.registrarRoleArn,
            `expected a role in the network account, not in the cluster's own account ${c.accountId}`);
    } else if (value.externalId !== undefined) {
        p.add(join(path, "externalId"), redacted(value.externalId), "an external ID needs a registrarRoleArn (cross-account clusters only)");
    }
    if (role === undefined || p.count > before) {
        return undefined;
    }
    return {
        accountId: c.accountId, role: { name: role.name, path: role.path, arn: c.controllerRoleArn }, registrarRoleArn: c.registrarRoleArn,
        targetGroups: c.targetGroups,
    };
}

/** The options: how the ALB reaches the targets, and what the component creates in the cluster. */
type Options = Pick<ResolvedAttachment, "securityGroupMode" | "multiClusterTargetGroup" | "sharedVpc" | "applyToCluster" | "labelNamespaces"
    | "createNamespaces" | "retainNamespaces" | "bindingAdmissionPolicy">;

function readOptions(p: Problems, root: string, args: Record<string, unknown>, crossAccount: boolean): Options {
    const at = (key: string) => join(root, key);
    const bool = (key: keyof Options, fallback: boolean) => withDefault(flag, fallback)(p, at(key), args[key]) ?? fallback;
    const options: Options = {
        securityGroupMode: withDefault(oneOf(SecurityGroupModes), SecurityGroupMode.Rules)(p, at("securityGroupMode"), args.securityGroupMode)
            ?? SecurityGroupMode.Rules,
        multiClusterTargetGroup: bool("multiClusterTargetGroup", false),
        sharedVpc: bool("sharedVpc", crossAccount),
        applyToCluster: bool("applyToCluster", true),
        labelNamespaces: bool("labelNamespaces", true),
        createNamespaces: bool("createNamespaces", false),
        retainNamespaces: bool("retainNamespaces", true),
        bindingAdmissionPolicy: bool("bindingAdmissionPolicy", true),
    };
    if (args.retainNamespaces !== undefined && !options.createNamespaces) {
        p.add(at("retainNamespaces"), args.retainNamespaces,
            "only namespaces this component creates can be kept or deleted: set createNamespaces true, or drop retainNamespaces");
    }
    return options;
}

/**
 * `nodeSecurityGroupIds`: security group IDs keyed by a stable name (the
 * values may be outputs, checked once known); at least one unless the
 * mode is `none`. Gives the keys.
 */
function readNodeSecurityGroups(p: Problems, path: string, value: unknown, mode: SecurityGroupMode): string[] {
    const read = map(() => input(securityGroupId), {
        notMap: "expected security group IDs keyed by a stable name, e.g. { nodes: \"sg-0123456789abcdef0\" }",
        key: { pattern: KeyPattern, allowed: "expected a key of lower-case letters, digits and inner hyphens" },
    })(p, path, value === undefined ? {} : value);
    if (read === undefined) {
        return [];
    }
    const keys = Object.keys(isRecord(value) ? value : {}).filter(k => KeyPattern.test(k));
    p.check(mode === SecurityGroupMode.None || Object.keys(isRecord(value) ? value : {}).length > 0, path, value,
        `securityGroupMode "${mode}" needs the nodes' security groups; give at least one, or set securityGroupMode "none"`);
    return keys;
}

/** A binding as read: the Service port by number or by name, its TargetGroupBinding name defaulted. */
interface BindingRead {
    namespace: string;
    service: string;
    servicePort: number | string;
    targetPort?: number;
    name: string;
    ipAddressType: IpAddressType;
}

/** What checking a binding needs besides the binding. */
interface BindingContext {
    root: string;
    /** The services the network's entry has target groups for (undefined when the entry is not an object). */
    offered?: string[];
    entry?: NetworkEntry;
    crossAccount: boolean;
    mode: SecurityGroupMode;
    /** TargetGroupBinding names taken so far, by `<namespace>/<name>`: the binding key. */
    names: Map<string, string>;
}

/**
 * `bindings`: at least one, keyed by the network's service name; each binds
 * a Service to this cluster's target group of that service.
 */
function readBindings(p: Problems, root: string, value: unknown, rawEntry: unknown, entry: NetworkEntry | undefined,
    mode: SecurityGroupMode): Record<string, ResolvedBinding> | undefined {
    const context: BindingContext = {
        root, entry, mode, names: new Map(), crossAccount: entry?.registrarRoleArn !== undefined,
        offered: isRecord(rawEntry) && isRecord(rawEntry.targetGroups) ? Object.keys(rawEntry.targetGroups).sort() : undefined,
    };
    return map(key => bindingOf(key, context), { notMap: "expected at least one binding { <service>: { namespace, service, port } }", nonEmpty: true })(
        p, join(root, "bindings"), value);
}

/** `bindings.<service>`: a binding of a service this cluster has a target group for, its TargetGroupBinding name unique in its namespace. */
function bindingOf(key: string, context: BindingContext): Reader<ResolvedBinding> {
    const read = binding(key);
    return (p, path, value) => {
        const offered = context.offered;
        if (offered !== undefined && !offered.includes(key)) {
            return void p.add(path, key, `this cluster has no target group for service "${key}" (it does not run it: see clusters.<key>.services of the network); `
                + `expected one of ${offered.map(k => JSON.stringify(k)).join(", ") || "(none)"}`);
        }
        const b = read(p, path, value);
        if (b === undefined) {
            return undefined;
        }
        const id = `${b.namespace}/${b.name}`;
        const other = context.names.get(id);
        p.check(other === undefined, isRecord(value) && value.name !== undefined ? join(path, "name") : path, b.name,
            `binding "${other}" already uses the TargetGroupBinding name ${JSON.stringify(b.name)} in namespace ${JSON.stringify(b.namespace)}`);
        context.names.set(id, key);
        const tg = own(context.entry?.targetGroups, key);
        return tg === undefined ? undefined : resolveBinding(p, path, key, b, tg, context);
    };
}

/** A binding's fields, as `BindingArgs` declares them (the checks across them follow in `binding`). */
const bindingFields = objectFields("expected { namespace, service, port } or { namespace, service, portName }", {
    namespace: dns1123Label,
    service: dns1123Label,
    port: optional(port),
    portName: optional(text(PortNamePattern, "expected a port name: at most 15 lower-case letters, digits and inner hyphens, with at least one letter")),
    targetPort: optional(port),
    name: optional(text(Dns1123SubdomainPattern, AllowedText.dns1123Subdomain)),
    ipAddressType: withDefault(oneOf(IpAddressTypes), IpAddressType.Ipv4),
} satisfies Record<keyof BindingArgs, Reader<unknown>>);

/** A binding's fields, as `BindingArgs` declares them. */
export const bindingArgs: Reader<BindingArgs> = (p, path, value) => bindingFields(p, path, value)?.whole;

/**
 * A binding: the Service port by number or by name (one of the two), its
 * TargetGroupBinding name defaulted. The port is asked for even when
 * another field was refused.
 */
function binding(key: string): Reader<BindingRead> {
    return (p, path, value) => {
        const read = bindingFields(p, path, value);
        if (read === undefined || !isRecord(value)) {
            return undefined;
        }
        const before = p.count;
        if (value.port !== undefined && value.portName !== undefined) {
            p.add(join(path, "portName"), value.portName, "give either port or portName, not both");
        } else if (value.port === undefined && value.portName === undefined) {
            p.add(join(path, "port"), undefined, "expected the Service port: port (1 to 65535) or portName");
        }
        const b = read.whole;
        if (b === undefined) {
            return undefined;
        }
        const name = b.name ?? `shared-alb-${key}`;
        p.check(b.name !== undefined || Dns1123SubdomainPattern.test(name), path, name, "the binding key makes an invalid TargetGroupBinding name; set name");
        const servicePort = b.port ?? b.portName;
        return servicePort === undefined || p.count > before ? undefined
            : { namespace: b.namespace, service: b.service, servicePort, targetPort: b.targetPort, name, ipAddressType: b.ipAddressType };
    };
}

/**
 * A binding with its target group: the ports the ALB must reach
 * (`albTargetPorts`, the binding's `targetPort` standing for the target
 * group's port or NodePort) and the target group's own health-check port.
 */
function resolveBinding(p: Problems, path: string, key: string, b: BindingRead, tg: NetworkEntry["targetGroups"][string],
    context: BindingContext): ResolvedBinding {
    if (context.crossAccount && tg.targetType === TargetType.Instance) {
        p.add(join(join(join(join(context.root, "cluster"), "targetGroups"), key), "targetType"), tg.targetType,
            "a cross-account cluster must use \"ip\" targets: the controller's webhook rejects instance targets with iamRoleArnToAssume");
    }
    const [traffic, healthCheck] = albTargetPorts({
        targetType: tg.targetType, port: b.targetPort ?? tg.port, nodePort: b.targetPort ?? tg.nodePort, healthCheckPort: tg.healthCheckPort,
    });
    // The NodePort range is never one port: one port is a known target port.
    const fixedPort = traffic.fromPort === traffic.toPort ? traffic.fromPort : undefined;
    if (fixedPort === undefined && context.mode === SecurityGroupMode.Controller) {
        p.add(join(path, "targetPort"), undefined,
            "instance targets in securityGroupMode \"controller\" need the Service's NodePort as targetPort (or services.<name>.nodePort in the network)");
    }
    return {
        key, namespace: b.namespace, serviceName: b.service, servicePort: b.servicePort, tgbName: b.name, ipAddressType: b.ipAddressType,
        targetType: tg.targetType, protocol: tg.protocol,
        fromPort: traffic.fromPort, toPort: traffic.toPort, networkingPort: fixedPort, healthCheckPort: healthCheck?.fromPort,
    };
}

/** The cluster facts: Pulumi inputs, so each is checked now when known, else once it resolves. */
export interface ClusterFacts {
    clusterName?: unknown;
    oidcProviderArn?: unknown;
    oidcIssuer?: unknown;
    vpcId?: unknown;
    region?: unknown;
    albSecurityGroupId?: unknown;
}

/** The cluster facts, checked. */
export type CheckedClusterFacts = { [K in keyof Required<ClusterFacts>]: string };

/** What checking the cluster facts needs to know of the cluster. */
export interface FactsMode {
    crossAccount: boolean;
    /** The cluster's account: the OIDC provider's must be it. */
    accountId?: string;
    /** The partition of the network's ARNs (the controller role's): the region must be in it. */
    partition?: string;
    /** An absent region is taken from the component's AWS provider (checked once it resolves). */
    regionFromProvider?: boolean;
}

/** What an absent region says. */
export const RegionMissing = "expected the region, such as \"eu-west-1\", or an AWS provider in the options (provider, providers, or the parent's) "
    + "to take it from; the ambient aws:region config is not read";

/** The readers of the cluster facts, given the cluster's mode (the name's length and the provider's account depend on it). */
function factReaders(mode: FactsMode): { [K in keyof Required<ClusterFacts>]: Reader<string> } {
    const clusterName: Reader<string> = (p, path, value) => {
        const name = text(ClusterNamePattern, AllowedText.clusterName)(p, path, value);
        return name !== undefined && p.check(!mode.crossAccount || name.length <= MaxCrossAccountClusterName, path, name,
            `a cross-account cluster's name must be at most ${MaxCrossAccountClusterName} characters (STS session name "AWS-LBC-<clusterName>" is limited to 64)`)
            ? name : undefined;
    };
    const oidcProviderArn: Reader<string> = (p, path, value) => {
        const arn = text(OidcProviderArnPattern, ArnAllowed.oidcProvider)(p, path, value);
        return arn !== undefined && p.check(mode.accountId === undefined || arnAccount(arn) === mode.accountId, path, arn,
            `expected the OIDC provider of the cluster's account ${mode.accountId}`) ? arn : undefined;
    };
    const regionOf: Reader<string> = (p, path, value) => {
        if (value === undefined) {
            return void p.add(path, value, RegionMissing);
        }
        const name = region(p, path, value);
        return name !== undefined && p.check(mode.partition === undefined || partitionOf(name) === mode.partition, path, name,
            `expected a region of the ${mode.partition} partition, the partition of cluster.controllerRoleArn`) ? name : undefined;
    };
    return {
        clusterName,
        oidcIssuer: text(IssuerPattern,
            "expected the OIDC issuer URL, with or without https://, e.g. \"https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\""),
        oidcProviderArn,
        vpcId,
        region: regionOf,
        albSecurityGroupId: securityGroupId,
    };
}

const FactKeys = ["clusterName", "oidcIssuer", "oidcProviderArn", "vpcId", "region", "albSecurityGroupId"] as const;

/**
 * Checks the cluster facts that are known (outputs are skipped: call again
 * with their values once known). A missing value is an error, but for a
 * region taken from the AWS provider. Gives the facts read.
 */
export function checkClusterFacts(problems: Problems, facts: ClusterFacts, mode: FactsMode, root = ""): Partial<CheckedClusterFacts> {
    const readers = factReaders(mode);
    const read: Partial<CheckedClusterFacts> = {};
    for (const key of FactKeys) {
        if (key === "region" && facts.region === undefined && mode.regionFromProvider === true) {
            continue;
        }
        read[key] = input(readers[key])(problems, join(root, key), facts[key]);
    }
    return read;
}

/** `checkClusterFacts` that throws; for values known only at deployment time. Gives the facts checked. */
export function assertClusterFacts(facts: ClusterFacts, mode: FactsMode, root = ""): CheckedClusterFacts {
    const problems = new Problems();
    const { clusterName, oidcProviderArn, oidcIssuer, vpcId, region, albSecurityGroupId } = checkClusterFacts(problems, facts, mode, root);
    problems.throwIfAny();
    if (clusterName === undefined || oidcProviderArn === undefined || oidcIssuer === undefined || vpcId === undefined || region === undefined
        || albSecurityGroupId === undefined) {
        throw new Error("assertClusterFacts: a fact is not known, and no problem was recorded");
    }
    return { clusterName, oidcProviderArn, oidcIssuer, vpcId, region, albSecurityGroupId };
}

/**
 * Checks a value of the network's entry that became known at deployment
 * time (`cluster.targetGroups.<service>.arn`, `cluster.externalId`), with
 * the message a plain value gets.
 */
export function assertNetworkInput(kind: "targetGroupArn" | "externalId", path: string, value: unknown): string {
    const read = readOrThrow(kind === "targetGroupArn" ? targetGroupArn : externalId, path, value);
    if (read === undefined) {
        throw new Error(`assertNetworkInput: ${path} refused, and no problem was recorded`);
    }
    return read;
}

/** Checks a node security group ID that became known at deployment time. */
export function assertSecurityGroupId(path: string, value: unknown): void {
    readOrThrow(securityGroupId, path, value);
}

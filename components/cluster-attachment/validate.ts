/**
 * The plan of a `ClusterAttachment`, read once from its plain arguments as
 * `args.ts` declares them: the network's entry for this cluster, the
 * options, the node security groups' keys, the bindings and the controller
 * (validate-controller.ts). The cluster's inputs, which may be outputs, are
 * read in cluster-inputs.ts. Pure: no Pulumi runtime.
 */
import {
    ArnAllowed,
    OidcProviderArnPattern,
    TargetGroupArnPattern,
    accountId,
    arnPartition,
    externalId,
    parseRoleArn,
    tags,
} from "../internal/arn";
import { Problems } from "../internal/errors";
import {
    Reader,
    check,
    checkKnownKeys,
    trueOrFalse,
    input,
    isRecord,
    join,
    keysOf,
    map,
    object,
    objectFields,
    oneOf,
    optional,
    orThrow,
    readOrThrow,
    redacted,
    text,
    withDefault,
} from "../internal/read";
import { albTargetPorts } from "../internal/target-ports";
import {
    AllowedText,
    ClusterNamePattern,
    Dns1123SubdomainPattern,
    KeyPattern,
    PortNamePattern,
    TargetProtocol,
    TargetType,
    dns1123Label,
    nodePort,
    port,
    targetProtocol,
    targetType,
} from "../internal/values";
import {
    BindingArgs,
    ClusterAttachmentArgs,
    ClusterNetworkArgs,
    ClusterTargetGroupArgs,
    IpAddressType,
    IpAddressTypes,
    SecurityGroupMode,
    SecurityGroupModes,
} from "./args";
import { ClusterInputKey, KnownClusterInputs, collectKnownClusterInputs } from "./cluster-inputs";
import { AttachmentPlan, ClusterAccount, ResolvedBinding } from "./model";
import { readController } from "./validate-controller";
import { own } from "../internal/data";

export { ControllerDefaults, MaxCrossAccountClusterName } from "./model";
export type { AttachmentPlan, ClusterAccount, ClusterInputs, ResolvedBinding, ResolvedController } from "./model";
export { ForbiddenActionPatterns, QuantityPattern, ReleaseNamePattern } from "./validate-controller";
export { ClusterNamePattern, OidcProviderArnPattern, TargetGroupArnPattern };

/** The argument keys, in the order messages list them. */
export const ClusterAttachmentArgKeys = keysOf<ClusterAttachmentArgs>({
    clusterName: true,
    oidcProviderArn: true,
    oidcIssuer: true,
    vpcId: true,
    region: true,
    cluster: true,
    albSecurityGroupId: true,
    bindings: true,
    controller: true,
    securityGroupMode: true,
    nodeSecurityGroupIds: true,
    multiClusterTargetGroup: true,
    sharedVpc: true,
    applyToCluster: true,
    labelNamespaces: true,
    createNamespaces: true,
    retainNamespaces: true,
    manageCrd: true,
    bindingAdmissionPolicy: true,
    tags: true,
});

/**
 * The arguments the plan is read from: all but the cluster's inputs. The
 * node security groups' keys are given apart (`nodeSecurityGroupKeys`), so
 * a program that knows the keys before the IDs exist can plan.
 */
export type AttachmentPlanArgs = Omit<ClusterAttachmentArgs, ClusterInputKey | "nodeSecurityGroupIds">;

/**
 * Reads the plan: every plain argument checked, defaults applied; throws
 * `ConfigErrors` naming every problem (path, value, allowed). `root`
 * prefixes every path (`alb-fleet:cluster` in the cluster stack).
 */
export function readAttachmentPlan(args: AttachmentPlanArgs, nodeSecurityGroupKeys: readonly string[], root = ""): AttachmentPlan {
    const problems = new Problems();
    return orThrow(problems, collectAttachmentPlan(problems, args, root, nodeSecurityGroupKeys).plan);
}

/**
 * What the component reads at construction from its whole arguments: the
 * plan, and the cluster's inputs given as plain values (with
 * `regionFromProvider`, an absent region is the AWS provider's). Throws
 * `ConfigErrors` naming every problem of both.
 */
export function readAttachmentArgs(
    args: ClusterAttachmentArgs,
    root = "",
    context: { regionFromProvider?: boolean } = {},
): { plan: AttachmentPlan; known: KnownClusterInputs } {
    const problems = new Problems();
    const ids: unknown = isRecord(args) ? (args.nodeSecurityGroupIds ?? {}) : undefined;
    // A refused map of IDs is reported where the IDs are read.
    const { plan, account } = collectAttachmentPlan(problems, args, root, isRecord(ids) ? Object.keys(ids) : undefined);
    const known = collectKnownClusterInputs(problems, args, account, root, context.regionFromProvider === true);
    return { plan: orThrow(problems, plan), known };
}

/** What the cluster's inputs of a plan are checked against. */
export function planAccount(plan: AttachmentPlan): ClusterAccount {
    return { crossAccount: plan.crossAccount, accountId: plan.accountId, partition: arnPartition(plan.role.arn) };
}

/**
 * Adds the plan's problems to the caller's. Gives the plan (undefined when
 * any problem was found) and the account the cluster's inputs are checked
 * against, as far as the network's entry gave it.
 */
export function collectAttachmentPlan(
    problems: Problems,
    args: unknown,
    root: string,
    nodeSecurityGroupKeys: readonly string[] | undefined,
): { plan?: AttachmentPlan; account: ClusterAccount } {
    const before = problems.count;
    const p = (...keys: string[]) => keys.reduce((acc, k) => join(acc, k), root);
    if (!isRecord(args)) {
        problems.add(root || "args", args, "expected an object of ClusterAttachmentArgs");
        return { account: { crossAccount: false } };
    }
    checkKnownKeys(problems, root, args, ClusterAttachmentArgKeys);
    const entry = networkEntry(problems, p("cluster"), args.cluster);
    // Cross-account: the network gave the cluster a registrar role (read as given, to check the rest alike when the entry is refused).
    const crossAccount = isRecord(args.cluster) && args.cluster.registrarRoleArn !== undefined;
    const account = {
        crossAccount,
        accountId: entry?.accountId,
        partition: entry === undefined ? undefined : arnPartition(entry.role.arn),
    };
    const options = readOptions(problems, root, args, crossAccount);
    const keys = readNodeSecurityGroupKeys(problems, p("nodeSecurityGroupIds"), nodeSecurityGroupKeys, options.securityGroupMode);
    const bindings = readBindings(problems, root, args.bindings, args.cluster, entry, options.securityGroupMode);
    const controller = readController(problems, p("controller"), args.controller, { crossAccount, sharedVpc: options.sharedVpc });
    const manageCrd = withDefault(trueOrFalse, controller?.install ?? true)(problems, p("manageCrd"), args.manageCrd);
    if (manageCrd === true && controller !== undefined && !controller.install) {
        problems.add(
            p("manageCrd"),
            args.manageCrd,
            "the CRD is managed only with controller.install true; an existing controller's CRD is its installer's",
        );
    }
    const attachmentTags = withDefault(tags, {})(problems, p("tags"), args.tags);
    if (
        problems.count > before ||
        entry === undefined ||
        controller === undefined ||
        bindings === undefined ||
        manageCrd === undefined ||
        attachmentTags === undefined
    ) {
        return { account };
    }
    return {
        account,
        plan: {
            accountId: entry.accountId,
            crossAccount,
            role: entry.role,
            registrarRoleArn: entry.registrarRoleArn,
            ...options,
            nodeSecurityGroupKeys: [...keys].sort(),
            manageCrd,
            bindings,
            controller,
            tags: attachmentTags,
        },
    };
}

/** A target group's ARN of the network's entry. */
const targetGroupArn = text(TargetGroupArnPattern, ArnAllowed.targetGroup);

/** One target group of the network's entry, as its outputs hold it. */
const targetGroup = object(
    "expected { arn, port, protocol, targetType }",
    {
        arn: input(targetGroupArn),
        port: port,
        protocol: targetProtocol,
        targetType: targetType,
        healthCheckPort: optional(port),
        nodePort: optional(nodePort),
        name: optional(input(check((v): v is string => typeof v === "string", "expected a string"))),
    } satisfies Record<keyof ClusterTargetGroupArgs, Reader<unknown>>,
    { otherKeys: "allowed" },
);

/**
 * The network's entry for this cluster (`clusters.<key>` of its outputs),
 * read as `ClusterNetworkArgs` declares it. No unknown-key check: the
 * network outputs contract may grow (weight, services...).
 */
const networkEntryFields = object(
    "expected this cluster's entry of the network outputs (accountId, controllerRoleArn, targetGroups...)",
    {
        accountId,
        controllerRoleArn: check((v): v is string => typeof v === "string" && parseRoleArn(v) !== undefined, ArnAllowed.role),
        registrarRoleArn: optional(
            check(
                (v): v is string => typeof v === "string" && parseRoleArn(v) !== undefined,
                "expected the registrar role ARN in the network account",
            ),
        ),
        externalId: optional(externalId),
        targetGroups: map(() => targetGroup, { notMap: "expected the cluster's target groups keyed by service" }),
    } satisfies Record<keyof ClusterNetworkArgs, Reader<unknown>>,
    { otherKeys: "allowed" },
);

/** The network's entry, checked: the controller role in the cluster's account, the registrar role (cross-account) in another. */
interface NetworkEntry {
    accountId: string;
    role: AttachmentPlan["role"];
    registrarRoleArn?: string;
    targetGroups: Record<
        string,
        { port: number; protocol: TargetProtocol; targetType: TargetType; healthCheckPort?: number; nodePort?: number }
    >;
}

function networkEntry(p: Problems, path: string, value: unknown): NetworkEntry | undefined {
    const c = networkEntryFields(p, path, value);
    if (c === undefined || !isRecord(value)) {
        return undefined;
    }
    const role = parseRoleArn(c.controllerRoleArn);
    const registrar = c.registrarRoleArn === undefined ? undefined : parseRoleArn(c.registrarRoleArn);
    const before = p.count;
    p.check(
        role?.accountId === c.accountId,
        join(path, "controllerRoleArn"),
        c.controllerRoleArn,
        `expected a role in the cluster's account ${c.accountId}`,
    );
    if (registrar !== undefined) {
        p.check(
            registrar.accountId !== c.accountId,
            join(path, "registrarRoleArn"),
            c.registrarRoleArn,
            `expected a role in the network account, not in the cluster's own account ${c.accountId}`,
        );
    } else if (value.externalId !== undefined) {
        p.add(
            join(path, "externalId"),
            redacted(value.externalId),
            "an external ID needs a registrarRoleArn (cross-account clusters only)",
        );
    }
    if (role === undefined || p.count > before) {
        return undefined;
    }
    return {
        accountId: c.accountId,
        role: { name: role.name, path: role.path, arn: c.controllerRoleArn },
        registrarRoleArn: c.registrarRoleArn,
        targetGroups: c.targetGroups,
    };
}

/** The options: how the ALB reaches the targets, and what the component creates in the cluster. */
type Options = Pick<
    AttachmentPlan,
    | "securityGroupMode"
    | "multiClusterTargetGroup"
    | "sharedVpc"
    | "applyToCluster"
    | "labelNamespaces"
    | "createNamespaces"
    | "retainNamespaces"
    | "bindingAdmissionPolicy"
>;

function readOptions(p: Problems, root: string, args: Record<string, unknown>, crossAccount: boolean): Options {
    const at = (key: string) => join(root, key);
    const bool = (key: keyof Options, fallback: boolean) => withDefault(trueOrFalse, fallback)(p, at(key), args[key]) ?? fallback;
    const options: Options = {
        securityGroupMode:
            withDefault(oneOf(SecurityGroupModes), SecurityGroupMode.Rules)(p, at("securityGroupMode"), args.securityGroupMode) ??
            SecurityGroupMode.Rules,
        multiClusterTargetGroup: bool("multiClusterTargetGroup", false),
        sharedVpc: bool("sharedVpc", crossAccount),
        applyToCluster: bool("applyToCluster", true),
        labelNamespaces: bool("labelNamespaces", true),
        createNamespaces: bool("createNamespaces", false),
        retainNamespaces: bool("retainNamespaces", true),
        bindingAdmissionPolicy: bool("bindingAdmissionPolicy", true),
    };
    if (args.retainNamespaces !== undefined && !options.createNamespaces) {
        p.add(
            at("retainNamespaces"),
            args.retainNamespaces,
            "only namespaces this component creates can be kept or deleted: set createNamespaces true, or drop retainNamespaces",
        );
    }
    return options;
}

/**
 * The keys of `nodeSecurityGroupIds` (stable names: they name the ingress
 * rules); at least one unless the mode is `none`. `undefined` when the map
 * itself was refused, where its IDs are read.
 */
function readNodeSecurityGroupKeys(p: Problems, path: string, keys: readonly string[] | undefined, mode: SecurityGroupMode): string[] {
    if (keys === undefined) {
        return [];
    }
    const named = keys.filter(key =>
        p.check(KeyPattern.test(key), join(path, key), key, "expected a key of lower-case letters, digits and inner hyphens"),
    );
    p.check(
        mode === SecurityGroupMode.None || keys.length > 0,
        path,
        {},
        `securityGroupMode "${mode}" needs the nodes' security groups; give at least one, or set securityGroupMode "none"`,
    );
    return named;
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
function readBindings(
    p: Problems,
    root: string,
    value: unknown,
    rawEntry: unknown,
    entry: NetworkEntry | undefined,
    mode: SecurityGroupMode,
): Record<string, ResolvedBinding> | undefined {
    const context: BindingContext = {
        root,
        entry,
        mode,
        names: new Map(),
        crossAccount: entry?.registrarRoleArn !== undefined,
        offered: isRecord(rawEntry) && isRecord(rawEntry.targetGroups) ? Object.keys(rawEntry.targetGroups).sort() : undefined,
    };
    return map(key => bindingOf(key, context), {
        notMap: "expected at least one binding { <service>: { namespace, service, port } }",
        nonEmpty: true,
    })(p, join(root, "bindings"), value);
}

/** `bindings.<service>`: a binding of a service this cluster has a target group for, its TargetGroupBinding name unique in its namespace. */
function bindingOf(key: string, context: BindingContext): Reader<ResolvedBinding> {
    const read = binding(key);
    return (p, path, value) => {
        const offered = context.offered;
        if (offered !== undefined && !offered.includes(key)) {
            return void p.add(
                path,
                key,
                `this cluster has no target group for service "${key}" (it does not run it: see clusters.<key>.services of the network); ` +
                    `expected one of ${offered.map(k => JSON.stringify(k)).join(", ") || "(none)"}`,
            );
        }
        const b = read(p, path, value);
        if (b === undefined) {
            return undefined;
        }
        const id = `${b.namespace}/${b.name}`;
        const other = context.names.get(id);
        p.check(
            other === undefined,
            isRecord(value) && value.name !== undefined ? join(path, "name") : path,
            b.name,
            `binding "${other}" already uses the TargetGroupBinding name ${JSON.stringify(b.name)} in namespace ${JSON.stringify(b.namespace)}`,
        );
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
    portName: optional(
        text(PortNamePattern, "expected a port name: at most 15 lower-case letters, digits and inner hyphens, with at least one letter"),
    ),
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
        p.check(
            b.name !== undefined || Dns1123SubdomainPattern.test(name),
            path,
            name,
            "the binding key makes an invalid TargetGroupBinding name; set name",
        );
        const servicePort = b.port ?? b.portName;
        return servicePort === undefined || p.count > before
            ? undefined
            : { namespace: b.namespace, service: b.service, servicePort, targetPort: b.targetPort, name, ipAddressType: b.ipAddressType };
    };
}

/**
 * A binding with its target group: the ports the ALB must reach
 * (`albTargetPorts`, the binding's `targetPort` standing for the target
 * group's port or NodePort) and the target group's own health-check port.
 */
function resolveBinding(
    p: Problems,
    path: string,
    key: string,
    b: BindingRead,
    tg: NetworkEntry["targetGroups"][string],
    context: BindingContext,
): ResolvedBinding {
    if (context.crossAccount && tg.targetType === TargetType.Instance) {
        p.add(
            join(join(join(join(context.root, "cluster"), "targetGroups"), key), "targetType"),
            tg.targetType,
            'a cross-account cluster must use "ip" targets: the controller\'s webhook rejects instance targets with iamRoleArnToAssume',
        );
    }
    const [traffic, healthCheck] = albTargetPorts({
        targetType: tg.targetType,
        port: b.targetPort ?? tg.port,
        nodePort: b.targetPort ?? tg.nodePort,
        healthCheckPort: tg.healthCheckPort,
    });
    // The NodePort range is never one port: one port is a known target port.
    const fixedPort = traffic.fromPort === traffic.toPort ? traffic.fromPort : undefined;
    if (fixedPort === undefined && context.mode === SecurityGroupMode.Controller) {
        p.add(
            join(path, "targetPort"),
            undefined,
            'instance targets in securityGroupMode "controller" need the Service\'s NodePort as targetPort (or services.<name>.nodePort in the network)',
        );
    }
    return {
        key,
        namespace: b.namespace,
        serviceName: b.service,
        servicePort: b.servicePort,
        tgbName: b.name,
        ipAddressType: b.ipAddressType,
        targetType: tg.targetType,
        protocol: tg.protocol,
        fromPort: traffic.fromPort,
        toPort: traffic.toPort,
        networkingPort: fixedPort,
        healthCheckPort: healthCheck?.fromPort,
    };
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

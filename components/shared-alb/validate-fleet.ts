/**
 * `clusters` and `services` of the SharedAlb arguments: each cluster and
 * service read as `args.ts` declares it, then the checks that span them
 * (weights of clusters that run a service, overrides of services a cluster
 * runs, shadowing conditions, the ALB's quotas). Pure: no Pulumi runtime.
 */
import { accountId, externalId } from "../internal/arn";
import { Problems } from "../internal/errors";
import {
    Fields,
    Reader,
    check,
    trueOrFalse,
    integer,
    isIntIn,
    isRecord,
    join,
    list,
    map,
    nonEmpty,
    nullAsAbsent,
    object,
    objectFields,
    optional,
    redacted,
    text,
    withDefault,
} from "../internal/read";
import { AllowedText, KeyPattern, TargetType, roleName } from "../internal/values";
import type { ClusterArgs, ServiceArgs, StickinessArgs } from "./args";
import { literalCount, wildcardCount } from "./glob";
import { Limits } from "./limits";
import { ClusterPlan, Defaults, FleetPlan, ServicePlan } from "./model";
import { defaultControllerRoleName, registrarRoleName, targetGroupName } from "./naming";
import { PriorityLayout } from "./precedence";
import {
    Layer,
    OverrideLayer,
    PathPattern,
    ServiceSettings,
    ServiceSettingsFields,
    TargetGroupSettings,
    overrideLayer,
    resolveSettings,
} from "./target-groups";
import { own } from "../internal/data";

/** A cluster key or service name: it ends up in resource names. */
export const NameKeyPattern = new RegExp(`^(?=.{1,${Limits.maxKeyLength}}$)${KeyPattern.source.slice(1)}`);

const HostPattern = /^(?=.{1,128}$)[A-Za-z0-9*?.-]*\.[A-Za-z]+$/;
const HostAllowed =
    "expected a host name of at most 128 letters, digits, '-', '.', '*' and '?', with a '.' followed by letters only at the end (\"shop.example.com\", \"*.example.com\")";
const PathAllowed = "expected path patterns starting with '/' of at most 128 characters";
const seconds = "an integer number of seconds";

/** What reading the clusters and services needs from the rest of the arguments. */
export interface FleetContext {
    albAccountId: string;
    loadBalancerName: string;
    serviceNames: string[];
}

/** The clusters, and each one's overrides of its target groups by service. */
export interface ClusterModels {
    context: FleetContext;
    /** Every cluster given (an object under a valid key), its model read or not. */
    given: string[];
    clusters: Record<string, ClusterPlan>;
    overrides: Record<string, Record<string, Layer<OverrideLayer>>>;
}

/** `clusters`: at least one, keyed by cluster key. */
export function readClusters(p: Problems, raw: unknown, context: FleetContext): ClusterModels {
    const overrides: ClusterModels["overrides"] = {};
    const clusters = map(key => clusterReader(context, key, overrides), {
        notMap: "expected at least one cluster: { <key>: { accountId, weight } }",
        nonEmpty: true,
        key: { pattern: NameKeyPattern, allowed: `cluster key: ${AllowedText.key}` },
    })(p, "clusters", raw);
    return { context, given: givenKeys(raw), clusters: clusters ?? {}, overrides };
}

/**
 * The keys of the clusters or services given: objects under a valid key,
 * whether or not their own values passed. Checks that name one of them ask
 * this, so one entry's mistake is reported once, at the entry.
 */
export function givenKeys(raw: unknown): string[] {
    return isRecord(raw) ? Object.keys(raw).filter(k => NameKeyPattern.test(k) && isRecord(raw[k])) : [];
}

/** `clusters.<key>.services`: known service names, at least one. */
function clusterServices(serviceNames: string[]): Reader<string[]> {
    const known = check(
        (v): v is string => typeof v === "string" && serviceNames.includes(v),
        `expected one of the services: ${serviceNames.join(", ") || "(none)"}`,
    );
    const name = text(KeyPattern, "expected service names");
    return nonEmpty(
        list((p, path, value) => (name(p, path, value) === undefined ? undefined : known(p, path, value)), {
            notList: "expected a list; expected service names",
            unique: true,
        }),
        "expected at least one service (leave services out for all of them, or remove the cluster)",
    );
}

/** An entry of `services.<name>.shadows`: another service (whether their rules overlap is checked with the priorities). */
function shadowedService(serviceNames: string[], self: string): Reader<string> {
    const others = serviceNames.filter(s => s !== self);
    return check(
        (v): v is string => typeof v === "string" && others.includes(v),
        `expected another service: ${others.join(", ") || "(none)"}`,
    );
}

/** `clusters.<key>.serviceOverrides`: overrides of known services, keyed by service name. */
function serviceOverrides(serviceNames: string[]): Reader<Record<string, OverrideLayer>> {
    return map(
        service => (p, path, value) =>
            p.check(serviceNames.includes(service), path, value, `expected one of the services: ${serviceNames.join(", ") || "(none)"}`)
                ? overrideLayer(p, path, value)
                : undefined,
        {
            notMap: "expected { <service>: { port?, protocol?, targetType?, nodePort?, healthCheck? } }",
        },
    );
}

/** `clusters.<key>`, read as `ClusterArgs` declares it, then checked against the fleet; records its overrides. */
function clusterReader(context: FleetContext, key: string, overrides: ClusterModels["overrides"]): Reader<ClusterPlan> {
    const fields = object(
        "expected { accountId, weight?, retiring?, services?, serviceOverrides?, previewSlot?, controllerRoleName?, externalId? }",
        {
            accountId,
            weight: nullAsAbsent(withDefault(integer(0, Limits.maxWeight), Defaults.weight)),
            retiring: nullAsAbsent(withDefault(trueOrFalse, false)),
            services: optional(clusterServices(context.serviceNames)),
            serviceOverrides: optional(serviceOverrides(context.serviceNames)),
            previewSlot: nullAsAbsent(optional(integer(1, PriorityLayout.previewSlots))),
            controllerRoleName: nullAsAbsent(withDefault(roleName, defaultControllerRoleName(key))),
            externalId: nullAsAbsent(optional(externalId)),
        } satisfies Record<keyof ClusterArgs, Reader<unknown>>,
    );
    return (p, path, value) => {
        const c = fields(p, path, value);
        if (c === undefined) {
            return undefined;
        }
        p.check(
            !c.retiring || c.weight === 0,
            join(path, "weight"),
            c.weight,
            `clusters.${key} is retiring and takes no traffic: expected 0 (or leave weight out)`,
        );
        const crossAccount = c.accountId !== context.albAccountId;
        const givenId = isRecord(value) && value.externalId !== undefined && value.externalId !== null;
        p.check(
            crossAccount || !givenId,
            join(path, "externalId"),
            redacted(isRecord(value) ? value.externalId : undefined),
            "allowed only for a cluster in another account than accountId (same-account clusters assume no role)",
        );
        const services = [...(c.services ?? context.serviceNames)].sort();
        overrides[key] = clusterOverrides(p, path, key, c.serviceOverrides ?? {}, services);
        return {
            key,
            accountId: c.accountId,
            weight: c.retiring ? 0 : c.weight,
            crossAccount,
            controllerRoleName: c.controllerRoleName,
            registrarRoleName: crossAccount ? registrarRoleName(context.loadBalancerName, key) : undefined,
            externalId: crossAccount ? (givenId ? "given" : "generated") : undefined,
            // The slot itself is allocated with the priorities, once every cluster is read.
            services,
            previewSlot: c.previewSlot ?? 0,
            previewSlotGiven: c.previewSlot !== undefined,
            retiring: c.retiring,
        };
    };
}

/** A cluster's overrides, each of a service it runs: it has no target group to override otherwise. */
function clusterOverrides(
    p: Problems,
    path: string,
    key: string,
    read: Record<string, OverrideLayer>,
    runs: string[],
): Record<string, Layer<OverrideLayer>> {
    const out: Record<string, Layer<OverrideLayer>> = {};
    for (const [service, set] of Object.entries(read)) {
        const at = join(join(path, "serviceOverrides"), service);
        if (
            p.check(
                runs.includes(service),
                at,
                set,
                `cluster ${key} does not run service ${service}, so it has no target group to override: add ${service} to ${join(path, "services")}, or drop the override`,
            )
        ) {
            out[service] = { path: at, set };
        }
    }
    return out;
}

/** Each service's rule conditions and priority, as far as they must differ from the other services'. */
interface ServiceOwners {
    priorities: Map<number, string>;
    conditions: Map<string, string>;
}

/** A service's rule conditions, read even when another of its values was refused. */
export interface Conditions {
    hosts: string[];
    paths: string[];
}

/** The services read, and the conditions of every service given whose hosts and paths passed. */
export interface ServiceModels {
    services: Record<string, ServicePlan>;
    conditions: Record<string, Conditions>;
}

/** `services`: at least one, keyed by service name; each cluster that runs one gets its target group. */
export function readServices(p: Problems, raw: unknown, fleet: ClusterModels): ServiceModels {
    const owners: ServiceOwners = { priorities: new Map(), conditions: new Map() };
    const conditions: Record<string, Conditions> = {};
    const services =
        map(name => serviceReader(fleet, name, owners, conditions), {
            notMap: "expected at least one service: { <name>: { port, hosts | paths } }",
            nonEmpty: true,
            key: { pattern: NameKeyPattern, allowed: `service name: ${AllowedText.key}` },
        })(p, "services", raw) ?? {};
    checkServiceLimits(p, services);
    const given = givenKeys(raw);
    return { services, conditions: Object.fromEntries(Object.entries(conditions).filter(([name]) => given.includes(name))) };
}

const host = text(HostPattern, HostAllowed);

/** A path pattern that does not match every path (leave paths out for that). */
const pathPattern: Reader<string> = (p, path, value) => {
    const read = text(PathPattern, PathAllowed)(p, path, value);
    return read === undefined ||
        p.check(
            literalCount(read) > 1 || wildcardCount(read) === 0,
            path,
            read,
            "matches every path: leave paths out instead (a pattern needs a literal character after the leading '/')",
        )
        ? read
        : undefined;
};

/** `services.<name>` as read: `ServiceArgs` with its defaults given. */
type ServiceRead = ServiceSettings &
    Required<Pick<ServiceArgs, "hosts" | "paths" | "shadows" | "deregistrationDelay" | "slowStart">> &
    Pick<ServiceArgs, "priority" | "weights" | "stickiness">;

/** The readers of the fields of `services.<name>`, one for each field `ServiceArgs` declares. */
function serviceFields(fleet: ClusterModels, name: string): Fields<ServiceRead> {
    return {
        port: ServiceSettingsFields.port,
        protocol: ServiceSettingsFields.protocol,
        targetType: ServiceSettingsFields.targetType,
        nodePort: ServiceSettingsFields.nodePort,
        hosts: withDefault(list(host, { notList: `expected a list; ${HostAllowed}`, unique: h => h.toLowerCase() }), []),
        paths: withDefault(list(pathPattern, { notList: `expected a list; ${PathAllowed}`, unique: true }), []),
        priority: optional(
            integer(1, PriorityLayout.explicitMax, "an integer (explicit priorities precede every derived one, which start at 1010)"),
        ),
        shadows: nullAsAbsent(
            withDefault(
                list(shadowedService(fleet.context.serviceNames, name), { notList: "expected a list of service names", unique: true }),
                [],
            ),
        ),
        weights: optional(map(cluster => weightOf(fleet, name, cluster), { notMap: "expected { <cluster>: weight }" })),
        healthCheck: ServiceSettingsFields.healthCheck,
        deregistrationDelay: nullAsAbsent(withDefault(integer(0, 3600, seconds), Defaults.deregistrationDelay)),
        slowStart: nullAsAbsent(
            withDefault(
                check((v): v is number => v === 0 || isIntIn(v, 30, 900), "expected 0 (off) or an integer from 30 to 900 seconds"),
                Defaults.slowStart,
            ),
        ),
        stickiness: optional(object<StickinessArgs>("expected { duration }", { duration: integer(1, 604800, seconds) })),
    } satisfies Record<keyof ServiceArgs, Reader<unknown>>;
}

/** `services.<name>`, read as `ServiceArgs` declares it, then checked against the other services and the clusters. */
function serviceReader(
    fleet: ClusterModels,
    name: string,
    owners: ServiceOwners,
    conditions: Record<string, Conditions>,
): Reader<ServicePlan> {
    const fields = objectFields("expected { port, protocol?, targetType?, hosts?, paths?, ... }", serviceFields(fleet, name));
    return (p, path, value) => {
        const read = fields(p, path, value);
        if (read === undefined) {
            return undefined;
        }
        const s = read.whole;
        const serviceLayer = s === undefined ? undefined : { path, set: s };
        const settings = serviceLayer === undefined ? undefined : resolveSettings(p, serviceLayer);
        // The checks across fields run when their fields passed, whatever the others did.
        const { hosts, paths, priority } = read.fields;
        if (hosts !== undefined && paths !== undefined) {
            conditions[name] = { hosts, paths };
            checkConditions(p, path, hosts, paths, name, owners);
        }
        if (priority !== undefined) {
            const other = owners.priorities.get(priority);
            p.check(
                other === undefined,
                join(path, "priority"),
                priority,
                `expected a priority unique on the listener; services.${other} has it`,
            );
            owners.priorities.set(priority, name);
        }
        if (s === undefined || serviceLayer === undefined || settings === undefined) {
            return undefined;
        }
        // Weights in the order the clusters are given (messages echo them so); the clusters sorted.
        const running = Object.values(fleet.clusters).filter(c => c.services.includes(name));
        const weights = Object.fromEntries(running.map(c => [c.key, own(s.weights, c.key) ?? c.weight]));
        const serving = running.map(c => c.key).sort();
        return {
            name,
            ...settings,
            hosts: s.hosts,
            paths: s.paths,
            priority: s.priority ?? 0,
            explicitPriority: s.priority !== undefined,
            shadows: [...s.shadows].sort(),
            clusters: serving,
            weights,
            previewPriorities: {},
            deregistrationDelay: s.deregistrationDelay,
            slowStart: s.slowStart,
            stickinessDuration: s.stickiness?.duration,
            targetGroups: targetGroupsOf(p, fleet, name, serviceLayer, settings, serving),
        };
    };
}

/** The target group of each cluster that runs a service: the service's settings, or the cluster's override laid over them, and its name. */
function targetGroupsOf(
    p: Problems,
    fleet: ClusterModels,
    service: string,
    serviceLayer: Layer<ServiceSettings>,
    settings: TargetGroupSettings,
    clusters: string[],
): Record<string, TargetGroupSettings> {
    const out: Record<string, TargetGroupSettings> = {};
    for (const cluster of clusters) {
        const override = own(own(fleet.overrides, cluster), service);
        const tg = override === undefined ? settings : resolveSettings(p, serviceLayer, override);
        checkCrossAccountTargets(
            p,
            fleet,
            service,
            cluster,
            tg.targetType,
            override?.set.targetType !== undefined ? override.path : serviceLayer.path,
        );
        out[cluster] = tg;
    }
    return out;
}

/**
 * A cross-account cluster's target groups take `ip` targets only: its
 * TargetGroupBindings assume the registrar role (`iamRoleArnToAssume`), and
 * the AWS Load Balancer Controller's validating webhook refuses such a
 * binding with `instance` targets ("Unable to use instance target type while
 * using assume role", `checkAssumeRoleConfig` in
 * webhooks/elbv2/targetgroupbinding_validator.go, v3.5.0). Its mutator
 * copies the target group's type into a binding that gives none, so leaving
 * the type out of the binding does not help. Reported at the layer that set
 * `instance`: the cluster's override, else the service.
 */
function checkCrossAccountTargets(
    p: Problems,
    fleet: ClusterModels,
    service: string,
    cluster: string,
    type: TargetType,
    setBy: string,
): void {
    const c = own(fleet.clusters, cluster);
    if (c === undefined || !c.crossAccount || type !== TargetType.Instance) {
        return;
    }
    const override = join(join(join(join("clusters", cluster), "serviceOverrides"), service), "targetType");
    const fix =
        setBy === join("services", service)
            ? `set ${override}: ip for this cluster, or targetType: ip here for every cluster`
            : "set it to ip";
    p.add(
        join(setBy, "targetType"),
        type,
        `cluster ${cluster} is in account ${c.accountId}, not the ALB's ${fleet.context.albAccountId}: its ` +
            'TargetGroupBindings assume the registrar role (iamRoleArnToAssume), and the AWS Load Balancer Controller\'s webhook rejects "instance" ' +
            `targets with an assumed role; expected "ip" for cluster ${cluster}: ${fix}`,
    );
}

/**
 * `services.<name>.weights.<cluster>`: only for a known cluster that runs
 * the service, 0..999, and 0 for a retiring one.
 */
function weightOf(fleet: ClusterModels, service: string, cluster: string): Reader<number> {
    return (p, path, value) => {
        if (
            !p.check(
                fleet.given.includes(cluster),
                path,
                value,
                `expected a weight for a known cluster; clusters are: ${fleet.given.join(", ") || "(none)"}`,
            )
        ) {
            return undefined;
        }
        const c = own(fleet.clusters, cluster);
        if (c === undefined) {
            // The cluster's own problems are reported with it.
            return integer(0, Limits.maxWeight)(p, path, value);
        }
        if (
            !p.check(
                c.services.includes(service),
                path,
                value,
                `cluster ${cluster} does not run service ${service}: add ${service} to clusters.${cluster}.services, or drop the weight`,
            )
        ) {
            return undefined;
        }
        const weight = integer(0, Limits.maxWeight)(p, path, value);
        return weight !== undefined &&
            p.check(
                weight === 0 || !c.retiring,
                path,
                weight,
                `clusters.${cluster} is retiring and takes no traffic: expected 0 (or drop the weight)`,
            )
            ? weight
            : undefined;
    };
}

/** Hosts and paths of a service: within the ALB's per-condition and per-rule limits, and unlike every other service's. */
function checkConditions(p: Problems, path: string, hosts: string[], paths: string[], name: string, owners: ServiceOwners): void {
    for (const [key, values] of [
        ["hosts", hosts],
        ["paths", paths],
    ] as const) {
        p.check(
            values.length <= Limits.valuesPerCondition,
            join(path, key),
            values,
            `expected at most ${Limits.valuesPerCondition} (values of one ALB rule condition)`,
        );
    }
    const both = { hosts, paths };
    p.check(
        hosts.length + paths.length <= Limits.conditionValuesPerRule,
        join(path, "hosts"),
        both,
        `expected at most ${Limits.conditionValuesPerRule} hosts and paths together (match evaluations per ALB rule)`,
    );
    const wildcards = [...hosts, ...paths].reduce((n, v) => n + wildcardCount(v), 0);
    p.check(
        wildcards <= Limits.wildcardsPerRule,
        join(path, "hosts"),
        both,
        `expected at most ${Limits.wildcardsPerRule} wildcards ('*', '?') in hosts and paths together (per ALB rule); got ${wildcards}`,
    );
    if (hosts.length + paths.length > 0) {
        const condition = JSON.stringify([hosts.map(h => h.toLowerCase()).sort(), [...paths].sort()]);
        const other = owners.conditions.get(condition);
        p.check(
            other === undefined,
            join(path, "hosts"),
            both,
            `expected conditions different from services.${other}'s: two rules with the same hosts and paths shadow each other`,
        );
        owners.conditions.set(condition, name);
    }
}

/**
 * Limits across services: at most 5 clusters per service (every cluster that
 * runs it is in its forward action, weight 0 included), and every target
 * group counted in the ALB's 100.
 */
function checkServiceLimits(p: Problems, services: Record<string, ServicePlan>): void {
    for (const s of Object.values(services)) {
        p.check(
            s.clusters.length <= Limits.targetGroupsPerForward,
            join(join("services", s.name), "weights"),
            s.weights,
            `expected at most ${Limits.targetGroupsPerForward} clusters running the service: every one is in its forward action, weight 0 included, ` +
                `and a forward takes at most ${Limits.targetGroupsPerForward} target groups; narrow clusters.<key>.services`,
        );
    }
    const attached = Object.values(services).reduce((n, s) => n + s.clusters.length, 0);
    p.check(
        attached <= Limits.targetGroupsPerLoadBalancer,
        "services",
        `${attached} target groups`,
        `expected at most ${Limits.targetGroupsPerLoadBalancer} target groups on one ALB (its quota; weight-0 ones count too); narrow clusters.<key>.services`,
    );
}

/**
 * The target group names by cluster key, then service name, in the VPC
 * given; two must differ (two clusters' and services' readable parts may
 * shorten alike).
 */
export function targetGroupNamesOf(p: Problems, plan: FleetPlan, vpcId: string): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = Object.fromEntries(Object.keys(plan.clusters).map(k => [k, {}]));
    const owners = new Map<string, string>();
    for (const s of Object.values(plan.services)) {
        for (const [cluster, tg] of Object.entries(s.targetGroups)) {
            const name = targetGroupName({ loadBalancerName: plan.loadBalancer.name, cluster, service: s.name, vpcId, ...tg });
            const other = owners.get(name);
            p.check(
                other === undefined,
                join(join("services", s.name), "port"),
                tg.port,
                `target group name ${name} for cluster ${cluster} collides with ${other}; rename the service or cluster`,
            );
            owners.set(name, `${cluster}/${s.name}`);
            out[cluster][s.name] = name;
        }
    }
    return out;
}

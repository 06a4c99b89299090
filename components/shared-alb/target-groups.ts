/**
 * The target group of each cluster and service: the service's own settings
 * (`services.<name>`), with the cluster's `clusters.<key>.serviceOverrides.<name>`
 * laid over them, so a change that replaces a target group (port, protocol,
 * target type) or retunes it (health check, NodePort) can be made on one
 * cluster at a time. Pure: no Pulumi runtime.
 */
import { Problems } from "../internal/errors";
import {
    NodePortRange, TargetType, TargetTypes, checkInt, checkKnownKeys, checkOneOf, checkPattern, isRecord, join,
} from "../internal/validate";
import { targetGroupName } from "./naming";

/** Target group protocols an ALB supports. */
export const TargetProtocols = ["HTTP", "HTTPS"] as const;
export type TargetProtocol = (typeof TargetProtocols)[number];

/** The defaults of a target group's settings. */
export const TargetGroupDefaults = {
    protocol: "HTTP" as TargetProtocol,
    targetType: "ip" as TargetType,
    healthCheck: { path: "/", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
} as const;

/** A path pattern or health check path as ALB accepts it: `/`, then at most 127 characters. */
export const PathPattern = /^\/[A-Za-z0-9_\-.$/~"'@:+&()!,;=*?%]{0,127}$/;
const MatcherPattern = /^([1-5]\d\d)((-[1-5]\d\d)|(,[1-5]\d\d)*)$/;

export const HealthCheckKeys = ["path", "port", "protocol", "matcher", "interval", "timeout", "healthyThreshold", "unhealthyThreshold"] as const;
/** What `clusters.<key>.serviceOverrides.<service>` may set. */
export const OverrideKeys = ["port", "protocol", "targetType", "nodePort", "healthCheck"] as const;

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

/** The settings of one target group (what its cluster's override, or the service, says). */
export interface TargetGroupSettings {
    port: number;
    protocol: TargetProtocol;
    targetType: TargetType;
    /** `instance` targets: the one NodePort the ALB must reach; absent: the whole NodePort range. */
    nodePort?: number;
    healthCheck: HealthCheckModel;
}

/** One cluster's target group of a service. */
export interface TargetGroupModel extends TargetGroupSettings {
    /** The physical name: its digest covers the properties that replace it (port, protocol, target type, VPC). */
    name: string;
}

/** One layer of settings: the service's own, or a cluster's override of them, with the config path it came from. */
export interface SettingsLayer {
    path: string;
    raw: Record<string, unknown>;
}

/** Where a setting comes from: the topmost layer that has it. */
interface Picked {
    value: unknown;
    path: string;
    /** From the topmost layer: its problems are reported (the lower layers' were reported with their own settings). */
    top: boolean;
}

/** Where the problems of a setting go: the caller's for the topmost layer's values (and defaults of a lone layer), nowhere otherwise. */
function sinkFor(p: Problems, layers: readonly SettingsLayer[]): (from: Picked | undefined) => Problems {
    const scratch = new Problems();
    return from => ((from === undefined ? layers.length === 1 : from.top) ? p : scratch);
}

function pick(layers: readonly SettingsLayer[], key: string): Picked | undefined {
    for (let i = layers.length - 1; i >= 0; i--) {
        if (layers[i].raw[key] !== undefined) {
            return { value: layers[i].raw[key], path: join(layers[i].path, key), top: i === layers.length - 1 };
        }
    }
    return undefined;
}

/**
 * The settings a stack of layers yields. Problems are reported for the
 * values of the topmost layer only, at its paths: the service's own values
 * are checked once, with the service, and again here only when they meet an
 * override's (a NodePort that needs `instance`, a timeout below the interval).
 */
export function resolveSettings(p: Problems, layers: readonly SettingsLayer[]): TargetGroupSettings {
    const sink = sinkFor(p, layers);
    const top = layers[layers.length - 1];

    const port = pick(layers, "port");
    checkInt(sink(port), port?.path ?? join(layers[0].path, "port"), port?.value, 1, 65535, "an integer port");
    const protocol = pick(layers, "protocol");
    const protocolValue = protocol?.value ?? TargetGroupDefaults.protocol;
    checkOneOf(sink(protocol), protocol?.path ?? "", protocolValue, TargetProtocols);
    const targetType = pick(layers, "targetType");
    const targetTypeValue = targetType?.value ?? TargetGroupDefaults.targetType;
    checkOneOf(sink(targetType), targetType?.path ?? "", targetTypeValue, TargetTypes);

    let nodePort: number | undefined;
    const np = pick(layers, "nodePort");
    if (np !== undefined && checkInt(sink(np), np.path, np.value, NodePortRange.from, NodePortRange.to, "a NodePort")) {
        if (np.top) {
            p.check(targetTypeValue === "instance", np.path, np.value, "allowed only with targetType \"instance\" (ip targets are reached on port)");
        }
        // A service's NodePort carries over to a cluster that keeps instance targets only.
        nodePort = targetTypeValue === "instance" ? np.value as number : undefined;
    }
    const healthCheck = healthCheckSettings(p, layers, protocolValue as TargetProtocol, top);
    return {
        port: port?.value as number, protocol: protocolValue as TargetProtocol, targetType: targetTypeValue as TargetType, nodePort, healthCheck,
    };
}

/**
 * The health check of a stack of layers, merged key by key (an override
 * that sets only `path` keeps the service's other values). The protocol
 * defaults to the target group's own.
 */
function healthCheckSettings(p: Problems, layers: readonly SettingsLayer[], protocol: TargetProtocol, top: SettingsLayer): HealthCheckModel {
    const topPath = join(top.path, "healthCheck");
    const topRaw = top.raw.healthCheck;
    if (topRaw !== undefined && !isRecord(topRaw)) {
        p.add(topPath, topRaw, "expected { path, port, protocol, matcher, interval, timeout, healthyThreshold, unhealthyThreshold }");
    } else if (topRaw !== undefined) {
        checkKnownKeys(p, topPath, topRaw, HealthCheckKeys);
    }
    const hcLayers = layers.map(l => ({ path: join(l.path, "healthCheck"), raw: isRecord(l.raw.healthCheck) ? l.raw.healthCheck : {} }));
    const value = (key: string) => pick(hcLayers, key);
    const sink = sinkFor(p, hcLayers);
    const d = TargetGroupDefaults.healthCheck;
    const [path, port, proto, matcher, interval, timeout, healthy, unhealthy] = HealthCheckKeys.map(value);
    const model: HealthCheckModel = {
        path: (path?.value ?? d.path) as string,
        port: port?.value as number | undefined,
        protocol: (proto?.value ?? protocol) as TargetProtocol,
        matcher: (matcher === undefined ? d.matcher : typeof matcher.value === "number" ? String(matcher.value) : matcher.value) as string,
        interval: (interval?.value ?? d.interval) as number,
        timeout: (timeout?.value ?? d.timeout) as number,
        healthyThreshold: (healthy?.value ?? d.healthyThreshold) as number,
        unhealthyThreshold: (unhealthy?.value ?? d.unhealthyThreshold) as number,
    };
    const at = (from: Picked | undefined, key: string) => from?.path ?? join(topPath, key);
    checkPattern(sink(path), at(path, "path"), model.path, PathPattern, "expected a path starting with '/' of at most 128 characters");
    if (port !== undefined) {
        checkInt(sink(port), port.path, port.value, 1, 65535, "an integer port (omit it for the traffic port)");
    }
    if (proto !== undefined) {
        checkOneOf(sink(proto), proto.path, proto.value, TargetProtocols);
    }
    checkPattern(sink(matcher), at(matcher, "matcher"), model.matcher, MatcherPattern, "expected HTTP codes 100..599 as \"200\", \"200-299\" or \"200,204\"");
    const intervalOk = checkInt(sink(interval), at(interval, "interval"), model.interval, 5, 300, "an integer number of seconds");
    const timeoutOk = checkInt(sink(timeout), at(timeout, "timeout"), model.timeout, 2, 120, "an integer number of seconds");
    if (intervalOk && timeoutOk && model.timeout >= model.interval) {
        if (layers.length === 1 || timeout?.top === true) {
            p.add(at(timeout, "timeout"), model.timeout, `expected a timeout below the interval (${model.interval} s)`);
        } else if (interval?.top === true) {
            p.add(interval.path, model.interval, `expected an interval above the timeout (${model.timeout} s)`);
        }
    }
    checkInt(sink(healthy), at(healthy, "healthyThreshold"), model.healthyThreshold, 2, 10);
    checkInt(sink(unhealthy), at(unhealthy, "unhealthyThreshold"), model.unhealthyThreshold, 2, 10);
    return model;
}

/**
 * `clusters.<key>.serviceOverrides`: per service the cluster runs, the
 * settings it sets for its own target group. Checked for shape here; the
 * values are checked with the service's (`resolveSettings`).
 */
export function overrideLayers(p: Problems, cluster: string, raw: unknown, serviceNames: readonly string[], runs: readonly string[]):
    Record<string, SettingsLayer> {
    const clusterPath = join("clusters", cluster);
    const path = join(clusterPath, "serviceOverrides");
    const out: Record<string, SettingsLayer> = {};
    if (raw === undefined || !p.check(isRecord(raw), path, raw, `expected { <service>: { ${OverrideKeys.join("?, ")}? } }`)) {
        return out;
    }
    for (const [service, value] of Object.entries(raw as Record<string, unknown>)) {
        const sp = join(path, service);
        if (!p.check(serviceNames.includes(service), sp, value, `expected one of the services: ${serviceNames.join(", ") || "(none)"}`)
            || !p.check(runs.includes(service), sp, value,
                `cluster ${cluster} does not run service ${service}, so it has no target group to override: add ${service} to ${join(clusterPath, "services")}, or drop the override`)
            || !p.check(isRecord(value), sp, value, `expected { ${OverrideKeys.join("?, ")}? }`)) {
            continue;
        }
        checkKnownKeys(p, sp, value as Record<string, unknown>, OverrideKeys);
        out[service] = { path: sp, raw: value as Record<string, unknown> };
    }
    return out;
}

/** The target group of each cluster that runs a service: the service's settings, or its override laid over them. */
export function targetGroupModels(p: Problems, input: {
    loadBalancerName: string;
    vpcId: string;
    service: string;
    own: SettingsLayer;
    ownSettings: TargetGroupSettings;
    clusters: readonly string[];
    overrides: Record<string, SettingsLayer | undefined>;
}): Record<string, TargetGroupModel> {
    const out: Record<string, TargetGroupModel> = {};
    for (const cluster of input.clusters) {
        const override = input.overrides[cluster];
        const settings = override === undefined ? input.ownSettings : resolveSettings(p, [input.own, override]);
        out[cluster] = {
            ...settings,
            name: targetGroupName({
                loadBalancerName: input.loadBalancerName, cluster, service: input.service, vpcId: input.vpcId,
                port: settings.port, protocol: settings.protocol, targetType: settings.targetType,
            }),
        };
    }
    return out;
}

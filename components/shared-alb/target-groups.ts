/**
 * The target group of each cluster and service: the service's own settings
 * (`services.<name>`), with the cluster's `clusters.<key>.serviceOverrides.<name>`
 * laid over them, so a change that replaces a target group (port, protocol,
 * target type) or retunes it (health check, NodePort) can be made on one
 * cluster at a time. Pure: no Pulumi runtime.
 */
import { Problems } from "../internal/errors";
import { Fields, Reader, integer, join, nullAsAbsent, object, optional, text, withDefault } from "../internal/read";
import { TargetProtocol, TargetType, nodePort, port, targetProtocol, targetType } from "../internal/values";

/** The defaults of a target group's settings. */
export const TargetGroupDefaults = {
    protocol: TargetProtocol.Http,
    targetType: TargetType.Ip,
    healthCheck: { path: "/", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
} as const;

/** A path pattern or health check path as ALB accepts it: `/`, then at most 127 characters. */
export const PathPattern = /^\/[A-Za-z0-9_\-.$/~"'@:+&()!,;=*?%]{0,127}$/;
const MatcherPattern = /^([1-5]\d\d)((-[1-5]\d\d)|(,[1-5]\d\d)*)$/;

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

/** The health check keys one layer sets (a service's, or a cluster's override of it). */
export type HealthCheckLayer = Partial<HealthCheckModel>;

/** What `services.<name>` says of its target groups (the health check as set: its keys default per cluster). */
export interface ServiceSettings {
    port: number;
    protocol: TargetProtocol;
    targetType: TargetType;
    nodePort?: number;
    healthCheck?: HealthCheckLayer;
}

/** What `clusters.<key>.serviceOverrides.<service>` sets over the service's settings. */
export type OverrideLayer = Partial<ServiceSettings>;

/** A layer of settings and where it sits (`services.web`, `clusters.green.serviceOverrides.web`). */
export interface Layer<T> {
    path: string;
    set: T;
}

/** A matcher: HTTP codes, as a string (YAML reads `200` as a number). */
const matcher: Reader<string> = (p, path, value) =>
    text(MatcherPattern, 'expected HTTP codes 100..599 as "200", "200-299" or "200,204"')(
        p,
        path,
        typeof value === "number" ? String(value) : value,
    );

const seconds = "an integer number of seconds";

/** `healthCheck`: every key optional, merged key by key over the layers below. */
export const healthCheckLayer: Reader<HealthCheckLayer> = object<HealthCheckLayer>(
    "expected { path, port, protocol, matcher, interval, timeout, healthyThreshold, unhealthyThreshold }",
    {
        path: nullAsAbsent(optional(text(PathPattern, "expected a path starting with '/' of at most 128 characters"))),
        port: optional(integer(1, 65535, "an integer port (omit it for the traffic port)")),
        protocol: optional(targetProtocol),
        matcher: optional(matcher),
        interval: nullAsAbsent(optional(integer(5, 300, seconds))),
        timeout: nullAsAbsent(optional(integer(2, 120, seconds))),
        healthyThreshold: nullAsAbsent(optional(integer(2, 10))),
        unhealthyThreshold: nullAsAbsent(optional(integer(2, 10))),
    },
);

/** The target group settings of `services.<name>` (its other keys are read with the service). */
export const ServiceSettingsFields = {
    port,
    protocol: nullAsAbsent(withDefault(targetProtocol, TargetGroupDefaults.protocol)),
    targetType: nullAsAbsent(withDefault(targetType, TargetGroupDefaults.targetType)),
    nodePort: optional(nodePort),
    healthCheck: optional(healthCheckLayer),
} satisfies Fields<ServiceSettings>;

/** `clusters.<key>.serviceOverrides.<service>`: every key optional. */
export const overrideLayer: Reader<OverrideLayer> = object<OverrideLayer>(
    "expected { port?, protocol?, targetType?, nodePort?, healthCheck? }",
    {
        port: optional(port),
        protocol: optional(targetProtocol),
        targetType: optional(targetType),
        nodePort: optional(nodePort),
        healthCheck: optional(healthCheckLayer),
    },
);

/**
 * The settings of one target group: the service's, with a cluster's
 * override laid over them key by key. Problems are reported for the topmost
 * layer's values only, at its paths: the service's own values were checked
 * with the service, and meet an override's only for a NodePort that needs
 * `instance` targets and a timeout below the interval.
 */
export function resolveSettings(p: Problems, service: Layer<ServiceSettings>, override?: Layer<OverrideLayer>): TargetGroupSettings {
    const o = override?.set ?? {};
    const top = override ?? service;
    const protocol = o.protocol ?? service.set.protocol;
    const type = o.targetType ?? service.set.targetType;
    if (top.set.nodePort !== undefined) {
        p.check(
            type === TargetType.Instance,
            join(top.path, "nodePort"),
            top.set.nodePort,
            'allowed only with targetType "instance" (ip targets are reached on port)',
        );
    }
    return {
        port: o.port ?? service.set.port,
        protocol,
        targetType: type,
        // A service's NodePort carries over to a cluster that keeps instance targets only.
        nodePort: type === TargetType.Instance ? (o.nodePort ?? service.set.nodePort) : undefined,
        healthCheck: resolveHealthCheck(p, [service, ...(override ? [override] : [])], protocol),
    };
}

/**
 * The health check of a stack of layers, merged key by key (an override
 * that sets only `path` keeps the service's other values). The protocol
 * defaults to the target group's own. A timeout at or above the interval is
 * reported where the topmost layer set one of them.
 */
function resolveHealthCheck(p: Problems, layers: readonly Layer<OverrideLayer>[], protocol: TargetProtocol): HealthCheckModel {
    const checks = layers.map(l => ({ path: join(l.path, "healthCheck"), set: l.set.healthCheck ?? {} }));
    const top = checks[checks.length - 1];
    const d = TargetGroupDefaults.healthCheck;
    const merged = checks.reduce<HealthCheckLayer>((acc, c) => ({ ...acc, ...c.set }), {});
    const model: HealthCheckModel = {
        path: merged.path ?? d.path,
        port: merged.port,
        protocol: merged.protocol ?? protocol,
        matcher: merged.matcher ?? d.matcher,
        interval: merged.interval ?? d.interval,
        timeout: merged.timeout ?? d.timeout,
        healthyThreshold: merged.healthyThreshold ?? d.healthyThreshold,
        unhealthyThreshold: merged.unhealthyThreshold ?? d.unhealthyThreshold,
    };
    if (model.timeout >= model.interval) {
        if (checks.length === 1 || top.set.timeout !== undefined) {
            p.add(join(top.path, "timeout"), model.timeout, `expected a timeout below the interval (${model.interval} s)`);
        } else if (top.set.interval !== undefined) {
            p.add(join(top.path, "interval"), model.interval, `expected an interval above the timeout (${model.timeout} s)`);
        }
    }
    return model;
}

/**
 * The ports the ALB's security group must reach in the VPC, and how its
 * egress rules describe them. Pure: no Pulumi runtime.
 */
import { albTargetPorts } from "../internal/target-ports";
import type { FleetPlan } from "./model";

/** One port range the ALB must reach in the VPC, and why (`web (ip: traffic and health checks)`). */
export interface TargetPortRange {
    fromPort: number;
    toPort: number;
    reasons: string[];
}

/**
 * The ports the ALB must reach in the VPC: those of every target group
 * (each cluster's own, after its `serviceOverrides`), by `albTargetPorts`.
 * Sorted, one entry per distinct range; a reason names the clusters when
 * not every cluster of the service needs the range.
 */
export function targetPortRanges(model: FleetPlan): TargetPortRange[] {
    // range -> reason -> clusters needing it for that reason
    const ranges = new Map<string, { fromPort: number; toPort: number; reasons: Map<string, { service: string; clusters: string[] }> }>();
    const need = (fromPort: number, toPort: number, service: string, what: string, cluster: string) => {
        const key = `${fromPort}-${toPort}`;
        const entry = ranges.get(key) ?? { fromPort, toPort, reasons: new Map() };
        const reason = entry.reasons.get(`${service} ${what}`) ?? { service, clusters: [] };
        reason.clusters.push(cluster);
        entry.reasons.set(`${service} ${what}`, reason);
        ranges.set(key, entry);
    };
    const services = Object.values(model.services).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const s of services) {
        for (const cluster of s.clusters) {
            const tg = s.targetGroups[cluster];
            for (const p of albTargetPorts({
                targetType: tg.targetType,
                port: tg.port,
                nodePort: tg.nodePort,
                healthCheckPort: tg.healthCheck.port,
            })) {
                need(p.fromPort, p.toPort, s.name, `(${p.reason})`, cluster);
            }
        }
    }
    const clustersOf = (service: string) => model.services[service].clusters;
    return [...ranges.values()]
        .sort((a, b) => a.fromPort - b.fromPort || a.toPort - b.toPort)
        .map(r => ({
            fromPort: r.fromPort,
            toPort: r.toPort,
            reasons: [...r.reasons.entries()].map(([key, { service, clusters }]) => {
                const what = key.slice(service.length + 1);
                return clusters.length === clustersOf(service).length
                    ? `${service} ${what}`
                    : `${service} on ${clusters.join(", ")} ${what}`;
            }),
        }));
}

/** `8080`, or `30000-32767` for a range. */
export function portsKey(range: { fromPort: number; toPort: number }): string {
    return range.fromPort === range.toPort ? `${range.fromPort}` : `${range.fromPort}-${range.toPort}`;
}

/** A security group rule description (at most 255 characters) saying which targets a port range is for. */
export function egressDescription(range: TargetPortRange): string {
    const text = `targets on ${portsKey(range)}: ${range.reasons.join(", ")}`;
    return text.length <= 255 ? text : `${text.slice(0, 252)}...`;
}

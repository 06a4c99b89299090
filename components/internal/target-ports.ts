/**
 * Which ports the ALB must reach on a target group's targets, and why: the
 * one rule behind SharedAlb's egress rules, ClusterAttachment's ingress
 * rules and TargetGroupBinding networking, and the doctor's egress check.
 * Pure: no Pulumi runtime.
 */
import { NodePortRange, TargetType } from "./values";

/** A target group's settings that decide where the ALB sends traffic and health checks. */
export interface TargetGroupPorts {
    targetType: TargetType;
    /** The port `ip` targets are registered on: the target group's port (or a binding's `targetPort`). */
    port: number;
    /** `instance` targets: the Service's NodePort, when declared (or a binding's `targetPort`). */
    nodePort?: number;
    /** The health check's own port, when one is set (absent: the traffic port). */
    healthCheckPort?: number;
}

/** One port range the ALB must reach on the targets. */
export interface TargetPortNeed {
    fromPort: number;
    toPort: number;
    /** `traffic` (health checks too, unless they have a port of their own) or `healthCheck`. */
    purpose: "traffic" | "healthCheck";
    /** What it is for: `ip: traffic and health checks`, `instance: NodePort range, traffic`, `ip: health checks`... */
    reason: string;
}

/**
 * The ports the ALB must reach on one target group's targets, traffic
 * first: `ip` targets on the target port; `instance` targets on the
 * declared NodePort, else the whole NodePort range 30000-32767 (targets
 * are registered, and health-checked on `traffic-port`, on their
 * NodePort). Then the health-check port, when one is set and is not the
 * one traffic port; with the NodePort range it always has its own entry,
 * inside the range or not.
 */
export function albTargetPorts(tg: TargetGroupPorts): TargetPortNeed[] {
    const trafficPort = tg.targetType === TargetType.Ip ? tg.port : tg.nodePort;
    const healthCheckPort = tg.healthCheckPort !== trafficPort ? tg.healthCheckPort : undefined;
    const what = healthCheckPort === undefined ? "traffic and health checks" : "traffic";
    const where =
        tg.targetType === TargetType.Ip ? "ip: " : trafficPort !== undefined ? "instance: NodePort, " : "instance: NodePort range, ";
    const traffic: TargetPortNeed = {
        fromPort: trafficPort ?? NodePortRange.from,
        toPort: trafficPort ?? NodePortRange.to,
        purpose: "traffic",
        reason: `${where}${what}`,
    };
    return healthCheckPort === undefined
        ? [traffic]
        : [
              traffic,
              { fromPort: healthCheckPort, toPort: healthCheckPort, purpose: "healthCheck", reason: `${tg.targetType}: health checks` },
          ];
}

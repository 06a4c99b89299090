import { NetworkOutputs } from "../../components/internal";
import { ConfigError } from "../../components/internal";
import { ShiftArgs } from "./args";
import { Fleet } from "./config-file";
import { formatDuration } from "./duration";
import { Schedule } from "./schedule";

/**
 * What is decided between the schedule and the first step, pure: that the
 * outputs have what the shift reads (the target's target groups and the
 * service rules), and how stickiness stretches the bake.
 */

/** Refuses a shift the outputs cannot carry: the target not deployed, or a service without a rule ARN to verify. */
export function checkDeployed(outputs: NetworkOutputs, schedule: Schedule): void {
    const cluster = outputs.clusters[schedule.target];
    if (cluster === undefined) {
        throw new ConfigError(
            "--to",
            schedule.target,
            `the network outputs have no cluster ${JSON.stringify(schedule.target)}: it is not deployed yet ` +
                "(pulumi up -s network with the cluster at weight 0 first, then export the outputs again)",
        );
    }
    for (const service of schedule.services) {
        if (cluster.targetGroups[service] === undefined) {
            throw new ConfigError(
                `clusters.${schedule.target}.targetGroups.${service}`,
                undefined,
                `the network outputs have no target group of ${schedule.target} for ${service}: deploy the network stack with the cluster running the service first, then export the outputs again`,
            );
        }
        if (outputs.services[service]?.ruleArn === undefined) {
            throw new ConfigError(
                `services.${service}.ruleArn`,
                undefined,
                "the network outputs name no rule for the service, so its weights cannot be verified on the ALB: export the outputs of a network stack deployed with this version of shared-alb " +
                    "(a service without weight has no rule: give it weight first)",
            );
        }
    }
}

/** Each step's bake and the warnings of the selected services' stickiness. */
export function stickiness(
    fleet: Fleet,
    schedule: Schedule,
    args: Pick<ShiftArgs, "bakeMs" | "maxBakeMs">,
): { bakeMs: number; warnings: string[] } {
    const sticky = schedule.services
        .filter(s => fleet.services[s]?.stickinessSeconds !== undefined)
        .map(s => ({ service: s, ms: (fleet.services[s].stickinessSeconds as number) * 1000 }));
    if (sticky.length === 0) {
        return { bakeMs: args.bakeMs, warnings: [] };
    }
    const longest = sticky.reduce((a, b) => (b.ms > a.ms ? b : a));
    const cookies = sticky.map(s => `${s.service} ${formatDuration(s.ms)}`).join(", ");
    const warnings = [
        `stickiness (${cookies}): a client keeps the cluster it first reached until its cookie expires, so a step moves new clients first, ` +
            "and clients pinned to a cluster get 503s if it has no healthy targets: keep every cluster serving until the cookies expire",
    ];
    if (longest.ms <= args.bakeMs) {
        return {
            bakeMs: args.bakeMs,
            warnings: [
                ...warnings,
                `each step bakes ${formatDuration(args.bakeMs)}, at least the longest cookie (${formatDuration(longest.ms)})`,
            ],
        };
    }
    if (longest.ms <= args.maxBakeMs) {
        return {
            bakeMs: longest.ms,
            warnings: [
                ...warnings,
                `each step bakes ${formatDuration(longest.ms)} (the cookie of ${longest.service}) instead of --bake ${formatDuration(args.bakeMs)}`,
            ],
        };
    }
    const bakeMs = Math.max(args.bakeMs, args.maxBakeMs);
    return {
        bakeMs,
        warnings: [
            ...warnings,
            `each step bakes ${formatDuration(bakeMs)}, not the ${formatDuration(longest.ms)} of ${longest.service}'s cookie: that is longer than --max-bake ` +
                `${formatDuration(args.maxBakeMs)}, so clients pinned to the other clusters are still there when the next step starts (raise --max-bake to wait them out)`,
        ],
    };
}

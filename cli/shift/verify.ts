import { NetworkOutputs } from "../../components/internal";
import { ServiceWeights } from "./schedule";

/**
 * Whether the ALB's rules forward with the weights a step wants: pure, from
 * the rules as read (DescribeRules by the rule ARNs of the outputs).
 */

/** A service rule's forward action as read: weight by target group ARN, or none when it does not forward. */
export interface LiveRuleWeights {
    ruleArn: string;
    /** Weight by target group ARN; absent when the rule does not forward. */
    forward?: Record<string, number>;
    /** The fixed-response status when the rule answers itself (every weight 0). */
    fixedResponseStatus?: string;
}

/** The outcome of one comparison: every service matches, or what differs. */
export interface Comparison {
    matches: boolean;
    /** Per service that differs: `web: blue 100 (want 90), green 0 (want 10)`. */
    differences: string[];
    /** The weights read, by service then cluster (clusters of the outputs only). */
    live: ServiceWeights;
}

/** The service rules' ARNs of the selected services; `undefined` for a service whose outputs have none. */
export function ruleArns(outputs: NetworkOutputs, services: readonly string[]): Record<string, string | undefined> {
    return Object.fromEntries(services.map(s => [s, outputs.services[s]?.ruleArn]));
}

/** The live weights of the services by cluster, from the rules read. */
export function liveWeights(
    outputs: NetworkOutputs,
    services: readonly string[],
    rules: Record<string, LiveRuleWeights | undefined>,
): ServiceWeights {
    const out: ServiceWeights = {};
    for (const service of services) {
        const rule = rules[outputs.services[service]?.ruleArn ?? ""];
        out[service] = {};
        for (const [cluster, c] of Object.entries(outputs.clusters)) {
            const tg = c.targetGroups[service];
            if (tg !== undefined && rule !== undefined) {
                out[service][cluster] = rule.forward?.[tg.arn] ?? 0;
            }
        }
    }
    return out;
}

/** Compares the rules read with the weights wanted. */
export function compareWeights(
    outputs: NetworkOutputs,
    wanted: ServiceWeights,
    rules: Record<string, LiveRuleWeights | undefined>,
): Comparison {
    const services = Object.keys(wanted).sort();
    const live = liveWeights(outputs, services, rules);
    const differences: string[] = [];
    for (const service of services) {
        const arn = outputs.services[service]?.ruleArn ?? "";
        const rule = rules[arn];
        if (rule === undefined) {
            differences.push(`${service}: rule ${arn} not found`);
            continue;
        }
        if (rule.forward === undefined) {
            differences.push(
                `${service}: the rule does not forward${rule.fixedResponseStatus ? ` (it answers ${rule.fixedResponseStatus})` : ""}`,
            );
            continue;
        }
        const off = Object.keys(wanted[service])
            .sort()
            .filter(c => live[service][c] !== wanted[service][c])
            .map(c => `${c} ${live[service][c] ?? "absent"} (want ${wanted[service][c]})`);
        if (off.length > 0) {
            differences.push(`${service}: ${off.join(", ")}`);
        }
    }
    return { matches: differences.length === 0, differences, live };
}

import { NetworkOutputs } from "../../components/internal";
import { unreadable } from "./aws-clients";
import { expectedTargetGroups } from "./outputs";
import { CheckResult, fail, pass, warn } from "./report";
import { AwsSnapshot } from "./snapshot";

/** The name DescribeAccountLimits gives AWS's quota "Targets per Application Load Balancer" (1,000 by default, adjustable). */
export const TargetsPerAlbLimit = "targets-per-application-load-balancer";

/** From this share of the quota on, `alb.target-quota` warns: 4/5 (80%). */
const WarnAt = { numerator: 4, denominator: 5 };

/** The targets registered in the outputs' target groups, as far as their health could be read. */
interface TargetCount {
    total: number;
    /** Target groups counted (read, or missing: a missing one holds no target). */
    groups: number;
    byCluster: Map<string, number>;
    /** Reads of target health that failed: those target groups are not counted. */
    unread: Array<{ call: string; error: string }>;
}

/**
 * Sums DescribeTargetHealth over every target group of the outputs: every
 * cluster's, weight 0 and retiring included (their targets are registered,
 * so they count). A target registered in two target groups counts twice, so
 * the sum is never below AWS's own count.
 */
function countTargets(outputs: NetworkOutputs, snap: AwsSnapshot): TargetCount {
    const count: TargetCount = { total: 0, groups: 0, byCluster: new Map(), unread: [] };
    const seen = new Set<string>();
    for (const e of expectedTargetGroups(outputs)) {
        if (seen.has(e.tg.arn)) {
            continue;
        }
        seen.add(e.tg.arn);
        const health = snap.targetHealth[e.tg.arn];
        if (health?.state === "error") {
            count.unread.push(health);
            continue;
        }
        const n = health?.state === "ok" ? health.value.length : 0;
        count.total += n;
        count.groups += 1;
        count.byCluster.set(e.cluster, (count.byCluster.get(e.cluster) ?? 0) + n);
    }
    return count;
}

/** The limit's maximum as a number; undefined when AWS gave none or not a whole number. */
function limitOf(snap: AwsSnapshot): number | undefined {
    const limits = snap.accountLimits;
    const max = limits.state === "ok" ? limits.value[TargetsPerAlbLimit] : undefined;
    return max !== undefined && /^\d+$/.test(max) ? Number(max) : undefined;
}

/**
 * `alb.target-quota`: the targets registered in the ALB's target groups
 * against the account's quota of targets per Application Load Balancer
 * (DescribeAccountLimits, `targets-per-application-load-balancer`). The
 * plan cannot know this count: pods come and go. Fails above the quota,
 * warns from 80% of it; a failed read of the quota, or of a target group's
 * health while the others stay within it, is an error.
 */
export function checkTargetQuota(outputs: NetworkOutputs, snap: AwsSnapshot): CheckResult {
    const id = "alb.target-quota";
    const subject = outputs.loadBalancer.arn;
    if (snap.accountLimits.state === "error") {
        return unreadable(id, subject, snap.accountLimits);
    }
    const max = limitOf(snap);
    if (max === undefined) {
        return {
            id,
            status: "error",
            subject,
            message: `could not check: elasticloadbalancing:DescribeAccountLimits gave no whole-number limit ${TargetsPerAlbLimit}`,
            hint: `compare the targets registered with the quota "Targets per Application Load Balancer" in the Service Quotas console (Elastic Load Balancing, account ${outputs.accountId}, ${outputs.region})`,
        };
    }
    const count = countTargets(outputs, snap);
    const over = count.total > max;
    if (count.unread.length > 0 && !over) {
        return unreadable(id, subject, count.unread[0]);
    }
    const clusters = [...count.byCluster]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
    const unread = count.unread.length > 0 ? `; ${count.unread.length} more could not be read` : "";
    const registered = `${unread ? "at least " : ""}${count.total} targets registered in ${count.groups} target groups (${clusters}${unread})`;
    const quota = `the quota of ${max} targets per Application Load Balancer (${TargetsPerAlbLimit})`;
    const fix =
        `request a higher "Targets per Application Load Balancer" quota in Service Quotas (Elastic Load Balancing, account ${outputs.accountId}, ${outputs.region}), ` +
        "or split the load: fewer replicas, fewer clusters per service (clusters.<key>.services), or a second ALB";
    if (over) {
        return fail(id, subject, `${registered} exceed ${quota}: registering more targets fails, so new pods get no traffic`, fix);
    }
    const percent = Math.floor((count.total * 100) / max);
    if (count.total * WarnAt.denominator >= max * WarnAt.numerator) {
        const room = count.total === max ? "no further target can be registered" : `only ${max - count.total} more can be registered`;
        return warn(
            id,
            subject,
            `${registered}: ${percent}% of ${quota}; ${room}, and a rolling update registers new pods before the old ones leave`,
            fix,
        );
    }
    return pass(id, subject, `${registered}: ${percent}% of ${quota}`);
}

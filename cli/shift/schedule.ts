import { ConfigError } from "../../components/internal";

/**
 * The schedule of a shift, a pure function of the configured weights: for
 * each step, every selected service's weights. The target gets the step's
 * share of the service's total weight (the total stays as it is), the other
 * clusters share the rest in the proportion they have now (largest
 * remainders, so the weights stay integers and add up to the total).
 */

/** Weights by service, then by cluster (the clusters that run the service). */
export type ServiceWeights = Record<string, Record<string, number>>;

/** One step: the target's share and the selected services' weights after it. */
export interface ScheduledStep {
    percent: number;
    weights: ServiceWeights;
}

/** A whole shift: the selected services, their weights now, and each step. */
export interface Schedule {
    target: string;
    services: string[];
    start: ServiceWeights;
    steps: ScheduledStep[];
}

/** What the schedule is computed from. */
export interface ScheduleRequest {
    target: string;
    /** The services named with `--service`; empty: every service the target runs. */
    services: readonly string[];
    steps: readonly number[];
    /** Every service's weight per cluster that runs it, as configured. */
    weights: ServiceWeights;
    /** The clusters of the config, with `retiring`. */
    clusters: Record<string, { retiring: boolean }>;
    /** The config key the paths in messages start with (`alb-fleet:network`). */
    key: string;
}

const quoted = (names: readonly string[]) => names.map(n => JSON.stringify(n)).join(", ");

/** The services to shift: those named, each checked, or every service the target runs. */
function selectServices(r: ScheduleRequest): string[] {
    const all = Object.keys(r.weights).sort();
    if (r.services.length === 0) {
        return all.filter(s => r.weights[s][r.target] !== undefined);
    }
    for (const s of r.services) {
        if (r.weights[s] === undefined) {
            throw new ConfigError("--service", s, `expected a service of ${r.key}.services: ${quoted(all)}`);
        }
        if (r.weights[s][r.target] === undefined) {
            throw new ConfigError(
                "--service",
                s,
                `${r.key}.clusters.${r.target}.services does not list ${s}: cluster ${r.target} does not run it, so it has no target group to take its traffic`,
            );
        }
    }
    return [...r.services].sort();
}

/**
 * The weights of one service with the target at `percent` of the total (all
 * of it when no other cluster has weight), the others sharing the rest in
 * their current proportion.
 */
export function stepWeights(current: Record<string, number>, target: string, percent: number): Record<string, number> {
    const total = Object.values(current).reduce((a, b) => a + b, 0);
    const others = Object.keys(current)
        .filter(c => c !== target)
        .sort();
    const base = others.reduce((sum, c) => sum + current[c], 0);
    // With no other cluster serving, there is no one to give a share to: the target keeps all.
    const mine = base === 0 ? total : Math.round((total * percent) / 100);
    const rest = total - mine;
    const exact = others.map(c => (base === 0 ? 0 : (rest * current[c]) / base));
    const out: Record<string, number> = { [target]: mine };
    others.forEach((c, i) => {
        out[c] = Math.floor(exact[i]);
    });
    let left = rest - others.reduce((sum, c) => sum + out[c], 0);
    const byRemainder = others.map((c, i) => ({ c, r: exact[i] - Math.floor(exact[i]) })).sort((a, b) => b.r - a.r || (a.c < b.c ? -1 : 1));
    for (const { c } of byRemainder) {
        if (left <= 0) {
            break;
        }
        out[c] += 1;
        left -= 1;
    }
    return Object.fromEntries(
        Object.keys(current)
            .sort()
            .map(c => [c, out[c]]),
    );
}

/** A service's target share now, in percent. */
export function shareOf(weights: Record<string, number>, target: string): number {
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : (100 * (weights[target] ?? 0)) / total;
}

function checkService(r: ScheduleRequest, service: string): void {
    const weights = r.weights[service];
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    if (total === 0) {
        throw new ConfigError(
            `${r.key}.services.${service}`,
            weights,
            "every cluster's weight is 0 (the rule answers 503): there is no traffic to shift; give a cluster weight first",
        );
    }
    const share = shareOf(weights, r.target);
    const below = r.steps.find(p => p < share - 1e-9);
    if (below !== undefined) {
        throw new ConfigError(
            "--steps",
            r.steps.join(","),
            `step ${below} is below ${r.target}'s current share of service ${service} (${round(share)}%): ` +
                `a shift only moves traffic to the target; start above ${round(share)} (or choose services with --service)`,
        );
    }
    const mine = Math.round((total * r.steps[r.steps.length - 1]) / 100);
    if (mine > 999) {
        throw new ConfigError(
            `${r.key}.services.${service}`,
            weights,
            `the last step would give ${r.target} weight ${mine} (a shift keeps the service's total weight, ${total}), ` +
                "and a weight is at most 999: lower every weight of the service in the same proportion first",
        );
    }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The schedule; throws {@link ConfigError} naming the option or config path for a request it refuses. */
export function planSchedule(r: ScheduleRequest): Schedule {
    const clusters = Object.keys(r.clusters).sort();
    if (r.clusters[r.target] === undefined) {
        throw new ConfigError("--to", r.target, `expected a cluster of ${r.key}.clusters: ${quoted(clusters)}`);
    }
    if (r.clusters[r.target].retiring) {
        throw new ConfigError(
            "--to",
            r.target,
            `${r.key}.clusters.${r.target}.retiring is true: a retiring cluster gets no weight (set it to false first if the cluster is to serve again)`,
        );
    }
    const services = selectServices(r);
    services.forEach(s => checkService(r, s));
    const start: ServiceWeights = Object.fromEntries(services.map(s => [s, { ...r.weights[s] }]));
    const steps: ScheduledStep[] = [];
    let previous = start;
    for (const percent of r.steps) {
        const weights = Object.fromEntries(services.map(s => [s, stepWeights(r.weights[s], r.target, percent)]));
        if (services.every(s => sameWeights(weights[s], previous[s]))) {
            throw new ConfigError(
                "--steps",
                r.steps.join(","),
                `step ${percent} changes no weight of ${services.join(", ")} (${describeWeights(previous, services)}): drop it`,
            );
        }
        steps.push({ percent, weights });
        previous = weights;
    }
    return { target: r.target, services, start, steps };
}

/** Whether two weight maps are equal. */
export function sameWeights(a: Record<string, number>, b: Record<string, number>): boolean {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every(k => a[k] === b[k]);
}

/** `web: blue 90 green 10; api: ...`. */
export function describeWeights(weights: ServiceWeights, services: readonly string[] = Object.keys(weights).sort()): string {
    return services
        .map(
            s =>
                `${s}: ${Object.keys(weights[s])
                    .sort()
                    .map(c => `${c} ${weights[s][c]}`)
                    .join(" ")}`,
        )
        .join("; ");
}

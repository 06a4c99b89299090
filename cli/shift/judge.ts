/**
 * The bake's judge, pure: CloudWatch samples of each target group in, the
 * breaches of the target cluster out, and the per-cluster figures the
 * progress line shows.
 */

/** One target group's metrics over the bake so far. */
export interface TargetGroupSample {
    cluster: string;
    service: string;
    /** RequestCount, Sum. */
    requests: number;
    /** HTTPCode_Target_5XX_Count, Sum. */
    errors5xx: number;
    /** TargetResponseTime p99 in ms, the highest minute; absent when not read (no --max-p99-ms) or no data. */
    p99Ms?: number;
    /** UnHealthyHostCount, Maximum; absent when CloudWatch has no data point. */
    unhealthyMax?: number;
}

/** The limits a bake judges by. */
export interface Thresholds {
    max5xxPercent: number;
    /** @default none: p99 not judged */
    maxP99Ms?: number;
}

/** A limit broken on the target. */
export interface Breach {
    cluster: string;
    service: string;
    metric: "5xx" | "p99" | "unhealthy";
    value: number;
    limit: number;
    message: string;
}

/** A cluster's figures across the selected services: requests, 5xx share, highest p99. */
export interface ClusterFigures {
    cluster: string;
    requests: number;
    errors5xx: number;
    /** Percent of requests that got a target 5xx; absent with no requests. */
    errorPercent?: number;
    p99Ms?: number;
}

/** The share of requests that ended in a target 5xx, in percent; `undefined` with no requests. */
export function errorPercent(errors: number, requests: number): number | undefined {
    return requests > 0 ? (100 * errors) / requests : undefined;
}

const fixed = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, "") || "0";

/** The breaches of the target cluster's target groups. */
export function judge(samples: readonly TargetGroupSample[], target: string, limits: Thresholds): Breach[] {
    const out: Breach[] = [];
    for (const s of samples.filter(x => x.cluster === target)) {
        const where = `${s.cluster}/${s.service}`;
        const pct = errorPercent(s.errors5xx, s.requests);
        if (pct !== undefined && pct > limits.max5xxPercent) {
            out.push({
                cluster: s.cluster,
                service: s.service,
                metric: "5xx",
                value: pct,
                limit: limits.max5xxPercent,
                message: `${where}: target 5xx ${fixed(pct, 2)}% (${s.errors5xx} of ${s.requests} requests) is above --max-5xx-percent ${limits.max5xxPercent}`,
            });
        }
        if (limits.maxP99Ms !== undefined && s.p99Ms !== undefined && s.p99Ms > limits.maxP99Ms) {
            out.push({
                cluster: s.cluster,
                service: s.service,
                metric: "p99",
                value: s.p99Ms,
                limit: limits.maxP99Ms,
                message: `${where}: p99 response time ${fixed(s.p99Ms, 1)} ms is above --max-p99-ms ${limits.maxP99Ms}`,
            });
        }
        if (s.unhealthyMax !== undefined && s.unhealthyMax > 0) {
            out.push({
                cluster: s.cluster,
                service: s.service,
                metric: "unhealthy",
                value: s.unhealthyMax,
                limit: 0,
                message: `${where}: ${s.unhealthyMax} unhealthy target${s.unhealthyMax === 1 ? "" : "s"} (UnHealthyHostCount)`,
            });
        }
    }
    return out;
}

/** Per cluster, in key order: requests and 5xx summed over its target groups, the highest p99. */
export function clusterFigures(samples: readonly TargetGroupSample[]): ClusterFigures[] {
    const byCluster = new Map<string, ClusterFigures>();
    for (const s of samples) {
        const f = byCluster.get(s.cluster) ?? { cluster: s.cluster, requests: 0, errors5xx: 0 };
        f.requests += s.requests;
        f.errors5xx += s.errors5xx;
        if (s.p99Ms !== undefined) {
            f.p99Ms = Math.max(f.p99Ms ?? 0, s.p99Ms);
        }
        byCluster.set(s.cluster, f);
    }
    return [...byCluster.values()]
        .sort((a, b) => (a.cluster < b.cluster ? -1 : 1))
        .map(f => {
            const pct = errorPercent(f.errors5xx, f.requests);
            return pct === undefined ? f : { ...f, errorPercent: pct };
        });
}

/** `blue 0.1% 5xx p99 120ms, green 0% 5xx` (no requests: `green no requests`). */
export function describeFigures(figures: readonly ClusterFigures[]): string {
    return figures
        .map(f => {
            const p99 = f.p99Ms !== undefined ? ` p99 ${fixed(f.p99Ms, 0)}ms` : "";
            return f.errorPercent === undefined
                ? `${f.cluster} no requests${p99}`
                : `${f.cluster} ${fixed(f.errorPercent, 2)}% 5xx of ${f.requests}${p99}`;
        })
        .join(", ");
}

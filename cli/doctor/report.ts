/**
 * What a doctor run produces: one result per (check, subject), and the
 * summary. The check ids and the JSON shape are a public contract.
 */

/** Every check id the doctor can report. Part of the CLI contract. */
export const CheckIds = [
    "alb.found",
    "alb.deletion-protection",
    "alb.security-group",
    "listener.found",
    "listener.rule",
    "listener.weights",
    "listener.preview",
    "tg.found",
    "tg.vpc",
    "tg.config",
    "tg.healthy",
    "tg.target-port",
    "sg.alb-egress",
    "registrar.trust",
    "k8s.controller",
    "k8s.retiring",
    "k8s.tgb.found",
    "k8s.tgb.service",
    "k8s.tgb.reconciled",
    "k8s.tgb.role",
] as const;

/** One of {@link CheckIds}. */
export type CheckId = (typeof CheckIds)[number];

/** Outcome of one check. */
export const Statuses = ["pass", "warn", "fail"] as const;
export type Status = (typeof Statuses)[number];

/** One line of the report. */
export interface CheckResult {
    /** Which check, e.g. `tg.healthy`. */
    id: CheckId;
    status: Status;
    /** What was checked: a cluster, a service, an ARN, or a combination. */
    subject: string;
    /** What was found, in one sentence. */
    message: string;
    /** For warn and fail: the one-line fix. Empty for pass. */
    hint: string;
}

/** Counts by status. */
export interface Summary {
    pass: number;
    warn: number;
    fail: number;
}

/** The `--json` document. */
export interface Report {
    checks: CheckResult[];
    summary: Summary;
}

/** A passing result. */
export function pass(id: CheckId, subject: string, message: string): CheckResult {
    return { id, status: "pass", subject, message, hint: "" };
}

/** A warning: something to look at, not yet breaking traffic. */
export function warn(id: CheckId, subject: string, message: string, hint: string): CheckResult {
    return { id, status: "warn", subject, message, hint };
}

/** A failure: broken now, or a security problem. */
export function fail(id: CheckId, subject: string, message: string, hint: string): CheckResult {
    return { id, status: "fail", subject, message, hint };
}

/** Counts results by status. */
export function summarize(checks: readonly CheckResult[]): Summary {
    const summary: Summary = { pass: 0, warn: 0, fail: 0 };
    for (const check of checks) {
        summary[check.status] += 1;
    }
    return summary;
}

/** Exit code for a finished run: 1 when anything failed, else 0. */
export function exitCodeFor(summary: Summary): 0 | 1 {
    return summary.fail > 0 ? 1 : 0;
}

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
    "alb.target-quota",
    "sg.alb-egress",
    "registrar.trust",
    "controller.iam",
    "k8s.controller",
    "k8s.retiring",
    "k8s.tgb.found",
    "k8s.tgb.service",
    "k8s.tgb.reconciled",
    "k8s.tgb.role",
] as const;

/** One of {@link CheckIds}. */
export type CheckId = (typeof CheckIds)[number];

/**
 * Outcome of one check. `error`: a read the check needs failed (denied,
 * throttled past the retries, unreachable), so it could not tell; never a
 * pass.
 */
export const Statuses = ["pass", "warn", "fail", "error"] as const;
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
    /** For warn, fail and error: the one-line fix. Empty for pass. */
    hint: string;
}

/** Counts by status. */
export interface Summary {
    pass: number;
    warn: number;
    fail: number;
    error: number;
}

/** A read (one AWS API call or Kubernetes request) that failed, so the checks that needed it could not tell. */
export interface FailedRead {
    /** The call, e.g. `elasticloadbalancing:DescribeRules` or `list targetgroupbindings.elbv2.k8s.aws`. */
    call: string;
    /** What it read: an ARN, a role name, `namespace/name`. */
    subject: string;
    /** The error as one line, e.g. `AccessDenied: User ... is not authorized`. */
    error: string;
}

/** The `--json` document. */
export interface Report {
    checks: CheckResult[];
    summary: Summary;
    /** Every read that failed (empty when all succeeded), in the order they were made. */
    failedReads: FailedRead[];
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

/**
 * A check that could not tell because a read it needs failed: the message
 * names the read and why (`could not check: <call> failed: <reason>`).
 */
export function couldNotCheck(id: CheckId, subject: string, read: { call: string; error: string }, hint: string): CheckResult {
    return { id, status: "error", subject, message: `could not check: ${read.call} failed: ${read.error}`, hint };
}

/** Counts results by status. */
export function summarize(checks: readonly CheckResult[]): Summary {
    const summary: Summary = { pass: 0, warn: 0, fail: 0, error: 0 };
    for (const check of checks) {
        summary[check.status] += 1;
    }
    return summary;
}

/**
 * Exit code for a finished run: 1 when a check failed; else 3 when a check
 * could not be checked (a read failed); else 0.
 */
export function exitCodeFor(summary: Summary): 0 | 1 | 3 {
    return summary.fail > 0 ? 1 : summary.error > 0 ? 3 : 0;
}

import type { WeightEdit } from "./config-file";
import type { Gate } from "./gates";
import type { Breach, ClusterFigures, TargetGroupSample } from "./judge";
import { Schedule, ServiceWeights, describeWeights } from "./schedule";

/**
 * The shift's record: every step, gate, apply, verification, metric sample
 * and decision, printed as JSON with `--json` and summed up in words at the
 * end. Plain data.
 */

/** How a shift ended. */
export type Outcome =
    "done" | "rolled-back" | "gate-failed" | "apply-failed" | "verify-failed" | "rollback-failed" | "interrupted" | "error";

/** The exit code of each outcome: 0 done, 4 rolled back, 130 interrupted, 1 anything else. */
export function exitCodeOf(outcome: Outcome): number {
    return outcome === "done" ? 0 : outcome === "rolled-back" ? 4 : outcome === "interrupted" ? 130 : 1;
}

/** One run of the apply command. */
export interface ApplyRecord {
    command: string;
    /** Its exit code; `null` when a signal ended it. */
    exitCode: number | null;
    signal?: string;
    durationMs: number;
}

/** One verification: whether the ALB showed the weights, after how many reads. */
export interface VerifyRecord {
    matches: boolean;
    reads: number;
    durationMs: number;
    /** What still differed at the last read (empty when it matched). */
    differences: string[];
}

/** One metric sample of a bake. */
export interface SampleRecord {
    /** Milliseconds since the bake started. */
    atMs: number;
    /** The window it covers, ISO times. */
    from: string;
    to: string;
    targetGroups: TargetGroupSample[];
    clusters: ClusterFigures[];
    breaches: Breach[];
    /** When the read failed: its error, in one line (the bake goes on). */
    error?: string;
    /** When the p99 read failed while no `--max-p99-ms` judges it: why (the sample has the other figures). */
    p99Error?: string;
}

/** One bake. */
export interface BakeRecord {
    plannedMs: number;
    durationMs: number;
    samples: SampleRecord[];
    breaches: Breach[];
}

/** One step as it went. */
export interface StepRecord {
    index: number;
    percent: number;
    weights: ServiceWeights;
    gates: Gate[];
    edits: WeightEdit[];
    apply?: ApplyRecord;
    verify?: VerifyRecord;
    bake?: BakeRecord;
    /** `next`, `done`, or why the shift stopped here. */
    decision: "next" | "done" | "rollback" | "stopped";
}

/** The rollback after a breach. */
export interface RollbackRecord {
    /** The step whose weights were put back (0: the weights before the shift). */
    toStep: number;
    weights: ServiceWeights;
    edits: WeightEdit[];
    apply?: ApplyRecord;
    verify?: VerifyRecord;
}

/** The whole report. */
export interface ShiftReport {
    target: string;
    services: string[];
    loadBalancer: string;
    configFile: string;
    start: ServiceWeights;
    plan: Array<{ percent: number; weights: ServiceWeights }>;
    settings: {
        bakeMs: number;
        intervalMs: number;
        verifyTimeoutMs: number;
        max5xxPercent: number;
        maxP99Ms: number | null;
        minHealthy: number;
    };
    warnings: string[];
    steps: StepRecord[];
    rollback: RollbackRecord | null;
    outcome: Outcome;
    /** The outcome in one sentence, with what to do next. */
    message: string;
    /** The weights the ALB was last verified to have. */
    verifiedWeights: ServiceWeights;
    /** The weights the config file holds at the end. */
    configWeights: ServiceWeights;
    exitCode: number;
}

/** The dry run's text: the schedule per service, step by step. */
export function renderSchedule(s: Schedule, configFile: string): string {
    const lines = [
        `shared-alb shift --dry-run: ${s.target} takes ${s.services.join(", ")} in ${s.steps.length} step${s.steps.length === 1 ? "" : "s"}; nothing is changed`,
    ];
    for (const service of s.services) {
        lines.push(`  ${service}:`);
        lines.push(`    now        ${describeWeights(s.start, [service]).slice(service.length + 2)}`);
        for (const step of s.steps) {
            lines.push(`    ${`${step.percent}%`.padEnd(10)} ${describeWeights(step.weights, [service]).slice(service.length + 2)}`);
        }
    }
    lines.push(`each step writes these weights into ${configFile} and runs --apply`);
    return `${lines.join("\n")}\n`;
}

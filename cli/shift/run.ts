import { NetworkOutputs } from "../../components/internal";
import { oneLine } from "../doctor/aws-clients";
import { ShiftArgs } from "./args";
import { AlbReader, MetricsReader, WatchedTargetGroup, readSamples } from "./aws";
import { NetworkConfigFile, configuredWeights, editText, fleetOf, weightEdits } from "./config-file";
import { formatDuration } from "./duration";
import { gatesPass, runGates } from "./gates";
import { Breach, clusterFigures, describeFigures, judge } from "./judge";
import { Progress } from "./progress";
import {
    ApplyRecord,
    BakeRecord,
    Outcome,
    RollbackRecord,
    SampleRecord,
    ShiftReport,
    StepRecord,
    VerifyRecord,
    exitCodeOf,
} from "./report";
import { Schedule, ServiceWeights, describeWeights } from "./schedule";
import { compareWeights, ruleArns } from "./verify";

/**
 * The shift itself: for each step, gates, the config edit, the apply
 * command, the verification on the ALB and the bake; a breach rolls back.
 * Everything it touches comes in through {@link ShiftDeps}, so tests run it
 * against moto with a script as the apply command, or against stand-ins.
 */

/** What the shift reads, writes and runs. */
export interface ShiftDeps {
    alb: AlbReader;
    metrics: MetricsReader;
    /** Runs the apply command to its end. */
    runApply(command: string): Promise<{ exitCode: number | null; signal?: string }>;
    /** The config file's text now, and a way to replace it. */
    readConfig(): string;
    writeConfig(text: string): void;
    now(): number;
    /** Waits `ms`, or less when the shift is interrupted. */
    sleep(ms: number): Promise<void>;
    interrupted(): boolean;
    progress: Progress;
}

/** Everything decided before the first step. */
export interface ShiftPlan {
    args: ShiftArgs;
    outputs: NetworkOutputs;
    config: NetworkConfigFile;
    schedule: Schedule;
    /** Each step's bake, stretched for stickiness. */
    bakeMs: number;
    warnings: string[];
}

/** Verification reads the ALB every --interval, but at least this often. */
const VerifyEveryMs = 10_000;

class StepFailed extends Error {
    constructor(
        readonly outcome: Outcome,
        message: string,
    ) {
        super(message);
    }
}

/** Runs a planned shift to its end and returns its report (never throws for a failed step: the report says what happened). */
export async function runShift(plan: ShiftPlan, deps: ShiftDeps): Promise<ShiftReport> {
    return new Shifter(plan, deps).run();
}

class Shifter {
    private readonly report: ShiftReport;
    private verified: ServiceWeights;
    private readonly label: string;

    constructor(
        private readonly plan: ShiftPlan,
        private readonly deps: ShiftDeps,
    ) {
        const { args, schedule } = plan;
        this.verified = deployedWeights(plan.outputs, schedule.services);
        this.label = `${schedule.target}`;
        this.report = {
            target: schedule.target,
            services: schedule.services,
            loadBalancer: plan.outputs.loadBalancer.arn,
            configFile: plan.config.shown,
            start: schedule.start,
            plan: schedule.steps.map(s => ({ percent: s.percent, weights: s.weights })),
            settings: {
                bakeMs: plan.bakeMs,
                intervalMs: args.intervalMs,
                verifyTimeoutMs: args.verifyTimeoutMs,
                max5xxPercent: args.max5xxPercent,
                maxP99Ms: args.maxP99Ms ?? null,
                minHealthy: args.minHealthy,
            },
            warnings: plan.warnings,
            steps: [],
            rollback: null,
            outcome: "error",
            message: "",
            verifiedWeights: this.verified,
            configWeights: schedule.start,
            exitCode: 1,
        };
    }

    async run(): Promise<ShiftReport> {
        const { schedule } = this.plan;
        try {
            for (const [i, step] of schedule.steps.entries()) {
                if (this.deps.interrupted()) {
                    return this.finish("interrupted", this.interruptedMessage());
                }
                const record: StepRecord = {
                    index: i + 1,
                    percent: step.percent,
                    weights: step.weights,
                    gates: [],
                    edits: [],
                    decision: "stopped",
                };
                this.report.steps.push(record);
                const breaches = await this.step(record, i);
                if (breaches === "interrupted") {
                    return this.finish("interrupted", this.interruptedMessage());
                }
                if (breaches.length > 0) {
                    record.decision = "rollback";
                    return await this.rollback(i, breaches);
                }
                record.decision = i === schedule.steps.length - 1 ? "done" : "next";
            }
            return this.finish(
                "done",
                `done: ${this.label} has ${schedule.steps[schedule.steps.length - 1].percent}% of ${schedule.services.join(", ")} (${describeWeights(this.verified)})`,
            );
        } catch (e) {
            if (e instanceof StepFailed) {
                return this.finish(e.outcome, e.message);
            }
            return this.finish("error", `${oneLine(e)}; ${this.whereItStands()}`);
        }
    }

    private say(record: { index: number }, text: string): void {
        this.deps.progress.line(`step ${record.index}/${this.plan.schedule.steps.length}: ${text}`);
    }

    /** One step: gates, write, apply, verify, bake; the breaches of its bake (none: go on). */
    private async step(record: StepRecord, i: number): Promise<Breach[] | "interrupted"> {
        this.say(record, `${this.label} ${record.percent}%: ${describeWeights(record.weights)}`);
        await this.gates(record);
        if (this.deps.interrupted()) {
            return "interrupted";
        }
        const applied = await this.applyWeights(record.weights, record);
        Object.assign(record, applied);
        if (applied.apply.exitCode !== 0) {
            const message = await this.applyFailedMessage(record, i);
            throw this.deps.interrupted()
                ? new StepFailed("interrupted", `interrupted while the apply command ran: ${message}`)
                : new StepFailed("apply-failed", message);
        }
        if (!applied.verify.matches) {
            if (this.deps.interrupted()) {
                return "interrupted";
            }
            throw new StepFailed(
                "verify-failed",
                `step ${record.index}: the ALB does not show the new weights after ${formatDuration(applied.verify.durationMs)} ` +
                    `(${applied.verify.reads} reads; ${applied.verify.differences.join("; ")}): the apply command did not change the ALB. ` +
                    `${this.plan.config.shown} holds step ${record.index}'s weights; the ALB was last verified at ${this.verifiedLabel(i)}. ` +
                    "Check what the apply command deploys (the network stack, with this config file), then run it again, or put the verified weights back in the file",
            );
        }
        this.verified = record.weights;
        this.report.verifiedWeights = record.weights;
        this.say(record, `verified on the ALB (${applied.verify.reads} read${applied.verify.reads === 1 ? "" : "s"})`);
        if (this.deps.interrupted()) {
            return "interrupted";
        }
        record.bake = await this.bake(record);
        return this.deps.interrupted() && record.bake.breaches.length === 0 ? "interrupted" : record.bake.breaches;
    }

    private async gates(record: StepRecord): Promise<void> {
        const { outputs, schedule, args } = this.plan;
        const snapshot = await this.deps.alb.snapshot(outputs);
        const fleet = fleetOf(this.deps.readConfig(), this.plan.config.key);
        const configured = configuredWeights(fleet);
        record.gates = runGates({
            outputs,
            snapshot,
            target: schedule.target,
            services: schedule.services,
            live: this.verified,
            configured: Object.fromEntries(schedule.services.map(s => [s, configured[s] ?? {}])),
            minHealthy: args.minHealthy,
        });
        const failed = record.gates.filter(g => g.status === "fail" || g.status === "error");
        for (const g of record.gates.filter(x => x.status === "warn")) {
            this.say(record, `gate ${g.id} warns: ${g.subject}: ${g.message}`);
        }
        if (!gatesPass(record.gates)) {
            for (const g of failed) {
                this.say(record, `gate ${g.id} failed: ${g.subject}: ${g.message} (${g.hint})`);
            }
            throw new StepFailed(
                "gate-failed",
                `step ${record.index} not started: ${failed.length} gate${failed.length === 1 ? "" : "s"} failed ` +
                    `(${failed.map(g => `${g.id} ${g.subject}`).join("; ")}); nothing was changed by this step; ${this.whereItStands()}`,
            );
        }
        this.say(record, `gates passed (${record.gates.length} checks)`);
    }

    /** Writes `weights` into the config file, runs the apply command and verifies the ALB. */
    private async applyWeights(
        weights: ServiceWeights,
        who: { index: number },
    ): Promise<{ edits: StepRecord["edits"]; apply: ApplyRecord; verify: VerifyRecord }> {
        const text = this.deps.readConfig();
        const key = this.plan.config.key;
        const fleet = fleetOf(text, key);
        const edits = weightEdits(fleet, weights);
        this.deps.writeConfig(editText(text, key, edits));
        this.report.configWeights = { ...this.report.configWeights, ...weights };
        this.say(who, `wrote ${this.plan.config.shown}: ${edits.map(e => `${e.path.join(".")}: ${e.value}`).join(", ") || "no change"}`);
        const command = this.plan.args.apply ?? "";
        this.say(who, `running ${command}`);
        const started = this.deps.now();
        const result = await this.deps.runApply(command);
        const apply: ApplyRecord = {
            command,
            exitCode: result.exitCode,
            ...(result.signal ? { signal: result.signal } : {}),
            durationMs: this.deps.now() - started,
        };
        if (apply.exitCode !== 0) {
            return { edits, apply, verify: { matches: false, reads: 0, durationMs: 0, differences: [] } };
        }
        this.say(who, `applied (exit 0 in ${formatDuration(apply.durationMs)})`);
        return { edits, apply, verify: await this.verify(weights) };
    }

    /** Reads the service rules until they forward with `weights`, or the timeout passes (one read when interrupted). */
    private async verify(weights: ServiceWeights): Promise<VerifyRecord> {
        const { outputs, args } = this.plan;
        const arns = Object.values(ruleArns(outputs, Object.keys(weights))).filter((a): a is string => a !== undefined);
        const started = this.deps.now();
        let reads = 0;
        for (;;) {
            const rules = await this.deps.alb.rules(arns);
            reads += 1;
            const compared = compareWeights(outputs, weights, rules);
            const elapsed = this.deps.now() - started;
            if (compared.matches || elapsed >= args.verifyTimeoutMs || this.deps.interrupted()) {
                return { matches: compared.matches, reads, durationMs: elapsed, differences: compared.differences };
            }
            await this.deps.sleep(Math.min(args.intervalMs, VerifyEveryMs, args.verifyTimeoutMs - elapsed));
        }
    }

    private watched(): WatchedTargetGroup[] {
        const { outputs, schedule } = this.plan;
        return schedule.services.flatMap(service =>
            Object.keys(outputs.clusters)
                .sort()
                .filter(cluster => outputs.clusters[cluster].targetGroups[service] !== undefined)
                .map(cluster => ({ cluster, service, arn: outputs.clusters[cluster].targetGroups[service].arn })),
        );
    }

    /** Watches the metrics for the bake time; stops at the first breach (or an interruption). */
    private async bake(record: StepRecord): Promise<BakeRecord> {
        const { args, outputs } = this.plan;
        const started = this.deps.now();
        const bake: BakeRecord = { plannedMs: this.plan.bakeMs, durationMs: 0, samples: [], breaches: [] };
        const groups = this.watched();
        while (this.deps.now() - started < this.plan.bakeMs && !this.deps.interrupted()) {
            const left = this.plan.bakeMs - (this.deps.now() - started);
            await this.wait(record, Math.min(args.intervalMs, left), started);
            if (this.deps.interrupted()) {
                break;
            }
            const sample = await this.sample(groups, outputs.loadBalancer.arn, started);
            bake.samples.push(sample);
            const remaining = Math.max(0, this.plan.bakeMs - (this.deps.now() - started));
            this.deps.progress.status(this.liveLine(record, remaining, sample), true);
            if (sample.breaches.length > 0) {
                bake.breaches = sample.breaches;
                break;
            }
        }
        bake.durationMs = this.deps.now() - started;
        this.deps.progress.clear();
        if (bake.breaches.length === 0 && !this.deps.interrupted()) {
            this.say(
                record,
                `baked ${formatDuration(bake.durationMs)}: no breach (${bake.samples.length} sample${bake.samples.length === 1 ? "" : "s"})`,
            );
        }
        return bake;
    }

    /** Sleeps `ms`, refreshing the live line every second on a terminal. */
    private async wait(record: StepRecord, ms: number, started: number): Promise<void> {
        const until = this.deps.now() + ms;
        while (this.deps.now() < until && !this.deps.interrupted()) {
            await this.deps.sleep(Math.min(1_000, until - this.deps.now()));
            const last = record.bake?.samples.at(-1);
            this.deps.progress.status(this.liveLine(record, Math.max(0, this.plan.bakeMs - (this.deps.now() - started)), last), false);
        }
    }

    private async sample(groups: WatchedTargetGroup[], lbArn: string, started: number): Promise<SampleRecord> {
        const from = new Date(started);
        const to = new Date(Math.max(this.deps.now(), started + 1_000));
        const base = { atMs: this.deps.now() - started, from: from.toISOString(), to: to.toISOString() };
        try {
            const { targetGroups, p99Error } = await readSamples(
                this.deps.metrics,
                lbArn,
                groups,
                from,
                to,
                this.plan.args.maxP99Ms !== undefined,
            );
            const breaches = judge(targetGroups, this.plan.schedule.target, {
                max5xxPercent: this.plan.args.max5xxPercent,
                ...(this.plan.args.maxP99Ms !== undefined ? { maxP99Ms: this.plan.args.maxP99Ms } : {}),
            });
            return {
                ...base,
                targetGroups,
                clusters: clusterFigures(targetGroups),
                breaches,
                ...(p99Error !== undefined ? { p99Error } : {}),
            };
        } catch (e) {
            return { ...base, targetGroups: [], clusters: [], breaches: [], error: `cloudwatch:GetMetricData failed: ${oneLine(e)}` };
        }
    }

    private liveLine(record: StepRecord, leftMs: number, sample: SampleRecord | undefined): string {
        const head = `step ${record.index}/${this.plan.schedule.steps.length} ${this.label} ${record.percent}% | ${describeWeights(record.weights)} | ${formatDuration(leftMs)} left`;
        if (sample === undefined) {
            return `${head} | no sample yet`;
        }
        return `${head} | ${sample.error ?? describeFigures(sample.clusters)}${sample.error === undefined && sample.p99Error !== undefined ? " (p99 n/a)" : ""}`;
    }

    /** After a breach at step `i`: the weights before it written, applied and verified. */
    private async rollback(i: number, breaches: Breach[]): Promise<ShiftReport> {
        const previous = i === 0 ? this.plan.schedule.start : this.plan.schedule.steps[i - 1].weights;
        const reason = breaches.map(b => b.message).join("; ");
        const record: RollbackRecord = { toStep: i, weights: previous, edits: [] };
        this.report.rollback = record;
        const who = { index: i + 1 };
        this.say(who, `breach: ${reason}`);
        this.say(who, `rolling back to ${i === 0 ? "the weights before the shift" : `step ${i}'s weights`}: ${describeWeights(previous)}`);
        const applied = await this.applyWeights(previous, who);
        Object.assign(record, applied);
        const back = i === 0 ? "the weights before the shift" : `step ${i} (${this.plan.schedule.steps[i - 1].percent}%)`;
        if (applied.apply.exitCode !== 0 || !applied.verify.matches) {
            const why =
                applied.apply.exitCode !== 0
                    ? `the apply command failed (${describeExit(applied.apply)})`
                    : `the ALB does not show them (${applied.verify.differences.join("; ")})`;
            return this.finish(
                "rollback-failed",
                `breach at step ${i + 1}: ${reason}. The rollback to ${back} did not complete: ${why}. ` +
                    `${this.plan.config.shown} holds the rollback weights (${describeWeights(previous)}); run the apply command again and check the ALB (shared-alb doctor)`,
            );
        }
        this.verified = previous;
        this.report.verifiedWeights = previous;
        this.say(who, `rollback verified on the ALB (${applied.verify.reads} read${applied.verify.reads === 1 ? "" : "s"})`);
        return this.finish("rolled-back", `rolled back to ${back}: ${reason} (${describeWeights(previous)} verified on the ALB)`);
    }

    private verifiedLabel(i: number): string {
        return i === 0
            ? `the weights before the shift (${describeWeights(this.verified)})`
            : `step ${i} (${describeWeights(this.verified)})`;
    }

    private whereItStands(): string {
        const last = this.report.steps.filter(s => s.verify?.matches).at(-1);
        return last === undefined
            ? `the ALB keeps the weights before the shift (${describeWeights(this.verified)})`
            : `the ALB stays at step ${last.index}, ${this.label} ${last.percent}% (${describeWeights(this.verified)}, verified)`;
    }

    private async applyFailedMessage(record: StepRecord, i: number): Promise<string> {
        let alb: string;
        try {
            const rules = await this.deps.alb.rules(
                Object.values(ruleArns(this.plan.outputs, this.plan.schedule.services)).filter((a): a is string => a !== undefined),
            );
            const now = compareWeights(this.plan.outputs, record.weights, rules);
            const before = compareWeights(this.plan.outputs, this.verified, rules);
            alb = now.matches
                ? `the ALB already shows step ${record.index}'s weights`
                : before.matches
                  ? `the ALB still shows ${this.verifiedLabel(i)}`
                  : `the ALB shows neither (${describeWeights(now.live)}): the apply stopped half-way`;
        } catch (e) {
            alb = `the ALB could not be read afterwards (${oneLine(e)})`;
        }
        return (
            `step ${record.index}: the apply command failed (${describeExit(record.apply!)}): ${this.plan.config.shown} now holds step ${record.index}'s weights ` +
            `(${describeWeights(record.weights)}); ${alb}. Fix the cause and run the apply command again, or put the verified weights back in the file`
        );
    }

    /** Where an interrupted shift stands, how to resume from the last verified step, and how to roll back. */
    private interruptedMessage(): string {
        const { schedule } = this.plan;
        const verified = this.report.steps.filter(s => s.verify?.matches).at(-1)?.index ?? 0;
        const remaining = schedule.steps.slice(verified).map(s => s.percent);
        const last = this.report.steps.at(-1);
        const unverified =
            last !== undefined && last.edits.length > 0 && last.verify?.matches !== true
                ? `; ${this.plan.config.shown} holds step ${last.index}'s weights, not seen on the ALB (run the apply command again, or put the verified weights back)`
                : "";
        const resume =
            remaining.length > 0
                ? `resume with shared-alb shift --to ${schedule.target} --steps ${remaining.join(",")} (and the other options as before)`
                : "every step was applied";
        return (
            `interrupted: ${this.whereItStands()}${unverified}; ${resume}; to roll back, put the weights before the shift back in ${this.plan.config.shown} ` +
            `(${describeWeights(schedule.start)}) and run the apply command, or shift to another cluster`
        );
    }

    private finish(outcome: Outcome, message: string): ShiftReport {
        this.deps.progress.clear();
        this.report.outcome = outcome;
        this.report.message = message;
        this.report.exitCode = exitCodeOf(outcome);
        return this.report;
    }
}

/** The weights the outputs say are deployed, of the selected services. */
export function deployedWeights(outputs: NetworkOutputs, services: readonly string[]): ServiceWeights {
    return Object.fromEntries(services.map(s => [s, { ...(outputs.services[s]?.weights ?? {}) }]));
}

function describeExit(apply: ApplyRecord): string {
    return apply.exitCode === null ? `ended by ${apply.signal ?? "a signal"}` : `exit ${apply.exitCode}`;
}

import { spawn } from "child_process";
import * as fs from "fs";
import { CliIo } from "../io";
import { loadNetworkOutputs } from "../network-outputs";
import { oneLine } from "../doctor/aws-clients";
import { ShiftArgs } from "./args";
import { ShiftClients, createShiftClients } from "./aws";
import type { Planned } from "./command";
import { checkDeployed } from "./preflight";
import { Progress } from "./progress";
import { ShiftDeps, ShiftPlan, runShift } from "./run";

/**
 * The part of `shared-alb shift` that talks to AWS and runs the apply
 * command: loaded only when a shift runs (`--dry-run` never loads it, nor the
 * AWS SDK it needs).
 */

/** Reads the outputs, runs the planned shift with the SDK's clients (or `clients`), prints the report; returns the exit code. */
export async function execute(
    args: ShiftArgs,
    io: CliIo,
    planned: Planned,
    clients: (env: NodeJS.ProcessEnv, region: string) => ShiftClients = createShiftClients,
): Promise<number> {
    const { config, schedule, file } = planned;
    const outputs = await loadNetworkOutputs(args.networkOutputs as string, io.cwd, io.stdin);
    checkDeployed(outputs, schedule);
    const aws = clients(io.env, outputs.region);
    const human = args.json ? io.stderr : io.stdout;
    const progress = new Progress(human, Boolean((human as { isTTY?: boolean }).isTTY));
    const interrupt = interruption(progress);
    try {
        await aws.credentials();
        const plan: ShiftPlan = { args, outputs, config, schedule, bakeMs: planned.bakeMs, warnings: planned.warnings };
        progress.line(
            `shared-alb shift: ${schedule.target} takes ${schedule.services.join(", ")} on ${outputs.loadBalancer.name || outputs.loadBalancer.arn} in ${schedule.steps.length} steps (${schedule.steps.map(s => s.percent).join(", ")})`,
        );
        planned.warnings.forEach(w => progress.line(`warning: ${w}`));
        const report = await runShift(plan, deps(aws, io, file, progress, interrupt));
        progress.line(report.message);
        if (args.json) {
            io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        }
        return report.exitCode;
    } catch (e) {
        io.stderr.write(`shared-alb shift: ${oneLine(e)}\n`);
        return 1;
    } finally {
        interrupt.dispose();
        aws.destroy();
    }
}

/** Ctrl-C: the first one stops the shift at the next safe point (the last verified step stays); the running apply command gets it from the terminal too. */
function interruption(progress: Progress): { interrupted: () => boolean; sleep: (ms: number) => Promise<void>; dispose: () => void } {
    let interrupted = false;
    const waking = new Set<() => void>();
    const onSigint = () => {
        if (interrupted) {
            progress.line(
                "second interrupt: exiting now; the config file and the ALB may be between two steps: check them (shared-alb doctor)",
            );
            process.exit(130);
        }
        interrupted = true;
        progress.line("interrupt: stopping at the next safe point (the last verified step stays); press Ctrl-C again to exit at once");
        waking.forEach(wake => wake());
    };
    process.on("SIGINT", onSigint);
    return {
        interrupted: () => interrupted,
        sleep: ms =>
            new Promise(resolve => {
                if (interrupted) {
                    resolve();
                    return;
                }
                const wake = () => {
                    clearTimeout(timer);
                    waking.delete(wake);
                    resolve();
                };
                const timer = setTimeout(wake, ms);
                waking.add(wake);
            }),
        dispose: () => process.removeListener("SIGINT", onSigint),
    };
}

function deps(aws: ShiftClients, io: CliIo, file: string, progress: Progress, interrupt: ReturnType<typeof interruption>): ShiftDeps {
    return {
        alb: aws.alb,
        metrics: aws.metrics,
        runApply: command => runApply(command, io),
        readConfig: () => fs.readFileSync(file, "utf8"),
        writeConfig: text => writeAtomically(file, text),
        now: () => Date.now(),
        sleep: interrupt.sleep,
        interrupted: interrupt.interrupted,
        progress,
    };
}

/** Replaces the file in one rename (its mode kept), so an interruption never leaves half a file. */
function writeAtomically(file: string, text: string): void {
    const temporary = `${file}.shift-${process.pid}`;
    fs.writeFileSync(temporary, text, { mode: fs.statSync(file).mode });
    fs.renameSync(temporary, file);
}

/** Runs the apply command with `sh -c` in the working directory, its output to stderr, no input. */
function runApply(command: string, io: CliIo): Promise<{ exitCode: number | null; signal?: string }> {
    return new Promise(resolve => {
        const child = spawn("sh", ["-c", command], { cwd: io.cwd, env: io.env, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout?.on("data", (d: Buffer) => io.stderr.write(d));
        child.stderr?.on("data", (d: Buffer) => io.stderr.write(d));
        child.on("error", e => {
            io.stderr.write(`shared-alb shift: cannot run the apply command: ${e.message}\n`);
            resolve({ exitCode: 127 });
        });
        child.on("close", (code, signal) => resolve({ exitCode: code, ...(signal ? { signal } : {}) }));
    });
}

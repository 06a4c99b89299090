import * as path from "path";
import { CliIo } from "../io";
import { UsageError, parseArgs } from "./args";
import { PlanFailure, formatProblem, planFleet, StackProgram } from "./fleet";
import { renderJson, renderTree } from "./render";

/** `shared-alb plan --help` text. */
export const PlanUsage = `Usage: shared-alb plan [--config-dir DIR] [--stack NAME] [--json]

Plans the whole fleet offline: every Pulumi.<stack>.yaml of the config
directory runs under the Pulumi mock runtime (no cloud account needed), the
network stacks first, their planned outputs served to the cluster stacks'
stack references.

Options:
  --config-dir DIR  directory of the stack config files (default: stacks/config)
  --stack NAME      plan and print only this stack (plus the network stack it reads)
  --json            print the plan as JSON on stdout, nothing else
  --help            show this help

Exit codes: 0 planned, 1 a config or program error (nothing on stdout), 2 usage error.
`;

/** Dependencies a test may replace. */
export interface PlanDeps {
    program?: StackProgram;
}

/** `shared-alb plan`: returns the exit code. */
export async function main(argv: string[], io: CliIo, deps: PlanDeps = {}): Promise<number> {
    let args;
    try {
        args = parseArgs(argv, { flags: ["json", "help"], options: ["config-dir", "stack"] });
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr.write(`shared-alb plan: ${e.message}\n\n${PlanUsage}`);
            return 2;
        }
        throw e;
    }
    if (args.flags.has("help")) {
        io.stdout.write(PlanUsage);
        return 0;
    }
    const configDir = path.resolve(io.cwd, args.options.get("config-dir") ?? "stacks/config");
    try {
        const plan = await planFleet({ configDir, stack: args.options.get("stack"), program: deps.program });
        io.stdout.write(args.flags.has("json") ? renderJson(plan) : renderTree(plan));
        return 0;
    } catch (e) {
        return reportFailure("plan", e, io);
    }
}

/** Prints a failed plan's problems on stderr (never a stack trace) and returns exit code 1. */
export function reportFailure(command: string, e: unknown, io: CliIo): number {
    if (e instanceof PlanFailure) {
        io.stderr.write(`shared-alb ${command}: failed, ${command === "manifests" ? "nothing written" : "nothing planned"}\n`);
        for (const p of e.problems) {
            io.stderr.write(`error: ${formatProblem(p)}\n`);
        }
        return 1;
    }
    io.stderr.write(`shared-alb ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
}

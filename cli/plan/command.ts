import * as path from "path";
import { CliIo } from "../io";
import { UsageError, parseArgs } from "./args";
import { PlanFailure, formatProblem, planFleet, StackProgram } from "./fleet";
import { renderJson, renderTree } from "./render";
import { runComparison } from "./compare-output";

/** `shared-alb plan --help` text. */
export const PlanUsage = `Usage: shared-alb plan [--config-dir DIR] [--stack NAME] [--json]
                         [--compare BEFORE.json ... [--max-shift N]]

Plans the whole fleet offline: every Pulumi.<stack>.yaml of the config
directory runs under the Pulumi mock runtime (no cloud account needed), the
network stacks first, their planned outputs served to the cluster stacks'
stack references.

Options:
  --config-dir DIR        directory of the stack config files (default: stacks/config)
  --stack NAME            plan and print only this stack (plus the network stack it reads)
  --json                  print the plan (or the comparison) as JSON on stdout, nothing else
  --compare BEFORE.json   compare the plan with an earlier \`plan --json\` or a
                          \`pulumi stack export\` (one stack per export; repeat the option):
                          what each stack creates, updates, replaces and deletes, and
                          the changes that hurt, with the reason and the safe way
  --max-shift N           with --compare: flag a forward action that moves a target
                          group's share of the traffic by more than N percentage
                          points (default: no limit)
  --help                  show this help

Exit codes: 0 planned (with --compare: nothing flagged), 1 a config or program
error or an unreadable BEFORE (nothing on stdout), 2 usage error, 3 with
--compare: something flagged.
`;

/** Dependencies a test may replace. */
export interface PlanDeps {
    program?: StackProgram;
}

/** `shared-alb plan`: returns the exit code. */
export async function main(argv: string[], io: CliIo, deps: PlanDeps = {}): Promise<number> {
    let args;
    try {
        args = parseArgs(argv, { flags: ["json", "help"], options: ["config-dir", "stack", "max-shift"], repeatable: ["compare"] });
        if (args.options.has("max-shift") && !args.lists.has("compare")) {
            throw new UsageError("--max-shift needs --compare");
        }
        if (args.options.has("max-shift") && !(/^\d+(\.\d+)?$/.test(args.options.get("max-shift")!) && Number(args.options.get("max-shift")) <= 100)) {
            throw new UsageError(`--max-shift expects percentage points (a number from 0 to 100), got ${JSON.stringify(args.options.get("max-shift"))}`);
        }
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
        const before = args.lists.get("compare");
        if (before !== undefined) {
            const maxShift = args.options.has("max-shift") ? Number(args.options.get("max-shift")) : undefined;
            return runComparison(plan, before, { maxShift, json: args.flags.has("json") }, io);
        }
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

import * as path from "path";
import { ParsedArgs, runCommand, UsageError } from "../args";
import { useColor } from "../colour";
import { checkConfigDir } from "../input-files";
import { CliIo } from "../io";
import { DefaultConfigDir, PlanCommand } from "./args";
import { colourTree } from "./colour";
import { PlanFailure, formatProblem, planFleet, StackProgram } from "./fleet";
import { renderJson, renderTree } from "./render";
import { deployedOutputs, readBeforeFiles, runComparison } from "./compare-output";

/** Dependencies a test may replace. */
export interface PlanDeps {
    program?: StackProgram;
}

/** `shared-alb plan`: returns the exit code. */
export function main(argv: string[], io: CliIo, deps: PlanDeps = {}): Promise<number> {
    return runCommand(PlanCommand, argv, io, args => run(args, io, deps));
}

/** `shared-alb plan` with its command line parsed (see {@link main}). */
export async function run(args: ParsedArgs, io: CliIo, deps: PlanDeps = {}): Promise<number> {
    const maxShift = maxShiftOption(args);
    const configDir = resolveConfigDir(args, io);
    try {
        const files = args.lists.get("compare");
        // BEFORE is the deployed state: the network stacks plan from its outputs, as `pulumi up` reads its own last outputs.
        const before = files === undefined ? undefined : readBeforeFiles([...files], io);
        if (typeof before === "number") {
            return before;
        }
        const plan = await planFleet({
            configDir,
            stack: args.options.get("stack"),
            program: deps.program,
            deployedOutputs: before === undefined ? undefined : deployedOutputs(before),
        });
        if (files !== undefined && before !== undefined) {
            return runComparison(plan, [...files], before, { maxShift, json: args.flags.has("json") }, io);
        }
        if (args.flags.has("json")) {
            io.stdout.write(renderJson(plan));
        } else {
            const tree = renderTree(plan);
            io.stdout.write(useColor(io.stdout, io.env) ? colourTree(tree) : tree);
        }
        return 0;
    } catch (e) {
        return reportFailure("plan", e, io);
    }
}

/** `--max-shift N` (percentage points, 0..100), allowed only with `--compare`; throws `UsageError`. */
function maxShiftOption(args: ParsedArgs): number | undefined {
    const given = args.options.get("max-shift");
    if (given === undefined) {
        return undefined;
    }
    if (!args.lists.has("compare")) {
        throw new UsageError("--max-shift needs --compare");
    }
    if (!(/^\d+(\.\d+)?$/.test(given) && Number(given) <= 100)) {
        throw new UsageError(`--max-shift expects percentage points (a number from 0 to 100), got ${JSON.stringify(given)}`);
    }
    return Number(given);
}

/** The absolute config directory of `--config-dir` (or the default); throws `InputError` when it cannot be read. */
export function resolveConfigDir(args: ParsedArgs, io: CliIo): string {
    const given = args.options.get("config-dir");
    const configDir = path.resolve(io.cwd, given ?? DefaultConfigDir);
    checkConfigDir(configDir, given ?? DefaultConfigDir, given !== undefined);
    return configDir;
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

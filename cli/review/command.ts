/**
 * `shared-alb review PREVIEW.json ...`: the checks of `plan --compare` on
 * what the real engine previewed, one `pulumi preview --json` per stack.
 */
import * as path from "path";
import { ParsedArgs, runCommand, UsageError } from "../args";
import { FileSizeLimits, InputError, readLimitedFile } from "../input-files";
import { CliIo } from "../io";
import { compareChanges, Comparison, ResourceChange } from "../plan/compare";
import { FlaggedExitCode, renderComparison, toJsonComparison } from "../plan/compare-output";
import { DocumentError } from "../../components/internal";
import { ReviewCommand } from "./args";
import { PreviewError, PreviewStacks, readPreview } from "./preview";

/** `shared-alb review`: returns the exit code. */
export function main(argv: string[], io: CliIo): Promise<number> {
    return runCommand(ReviewCommand, argv, io, args => run(args, io));
}

/** `shared-alb review` with its command line parsed (see {@link main}). */
export async function run(args: ParsedArgs, io: CliIo): Promise<number> {
    const maxShift = maxShiftOption(args);
    const files = args.operands;
    if (files.length === 0) {
        throw new UsageError(
            "give at least one PREVIEW.json: the output of `pulumi preview --json --show-sames --show-replacement-steps`, one file per stack",
        );
    }
    let previews: PreviewStacks[];
    try {
        previews = files.map(f => readPreviewFile(f, io.cwd));
        refuseRepeatedStacks(previews);
    } catch (e) {
        if (e instanceof PreviewError || e instanceof InputError) {
            io.stderr.write(`shared-alb review: ${e.message}\n`);
            return 1;
        }
        throw e;
    }
    const changes = new Map<string, ResourceChange>(previews.flatMap(p => p.changes.map(c => [c.urn, c] as const)));
    let compared: Comparison;
    try {
        compared = compareChanges(
            previews.map(p => p.before),
            previews.map(p => p.after),
            changes,
            { maxShift },
        );
    } catch (e) {
        // A resource the checks cannot read (a listener rule's actions of another shape), named with its stack and file.
        io.stderr.write(`shared-alb review: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
    }
    // The engine decided every replacement itself: the replace-on table's gaps (no-replace-rule) do not apply.
    const comparison = { ...compared, flags: compared.flags.filter(f => f.kind !== "no-replace-rule") };
    const sources = previews.map(p => ({ file: p.before.file, format: p.before.format, stacks: [p.before.stack] }));
    io.stdout.write(
        args.flags.has("json")
            ? `${JSON.stringify(toJsonComparison(comparison, sources), null, 2)}\n`
            : renderComparison(comparison, sources),
    );
    return comparison.flags.length > 0 ? FlaggedExitCode : 0;
}

/** One preview file, read relative to `cwd`; throws `PreviewError` or `InputError` naming the file as given. */
function readPreviewFile(file: string, cwd: string): PreviewStacks {
    let text: string;
    try {
        text = readLimitedFile(path.resolve(cwd, file), file, FileSizeLimits.preview);
    } catch (e) {
        throw e instanceof DocumentError ? new PreviewError(`${file}: ${e.message}`) : e;
    }
    return readPreview(text, file);
}

/** Two previews of one stack cannot both be what `pulumi up` does next. */
function refuseRepeatedStacks(previews: PreviewStacks[]): void {
    const seen = new Map<string, string>();
    for (const p of previews) {
        const first = seen.get(p.before.stack);
        if (first !== undefined) {
            throw new PreviewError(`stack ${p.before.stack} is in two previews: ${first} and ${p.before.file}; give one preview per stack`);
        }
        seen.set(p.before.stack, p.before.file);
    }
}

/** `--max-shift N` (percentage points, 0..100); throws `UsageError`. */
function maxShiftOption(args: ParsedArgs): number | undefined {
    const given = args.options.get("max-shift");
    if (given === undefined) {
        return undefined;
    }
    if (!(/^\d+(\.\d+)?$/.test(given) && Number(given) <= 100)) {
        throw new UsageError(`--max-shift expects percentage points (a number from 0 to 100), got ${JSON.stringify(given)}`);
    }
    return Number(given);
}

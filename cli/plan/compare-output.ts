/**
 * `plan --compare`: reads the BEFORE files, compares the planned fleet with
 * them, prints the tree or the JSON document, and returns the exit code.
 */
import * as path from "path";
import { DocumentError } from "../../components/internal";
import { FileSizeLimits, InputError, readLimitedFile } from "../input-files";
import { CliIo } from "../io";
import { ChangeKind, Comparison, compareFleet, CompareOptions, ResourceChange, StackComparison } from "./compare";
import { FleetPlan } from "./fleet";
import { toJsonPlan } from "./render";
import { planSnapshots, readSnapshots, resourceLabel, SnapshotError, SnapshotFormat, SnapshotStack } from "./snapshot";

/** Exit code when the comparison flags a change that hurts (0 when none). */
export const FlaggedExitCode = 3;

/** One BEFORE file as the output names it. */
export interface BeforeSource {
    file: string;
    format: SnapshotFormat;
    stacks: string[];
}

/** The document `plan --compare --json` prints. */
export interface JsonComparison {
    before: BeforeSource[];
    stacks: {
        stack: string;
        status: StackComparison["status"];
        before: string | null;
        created: { urn: string; type: string; name: string }[];
        updated: { urn: string; type: string; name: string; paths: string[] }[];
        replaced: { urn: string; type: string; name: string; paths: string[]; replaceOn: string[]; deleteBeforeReplace: boolean }[];
        deleted: { urn: string; type: string; name: string }[];
        unchanged: number;
    }[];
    flags: { stack: string; urn: string | null; kind: string; message: string; reason: string; safe: string }[];
    summary: { created: number; updated: number; replaced: number; deleted: number; flagged: number };
}

/** One BEFORE file's text; throws `InputError` worded as every command words an unreadable input file. */
function readBefore(file: string, cwd: string): string {
    try {
        return readLimitedFile(path.resolve(cwd, file), file, FileSizeLimits.before);
    } catch (e) {
        throw e instanceof DocumentError ? new SnapshotError(`${file}: ${e.message}`) : e;
    }
}

/**
 * Reads the BEFORE files (relative to `cwd`): their stacks, or 1 (the exit
 * code) after saying why one cannot be read.
 */
export function readBeforeFiles(files: string[], io: CliIo): SnapshotStack[] | number {
    try {
        return files.flatMap(f => readSnapshots(readBefore(f, io.cwd), f));
    } catch (e) {
        const message = e instanceof SnapshotError || e instanceof InputError ? e.message : String(e);
        io.stderr.write(`shared-alb plan: --compare: ${message}\n`);
        return 1;
    }
}

/**
 * The deployed outputs of BEFORE's stacks, by stack name: what each planned
 * network stack reads as its own last outputs (the rule priorities and
 * preview slots it keeps), as `pulumi up` would read them after BEFORE.
 */
export function deployedOutputs(before: SnapshotStack[]): Record<string, Record<string, unknown>> {
    return Object.fromEntries(before.map(s => [s.stack, s.outputs]));
}

/**
 * Compares the plan with the BEFORE files' stacks (read by `readBeforeFiles`)
 * and prints the result. Returns 0 when nothing is flagged, 3 when something
 * is, 1 when a file does not belong to this fleet.
 */
export function runComparison(
    plan: FleetPlan,
    files: string[],
    before: SnapshotStack[],
    options: CompareOptions & { json: boolean },
    io: CliIo,
): number {
    const after = planSnapshots(toJsonPlan(plan));
    const project = after[0]?.project;
    const foreign = before.find(s => project !== undefined && s.project !== "" && s.project !== project);
    let comparison: Comparison;
    try {
        if (foreign !== undefined) {
            throw new Error(`${foreign.file}: stack ${foreign.stack} is of project ${foreign.project}, the plan is of project ${project}`);
        }
        comparison = compareFleet(before, after, options);
    } catch (e) {
        io.stderr.write(`shared-alb plan: --compare: ${(e as Error).message}\n`);
        return 1;
    }
    const sources = files.map(f => {
        const of = before.filter(s => s.file === f);
        return { file: f, format: of[0]?.format ?? "plan", stacks: of.map(s => s.stack) };
    });
    io.stdout.write(
        options.json ? `${JSON.stringify(toJsonComparison(comparison, sources), null, 2)}\n` : renderComparison(comparison, sources),
    );
    return comparison.flags.length > 0 ? FlaggedExitCode : 0;
}

/** The comparison as `--json` prints it. */
export function toJsonComparison(c: Comparison, sources: BeforeSource[]): JsonComparison {
    const of = (s: StackComparison, kind: ChangeKind) => s.changes.filter(x => x.kind === kind);
    const id = (x: ResourceChange) => ({ urn: x.urn, type: x.type, name: x.name });
    return {
        before: sources,
        stacks: c.stacks.map(s => ({
            stack: s.stack,
            status: s.status,
            before: s.before?.file ?? null,
            created: of(s, "create").map(id),
            updated: of(s, "update").map(x => ({ ...id(x), paths: x.paths })),
            replaced: of(s, "replace").map(x => ({
                ...id(x),
                paths: x.paths,
                replaceOn: x.replaceOn,
                deleteBeforeReplace: x.deleteBeforeReplace,
            })),
            deleted: of(s, "delete").map(id),
            unchanged: s.unchanged,
        })),
        flags: c.flags.map(f => ({ stack: f.stack, urn: f.urn ?? null, kind: f.kind, message: f.message, reason: f.reason, safe: f.safe })),
        summary: { ...counts(c.stacks), flagged: c.flags.length },
    };
}

/** How the tree names the program that wrote a BEFORE (or preview) file. */
const SourceNames: Record<SnapshotFormat, string> = {
    plan: "plan --json",
    export: "pulumi stack export",
    preview: "pulumi preview --json",
};

const Marks: Record<ChangeKind, string> = { create: "+ ", update: "~ ", replace: "+-", delete: "- " };

/** The comparison as a readable tree: per stack its changes, then the flags with reason and safe way, then a summary. */
export function renderComparison(c: Comparison, sources: BeforeSource[]): string {
    const lines: string[] = [];
    for (const s of sources) {
        lines.push(
            `${s.format === "preview" ? "preview" : "before"}: ${s.file} (${SourceNames[s.format]}: ${s.stacks.join(", ") || "no stack"})`,
        );
    }
    lines.push("");
    for (const s of c.stacks) {
        if (s.status === "not-compared") {
            lines.push(`${s.stack}: not in BEFORE, not compared`, "");
            continue;
        }
        const against = s.before?.format === "preview" ? `previewed in ${s.before.file}` : `against ${s.before?.file}`;
        lines.push(`${s.stack} (${s.status === "new" ? "new stack" : against})`);
        for (const x of s.changes) {
            const details: string[] = [];
            if (x.kind === "update") {
                details.push(shortList(x.paths));
            } else if (x.kind === "replace") {
                details.push(`replaces on ${shortList(x.replaceOn)}`);
                if (x.deleteBeforeReplace) {
                    details.push("[delete-before-replace]");
                }
            }
            lines.push(`  ${Marks[x.kind]} ${[resourceLabel(x), ...details].join("  ")}`);
        }
        lines.push(`  ${summary(s.stack, [s])}`, "");
    }
    if (c.flags.length > 0) {
        lines.push(`flagged (${c.flags.length}):`);
        for (const f of c.flags) {
            lines.push(`  ✗ ${f.stack}: ${f.message}`, `      why: ${f.reason}`, `      safe way: ${f.safe}`);
        }
        lines.push("");
    }
    lines.push(`${summary("fleet", c.stacks)}; ${c.flags.length === 0 ? "nothing flagged" : `${c.flags.length} flagged`}`);
    return `${lines.join("\n")}\n`;
}

function counts(stacks: StackComparison[]): { created: number; updated: number; replaced: number; deleted: number } {
    const n = (kind: ChangeKind) => stacks.reduce((sum, s) => sum + s.changes.filter(x => x.kind === kind).length, 0);
    return { created: n("create"), updated: n("update"), replaced: n("replace"), deleted: n("delete") };
}

function summary(label: string, stacks: StackComparison[]): string {
    const c = counts(stacks);
    const unchanged = stacks.reduce((sum, s) => sum + s.unchanged, 0);
    return `${label}: ${c.created} to create, ${c.updated} to update, ${c.replaced} to replace, ${c.deleted} to delete, ${unchanged} unchanged`;
}

function shortList(items: string[]): string {
    return items.length <= 3 ? items.join(", ") : `${items.slice(0, 3).join(", ")} (+${items.length - 3} more)`;
}

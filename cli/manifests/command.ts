import * as path from "path";
import { ParsedArgs, UsageError, runCommand } from "../args";
import { CliIo } from "../io";
import { loadNetworkOutputs } from "../network-outputs";
import { PlanFailure, StackPlan, StackProgram, planFleet } from "../plan/fleet";
import { reportFailure, resolveConfigDir } from "../plan/command";
import { ManifestsCommand } from "./args";
import { manifestFiles } from "./files";
import { OutDirChanges, OutFile, applyOutDir, planOutDir } from "./out-dir";

/** Dependencies a test may replace. */
export interface ManifestsDeps {
    program?: StackProgram;
}

/** `shared-alb manifests`: returns the exit code. */
export function main(argv: string[], io: CliIo, deps: ManifestsDeps = {}): Promise<number> {
    return runCommand(ManifestsCommand, argv, io, args => run(args, io, deps));
}

/** `shared-alb manifests` with its command line parsed (see {@link main}). */
export async function run(args: ParsedArgs, io: CliIo, deps: ManifestsDeps = {}): Promise<number> {
    const { out, networkFile, planned } = manifestsOptions(args);
    const outDir = path.resolve(io.cwd, out);
    const configDir = resolveConfigDir(args, io);
    const networkOutputs: Record<string, unknown> | undefined =
        networkFile === undefined ? undefined : { ...(await loadNetworkOutputs(networkFile, io.cwd, io.stdin, { refuseSecrets: true })) };
    try {
        const plan = await planFleet({ configDir, stack: args.options.get("stack"), program: deps.program, networkOutputs });
        const clusters = clusterStacks(plan.stacks, args, configDir);
        // Everything is computed and checked before anything is written: all or nothing.
        const { files, secret } = renderManifests(clusters, networkFile);
        const changes = planOutDir(outDir, out, files, args.options.get("stack"));
        applyOutDir(outDir, changes);
        reportChanges(io, outDir, changes);
        for (const stack of secret) {
            io.stderr.write(
                `note: ${stack}: these files contain values marked secret; keep them out of plain Git (use SOPS or Sealed Secrets)\n`,
            );
        }
        if (planned) {
            io.stderr.write(
                "warning: the files carry placeholder ARNs from the offline plan (--allow-planned): review them, do not apply them\n",
            );
        }
        io.stdout.write(
            `${files.length} files for ${clusters.length} cluster stack${clusters.length === 1 ? "" : "s"}` +
                ` (${networkFile === undefined ? "PLACEHOLDER ARNs from the offline plan" : `network outputs from ${networkFile}`})\n`,
        );
        return 0;
    } catch (e) {
        return reportFailure("manifests", e, io);
    }
}

/** `--out`, and where the ARNs come from: `--network-outputs` or `--allow-planned`, exactly one of them. */
function manifestsOptions(args: ParsedArgs): { out: string; networkFile: string | undefined; planned: boolean } {
    const out = args.options.get("out");
    if (out === undefined) {
        throw new UsageError("--out DIR is required");
    }
    const networkFile = args.options.get("network-outputs");
    const planned = args.flags.has("allow-planned");
    if (networkFile === undefined && !planned) {
        throw new UsageError(
            "--network-outputs FILE is required: the files need the deployed network stack's ARNs " +
                "(--allow-planned writes the offline plan's placeholders instead, to review)",
        );
    }
    if (networkFile !== undefined && planned) {
        throw new UsageError("--allow-planned is for a run without --network-outputs; give one or the other");
    }
    return { out, networkFile, planned };
}

/** The planned cluster stacks; a plan without any is a failure. */
function clusterStacks(stacks: StackPlan[], args: ParsedArgs, configDir: string): StackPlan[] {
    const clusters = stacks.filter(s => s.role === "cluster");
    if (clusters.length === 0) {
        throw new PlanFailure([
            {
                message: args.options.has("stack")
                    ? `stack ${args.options.get("stack")} is a network stack; manifests are written for cluster stacks`
                    : `no cluster stacks in ${configDir}`,
            },
        ]);
    }
    return clusters;
}

/**
 * Every cluster stack's manifest files, each under its stack's directory
 * with the header, and the stacks whose manifests hold secret values. A
 * stack without a `manifests` output is a failure.
 */
function renderManifests(clusters: StackPlan[], networkFile: string | undefined): { files: OutFile[]; secret: string[] } {
    const files: OutFile[] = [];
    const secret: string[] = [];
    const missing = [];
    for (const s of clusters) {
        const rendered = manifestFiles(s.outputs);
        if (rendered === undefined || rendered.length === 0) {
            missing.push({ stack: s.stack, file: s.file, message: "the stack has no `manifests` output to write" });
            continue;
        }
        files.push(...rendered.map(f => ({ path: `${s.stack}/${f.name}`, text: fileHeader(s.stack, networkFile) + f.text })));
        if (s.secretOutputPaths.some(p => p[0] === "manifests")) {
            secret.push(s.stack);
        }
    }
    if (missing.length > 0) {
        throw new PlanFailure(missing);
    }
    return { files, secret };
}

/** Prints each file removed, then each written, relative to the working directory when under it. */
function reportChanges(io: CliIo, outDir: string, changes: OutDirChanges): void {
    const shown = (f: string) => {
        const relative = path.relative(io.cwd, path.join(outDir, f));
        return relative.startsWith("..") || path.isAbsolute(relative) ? path.join(outDir, f) : relative;
    };
    for (const f of changes.remove) {
        io.stdout.write(`removed ${shown(f)}\n`);
    }
    for (const f of changes.write) {
        io.stdout.write(`wrote ${shown(f.path)}\n`);
    }
}

/** The comment every file starts with: where it came from and where its ARNs did. */
export function fileHeader(stack: string, networkOutputs: string | undefined): string {
    if (networkOutputs === undefined) {
        return (
            "# PLACEHOLDER: the ARNs in this file come from the offline plan, not from a deployed network stack; do not apply it.\n" +
            `# Generated by \`shared-alb manifests --allow-planned\` from stack ${stack}; change the stack config, not this file.\n` +
            "# ARNs from: the offline plan. Write the real file with --network-outputs FILE.\n"
        );
    }
    return (
        `# Generated by \`shared-alb manifests\` from stack ${stack}; change the stack config, not this file.\n` +
        `# ARNs from: the network stack's outputs in ${networkOutputs}.\n`
    );
}

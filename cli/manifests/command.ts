import * as fs from "fs";
import * as path from "path";
import { CliIo } from "../io";
import { UsageError, parseArgs } from "../plan/args";
import { PlanFailure, StackProgram, planFleet } from "../plan/fleet";
import { reportFailure } from "../plan/command";
import { ManifestFile, manifestFiles } from "./files";

/** `shared-alb manifests --help` text. */
export const ManifestsUsage = `Usage: shared-alb manifests --out DIR [--config-dir DIR] [--stack NAME] [--network-outputs FILE]

Plans the fleet offline (like 'shared-alb plan') and writes, for each cluster
stack, its Kubernetes objects and controller Helm values as YAML files into
DIR/<stack>/, for GitOps tools (Argo CD, Flux) that apply them.

Options:
  --out DIR                directory to write into (created if missing)
  --config-dir DIR         directory of the stack config files (default: stacks/config)
  --stack NAME             only this cluster stack
  --network-outputs FILE   the real network stack's outputs ('pulumi stack output --json -s network'),
                           served to the cluster stacks instead of the planned ones (real ARNs)
  --help                   show this help

Exit codes: 0 written, 1 a config, program or file error (nothing written), 2 usage error.
`;

/** Dependencies a test may replace. */
export interface ManifestsDeps {
    program?: StackProgram;
}

/** `shared-alb manifests`: returns the exit code. */
export async function main(argv: string[], io: CliIo, deps: ManifestsDeps = {}): Promise<number> {
    let args;
    try {
        args = parseArgs(argv, { flags: ["help"], options: ["out", "config-dir", "stack", "network-outputs"] });
        if (!args.flags.has("help") && !args.options.has("out")) {
            throw new UsageError("--out DIR is required");
        }
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr.write(`shared-alb manifests: ${e.message}\n\n${ManifestsUsage}`);
            return 2;
        }
        throw e;
    }
    if (args.flags.has("help")) {
        io.stdout.write(ManifestsUsage);
        return 0;
    }
    const outDir = path.resolve(io.cwd, args.options.get("out")!);
    const configDir = path.resolve(io.cwd, args.options.get("config-dir") ?? "stacks/config");
    try {
        const networkFile = args.options.get("network-outputs");
        const networkOutputs = networkFile === undefined ? undefined : readNetworkOutputs(path.resolve(io.cwd, networkFile));
        const plan = await planFleet({ configDir, stack: args.options.get("stack"), program: deps.program, networkOutputs });
        const clusters = plan.stacks.filter(s => s.role === "cluster");
        if (clusters.length === 0) {
            throw new PlanFailure([{ message: args.options.has("stack")
                ? `stack ${args.options.get("stack")} is a network stack; manifests are written for cluster stacks`
                : `no cluster stacks in ${configDir}` }]);
        }
        // Everything is computed before anything is written: all or nothing.
        const writes: { stack: string; files: ManifestFile[]; secret: boolean }[] = [];
        const missing = [];
        for (const s of clusters) {
            const files = manifestFiles(s.outputs);
            if (files === undefined || files.length === 0) {
                missing.push({ stack: s.stack, file: s.file, message: "the stack has no `manifests` output to write" });
                continue;
            }
            writes.push({ stack: s.stack, files, secret: s.secretOutputPaths.some(p => p[0] === "manifests") });
        }
        if (missing.length > 0) {
            throw new PlanFailure(missing);
        }
        for (const w of writes) {
            const dir = path.join(outDir, w.stack);
            fs.mkdirSync(dir, { recursive: true });
            for (const f of w.files) {
                const file = path.join(dir, f.name);
                fs.writeFileSync(file, f.text);
                io.stdout.write(`wrote ${path.relative(io.cwd, file) || file} (${Buffer.byteLength(f.text)} bytes)\n`);
            }
            if (w.secret) {
                io.stderr.write(`note: ${w.stack}: these files contain values marked secret; keep them out of plain Git (use SOPS or Sealed Secrets)\n`);
            }
        }
        io.stdout.write(`${writes.reduce((n, w) => n + w.files.length, 0)} files for ${writes.length} cluster stack${writes.length === 1 ? "" : "s"}`
            + ` (${networkOutputs === undefined ? "planned network outputs" : "network outputs from " + networkFile})\n`);
        return 0;
    } catch (e) {
        return reportFailure("manifests", e, io);
    }
}

/** Reads `pulumi stack output --json` of the network stack. */
function readNetworkOutputs(file: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanFailure([{ file, message: `--network-outputs: cannot read JSON: ${(e as Error).message}` }]);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)
        || typeof (parsed as Record<string, unknown>).clusters !== "object") {
        throw new PlanFailure([{ file, message: "--network-outputs: expected the JSON of `pulumi stack output --json -s network` (an object with `clusters`)" }]);
    }
    return parsed as Record<string, unknown>;
}

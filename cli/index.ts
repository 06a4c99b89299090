#!/usr/bin/env node
import { CommandSpec, ParsedArgs, helpHint, nearest, runCommand } from "./args";
import { enableCompileCache } from "./compile-cache";
import { DoctorCommand } from "./doctor/args";
import { CliIo } from "./io";
import { ManifestsCommand } from "./manifests/args";
import { PlanCommand } from "./plan/args";
import { ReviewCommand } from "./review/args";
import { ShiftCommand } from "./shift/args";

/** A command module: runs the command on its parsed arguments and returns the exit code. */
export interface CommandModule {
    run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** A command: what it accepts, and its module, loaded only when it runs. */
interface Command {
    spec: CommandSpec;
    load(): CommandModule;
    /** Packages the module loads that a components-only install leaves out (optionalDependencies), for these arguments. */
    needs?: readonly string[] | ((args: ParsedArgs) => readonly string[]);
}

/** The packages only `doctor` loads: optional dependencies, left out by `npm install --omit=optional`. */
export const DoctorPackages = [
    "@aws-sdk/client-ec2",
    "@aws-sdk/client-elastic-load-balancing-v2",
    "@aws-sdk/client-iam",
    "@kubernetes/client-node",
] as const;

/** The packages `shift` loads, except for `--dry-run`: the doctor's AWS clients it reads through, and CloudWatch's. */
export const ShiftPackages = [
    "@aws-sdk/client-cloudwatch",
    "@aws-sdk/client-ec2",
    "@aws-sdk/client-elastic-load-balancing-v2",
    "@aws-sdk/client-iam",
] as const;

// Loaded on demand: `--help`, `--version` and usage errors load no SDK, and
// `plan` and `manifests` never load the doctor's.
const commands: readonly Command[] = [
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    { spec: PlanCommand, load: () => require("./plan/command") as CommandModule },
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    { spec: ReviewCommand, load: () => require("./review/command") as CommandModule },
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    { spec: ManifestsCommand, load: () => require("./manifests/command") as CommandModule },
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    { spec: DoctorCommand, load: () => require("./doctor/command") as CommandModule, needs: DoctorPackages },
    {
        spec: ShiftCommand,
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        load: () => require("./shift/command") as CommandModule,
        needs: args => (args.flags.has("dry-run") ? [] : ShiftPackages),
    },
];

/** Top-level `shared-alb --help` text. */
export const Usage = `Usage: shared-alb <command> [options]

Commands:
${commands.map(c => `  ${c.spec.name.padEnd(9)}  ${c.spec.summary}`).join("\n")}

Run 'shared-alb <command> --help' for a command's options.
  --help     show this help
  --version  print the version
`;

/** The package.json of this package, next to (or above) this file; `undefined` when not found. */
function ownPackage(): { version?: string; optionalDependencies?: Record<string, string> } | undefined {
    for (const candidate of ["../package.json", "../../package.json"]) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const pkg = require(candidate) as { name?: string; version?: string; optionalDependencies?: Record<string, string> };
            if (pkg.name === "shared-alb") {
                return pkg;
            }
        } catch {
            // try the next location
        }
    }
    return undefined;
}

/** The package version, from package.json. */
export function version(): string {
    return ownPackage()?.version ?? "unknown";
}

/** The packages of `names` that cannot be loaded from here. */
export function missingPackages(names: readonly string[], resolve: (name: string) => string = require.resolve): string[] {
    return names.filter(name => {
        try {
            resolve(name);
            return false;
        } catch {
            return true;
        }
    });
}

/** The message for a command whose optional packages are not installed: what is missing and the command that installs it. */
export function missingPackagesMessage(command: string, missing: readonly string[]): string {
    const pinned = ownPackage()?.optionalDependencies ?? {};
    const install = missing.map(name => (pinned[name] ? `${name}@${pinned[name]}` : name)).join(" ");
    return (
        `shared-alb ${command}: needs ${missing.join(", ")}, optional dependencies of shared-alb that this install left out ` +
        `(npm install --omit=optional); install them:\n  npm install ${install}\n`
    );
}

/** Dispatches `argv` (without `node` and the script) to a command; returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
    const [name, ...rest] = argv;
    if (name === undefined) {
        io.stderr.write(Usage);
        return 2;
    }
    if (name === "--help" || name === "-h" || name === "help") {
        const topic = name === "help" ? commands.find(c => c.spec.name === rest[0]) : undefined;
        io.stdout.write(topic !== undefined ? topic.spec.usage : Usage);
        return 0;
    }
    if (name === "--version" || name === "-v") {
        io.stdout.write(`${version()}\n`);
        return 0;
    }
    const command = commands.find(c => c.spec.name === name);
    if (command === undefined) {
        const names = commands.map(c => c.spec.name);
        const near = nearest(name, names);
        const what = name.startsWith("-") ? "option" : "command";
        io.stderr.write(
            `shared-alb: unknown ${what} ${JSON.stringify(name)}` +
                (near !== undefined ? ` (did you mean ${near}?)` : ` (commands: ${names.join(", ")})`) +
                `\n${helpHint()}`,
        );
        return 2;
    }
    return runCommand(command.spec, rest, io, async args => {
        const missing = missingPackages(typeof command.needs === "function" ? command.needs(args) : (command.needs ?? []));
        if (missing.length > 0) {
            io.stderr.write(missingPackagesMessage(command.spec.name, missing));
            return 2;
        }
        return command.load().run(args, io);
    });
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
    return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/**
 * Ends the process quietly when the reader of its output goes away
 * (`shared-alb plan --json | head -1`): nothing is left to say to anyone.
 */
export function endQuietlyOnBrokenPipe(stream: NodeJS.WritableStream): void {
    stream.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") {
            throw e;
        }
        process.exit(0);
    });
}

/**
 * Never exit 0 without an answer: when the process runs out of work (Node's
 * `beforeExit`) while the command's promise is still pending, something it
 * awaited will never settle (a failure swallowed where nothing listened), and
 * Node would exit 0 with nothing printed or written. Says so on stderr and
 * sets exit code 1 instead. `events` is the process, or a stand-in in tests.
 */
export function failIfUnsettled(
    command: Promise<unknown>,
    stderr: NodeJS.WritableStream,
    events: Pick<NodeJS.Process, "once" | "exitCode"> = process,
): void {
    let settled = false;
    const done = () => {
        settled = true;
    };
    command.then(done, done);
    events.once("beforeExit", () => {
        if (!settled) {
            stderr.write(
                "shared-alb: the command stopped before it finished: something it waited for never completed (a bug in shared-alb)\n",
            );
            events.exitCode = 1;
        }
    });
}

if (require.main === module) {
    // Before any command loads the Pulumi SDKs (Node >= 22.1; nothing otherwise).
    enableCompileCache();
    endQuietlyOnBrokenPipe(process.stdout);
    endQuietlyOnBrokenPipe(process.stderr);
    const command = run(process.argv.slice(2), processIo()).then(
        code => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`shared-alb: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 1;
        },
    );
    failIfUnsettled(command, process.stderr);
}

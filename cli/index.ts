#!/usr/bin/env node
import { enableCompileCache } from "./compile-cache";
import { CliIo } from "./io";

/** A command module: parses its own arguments and returns the exit code. */
export interface CommandModule {
    main(argv: string[], io: CliIo): Promise<number>;
}

/** Top-level `shared-alb --help` text. */
export const Usage = `Usage: shared-alb <command> [options]

Commands:
  plan       plan the whole fleet offline (Pulumi mock runtime, no cloud account)
  manifests  write each cluster's Kubernetes objects and Helm values as YAML, for GitOps
  doctor     check a live fleet through the AWS APIs and say what to fix

Run 'shared-alb <command> --help' for a command's options.
  --help     show this help
  --version  print the version
`;

// Loaded on demand so `--help` and `--version` never load the Pulumi SDK.
const commands: Record<string, () => CommandModule> = {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    plan: () => require("./plan/command") as CommandModule,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    manifests: () => require("./manifests/command") as CommandModule,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    doctor: () => require("./doctor/command") as CommandModule,
};

/** The package version, from package.json next to (or above) this file. */
export function version(): string {
    for (const candidate of ["../package.json", "../../package.json"]) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const pkg = require(candidate) as { name?: string; version?: string };
            if (pkg.name === "shared-alb" && typeof pkg.version === "string") {
                return pkg.version;
            }
        } catch {
            // try the next location
        }
    }
    return "unknown";
}

/** Dispatches `argv` (without `node` and the script) to a command; returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
    const [command, ...rest] = argv;
    if (command === undefined) {
        io.stderr.write(Usage);
        return 2;
    }
    if (command === "--help" || command === "-h" || command === "help") {
        if (command === "help" && rest.length > 0 && rest[0] in commands) {
            return commands[rest[0]]().main(["--help"], io);
        }
        io.stdout.write(Usage);
        return 0;
    }
    if (command === "--version" || command === "-v") {
        io.stdout.write(`${version()}\n`);
        return 0;
    }
    const load = Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : undefined;
    if (load === undefined) {
        io.stderr.write(`shared-alb: unknown command ${JSON.stringify(command)}\n\n${Usage}`);
        return 2;
    }
    return load().main(rest, io);
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
    return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

if (require.main === module) {
    // Before any command loads the Pulumi SDKs (Node >= 22.1; nothing otherwise).
    enableCompileCache();
    run(process.argv.slice(2), processIo()).then(
        code => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`shared-alb: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 1;
        },
    );
}

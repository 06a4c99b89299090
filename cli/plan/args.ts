/**
 * A small, strict argument parser shared by the `plan` and `manifests`
 * commands: `--flag`, `--option VALUE` and `--option=VALUE`, nothing
 * positional. Unknown or incomplete arguments are usage errors (exit 2).
 */

/** What a command accepts: boolean flags and options that take a value. */
export interface ArgSpec {
    flags: readonly string[];
    options: readonly string[];
    /** Options that may be given several times (their values in `lists`). */
    repeatable?: readonly string[];
}

/** The parsed command line: flags that were given, and option values by name. */
export interface ParsedArgs {
    flags: Set<string>;
    options: Map<string, string>;
    /** Values of the repeatable options, in the order given. */
    lists: Map<string, string[]>;
}

/** A command-line mistake; the command prints its usage and exits 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Parses argv (without the command name) against a spec; throws `UsageError`. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
    const flags = new Set<string>();
    const options = new Map<string, string>();
    const lists = new Map<string, string[]>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("--")) {
            throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
        }
        const eq = arg.indexOf("=");
        const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
        if (spec.flags.includes(name)) {
            if (eq !== -1) {
                throw new UsageError(`--${name} takes no value`);
            }
            flags.add(name);
        } else if (spec.options.includes(name) || (spec.repeatable ?? []).includes(name)) {
            let value: string | undefined;
            if (eq !== -1) {
                value = arg.slice(eq + 1);
            } else {
                value = argv[i + 1];
                i++;
            }
            if (value === undefined || value === "" || (eq === -1 && value.startsWith("--"))) {
                throw new UsageError(`--${name} needs a value`);
            }
            if ((spec.repeatable ?? []).includes(name)) {
                lists.set(name, [...(lists.get(name) ?? []), value]);
                continue;
            }
            if (options.has(name)) {
                throw new UsageError(`--${name} given more than once`);
            }
            options.set(name, value);
        } else {
            throw new UsageError(`unknown option ${JSON.stringify(arg.slice(0, eq === -1 ? undefined : eq))}`);
        }
    }
    return { flags, options, lists };
}

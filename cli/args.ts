/**
 * The one command-line layer of `shared-alb`. Each command declares its
 * options in a {@link CommandSpec}; {@link runCommand} parses argv against it
 * and turns `--help`, usage errors and unreadable input files into the same
 * output and exit codes for every command. Options (`--flag`, `--option VALUE`,
 * `--option=VALUE`; `-h` and `--help` everywhere), and file arguments only for
 * a command whose spec names them (`review PREVIEW.json ...`).
 * A new option is one more entry in a spec (and a line of its usage text).
 */
import { CliIo } from "./io";
import { InputError } from "./input-files";

/** One option: it takes a value when it names a `value` placeholder (`DIR`), else it is a flag. */
export interface OptionSpec {
    name: string;
    value?: string;
    /** The option may be given several times; its values are in `ParsedArgs.lists`, in order. */
    repeatable?: boolean;
}

/** What a command accepts and how it explains itself. */
export interface CommandSpec {
    name: string;
    /** One line for `shared-alb --help`. */
    summary: string;
    /** The `--help` text. */
    usage: string;
    options: readonly OptionSpec[];
    /** The placeholder of the command's file arguments (`PREVIEW.json`), when it takes any; without it, every argument is an option. */
    operands?: string;
    /** The exit code when an input file cannot be read: 1, or 2 where 1 means something else (doctor). */
    inputErrorExit: number;
}

/** A parsed command line: the flags given and the option values by name. */
export interface ParsedArgs {
    flags: ReadonlySet<string>;
    options: ReadonlyMap<string, string>;
    /** The values of repeatable options, in the order given. */
    lists: ReadonlyMap<string, readonly string[]>;
    /** The arguments that are not options, in order (only for a spec with `operands`). */
    operands: readonly string[];
    /** `-h` or `--help` was given (the rest of the line is then not checked). */
    help: boolean;
}

/** A command-line mistake: the command prints it with a pointer to `--help` and exits 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

const HelpArgs = ["-h", "--help"];

/** Parses argv (the arguments after the command name) against a spec; throws {@link UsageError}. */
export function parseArgs(spec: Pick<CommandSpec, "options" | "operands">, argv: readonly string[]): ParsedArgs {
    const flags = new Set<string>();
    const options = new Map<string, string>();
    const lists = new Map<string, string[]>();
    const operands: string[] = [];
    if (argv.some(arg => HelpArgs.includes(arg))) {
        return { flags, options, lists, operands, help: true };
    }
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (spec.operands !== undefined && !arg.startsWith("-") && arg !== "") {
            operands.push(arg);
            continue;
        }
        if (!arg.startsWith("--") || arg === "--") {
            throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
        }
        const eq = arg.indexOf("=");
        const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
        const option = spec.options.find(o => o.name === name);
        if (option === undefined) {
            const near = nearest(
                name,
                spec.options.map(o => o.name),
            );
            throw new UsageError(`unknown option ${JSON.stringify(`--${name}`)}${near === undefined ? "" : ` (did you mean --${near}?)`}`);
        }
        if (option.value === undefined) {
            if (eq !== -1) {
                throw new UsageError(`--${name} takes no value`);
            }
            flags.add(name);
            continue;
        }
        let value: string | undefined;
        if (eq !== -1) {
            value = arg.slice(eq + 1);
        } else {
            value = argv[i + 1];
            i++;
        }
        if (value === undefined || value === "" || (eq === -1 && value.startsWith("--"))) {
            throw new UsageError(`--${name} needs a value (${option.value})`);
        }
        if (option.repeatable === true) {
            lists.set(name, [...(lists.get(name) ?? []), value]);
            continue;
        }
        if (options.has(name)) {
            throw new UsageError(`--${name} given more than once`);
        }
        options.set(name, value);
    }
    return { flags, options, lists, operands, help: false };
}

/**
 * Runs one command: prints its usage for `--help` (exit 0); reports a
 * {@link UsageError} as one line plus a pointer to `--help` (exit 2), and an
 * {@link InputError} as one line (`spec.inputErrorExit`); anything else is
 * the body's to report.
 */
export async function runCommand(
    spec: CommandSpec,
    argv: readonly string[],
    io: CliIo,
    body: (args: ParsedArgs) => Promise<number>,
): Promise<number> {
    try {
        const args = parseArgs(spec, argv);
        if (args.help) {
            io.stdout.write(spec.usage);
            return 0;
        }
        return await body(args);
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr.write(`shared-alb ${spec.name}: ${e.message}\n${helpHint(spec.name)}`);
            return 2;
        }
        if (e instanceof InputError) {
            io.stderr.write(`shared-alb ${spec.name}: ${e.message}\n`);
            return spec.inputErrorExit;
        }
        throw e;
    }
}

/** The line under a usage error. */
export function helpHint(command?: string): string {
    return `Try 'shared-alb ${command === undefined ? "" : `${command} `}--help' for more information.\n`;
}

/**
 * The candidate closest to `word` (at most two edits away, or the only one
 * it starts), for "did you mean" hints; `undefined` when none is close.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const name of candidates) {
        const distance = editDistance(word, name);
        if (best === undefined || distance < best.distance) {
            best = { name, distance };
        }
    }
    if (best !== undefined && best.distance <= Math.min(2, Math.max(1, Math.floor(best.name.length / 3)))) {
        return best.name;
    }
    const prefixed = word.length > 0 ? candidates.filter(name => name.startsWith(word)) : [];
    return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}

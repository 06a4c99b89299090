import * as fs from "fs";
import { CST, LineCounter, Parser, parseDocument } from "yaml";
import { DocumentError, DocumentLimits, toData } from "../components/internal";

/**
 * A command could not read an input file it was given (or defaults to).
 * Every command prints it the same way, as one line naming the file as the
 * user wrote it: `shared-alb <command>: <message>`.
 */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

/** Why a file system call failed, in words: "no such file", "is a directory"... */
export function describeFsError(e: unknown): string {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    switch (code) {
        case "ENOENT":
            return "no such file";
        case "EISDIR":
            return "is a directory";
        case "ENOTDIR":
            return "not a directory";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        default:
            return e instanceof Error ? e.message : String(e);
    }
}

/**
 * Checks that the stack config directory can be listed. `given` is false when
 * the command fell back to its default (`stacks/config`): run outside the
 * project, the message then says how to point at one.
 */
export function checkConfigDir(dir: string, shown: string, given: boolean): void {
    try {
        fs.readdirSync(dir);
    } catch (e) {
        const hint = given ? "" : "; run shared-alb in the Pulumi project's directory (next to Pulumi.yaml) or pass --config-dir DIR";
        throw new InputError(`cannot read the config directory ${JSON.stringify(shown)}: ${describeFsError(e)}${hint}`);
    }
}

/** The largest file each kind of input may be, in bytes: checked before the file is read. */
export const FileSizeLimits = {
    /** A stack config file, `Pulumi.<stack>.yaml`. */
    config: 1024 * 1024,
    /** A BEFORE file of `plan --compare` (a `plan --json` of the fleet, or a `pulumi stack export`). */
    before: 256 * 1024 * 1024,
    /** A preview file of `review` (the output of `pulumi preview --json`). */
    preview: 256 * 1024 * 1024,
    /** A network outputs file (`pulumi stack output --json`), for `doctor` and `manifests`. */
    outputs: 16 * 1024 * 1024,
} as const;

/** A size in bytes as a message says it: `1 MiB`, `2.5 MiB`, `700 KiB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
    const units: [number, string][] = [
        [1024 * 1024, "MiB"],
        [1024, "KiB"],
    ];
    for (const [size, unit] of units) {
        if (bytes >= size) {
            const n = bytes / size;
            return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
        }
    }
    return `${bytes} bytes`;
}

/** The refusal of a file larger than `limit` bytes: its size and the limit, both to the byte. */
export function tooLarge(bytes: number, limit: number): DocumentError {
    return new DocumentError("", `the file is ${bytes} bytes, larger than the limit of ${formatBytes(limit)} (${limit} bytes)`);
}

/**
 * A file's text, its size checked against `limit` before it is read. Throws
 * `InputError` naming the file as the user wrote it (`shown`) when it cannot
 * be read, and `DocumentError` when it is too large.
 */
export function readLimitedFile(file: string, shown: string, limit: number): string {
    let text: string;
    try {
        const size = fs.statSync(file).size;
        if (size > limit) {
            throw tooLarge(size, limit);
        }
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if (e instanceof DocumentError) {
            throw e;
        }
        throw new InputError(`cannot read ${JSON.stringify(shown)}: ${describeFsError(e)}`);
    }
    return text;
}

/**
 * Where the lists and maps of a YAML text first nest deeper than `maxDepth`
 * (a line and column), or `undefined`. Read from the parser's token tree,
 * walked with a stack: composing the document recurses once per level, so
 * the depth is known before it runs.
 */
export function yamlTooDeep(text: string, maxDepth: number = DocumentLimits.maxDepth): { line: number; column: number } | undefined {
    const lines = new LineCounter();
    const pending: { token: CST.Token | null | undefined; depth: number }[] = [];
    for (const token of new Parser(lines.addNewLine).parse(text)) {
        pending.push({ token: token.type === "document" ? token.value : token, depth: 1 });
    }
    while (pending.length > 0) {
        const { token, depth } = pending.pop()!;
        if (token === undefined || token === null || !CST.isCollection(token)) {
            continue;
        }
        if (depth > maxDepth) {
            const { line, col } = lines.linePos(token.offset);
            return { line, column: col };
        }
        for (const item of token.items) {
            pending.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
        }
    }
    return undefined;
}

/**
 * Parses a YAML text as data (see `toData`): its nesting checked before it is
 * composed, aliases limited to `maxAliasCount` nodes (an alias bomb), a
 * recursive alias refused. Throws `DocumentError` saying what is wrong.
 */
export function parseYamlData(text: string): unknown {
    const deep = yamlTooDeep(text);
    const max = DocumentLimits.maxDepth;
    if (deep !== undefined) {
        throw new DocumentError(
            "",
            `nested more than ${max} levels deep (line ${deep.line}, column ${deep.column}); expected at most ${max} levels of lists and maps`,
        );
    }
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
        // The parser's whole message: the line and column, and the lines around them.
        throw new DocumentError("", `not valid YAML: ${doc.errors[0].message.trimEnd()}`);
    }
    let value: unknown;
    try {
        value = doc.toJS({ maxAliasCount: DocumentLimits.maxAliasCount });
    } catch (e) {
        const bomb = e instanceof ReferenceError && /alias count/i.test(e.message);
        throw new DocumentError(
            "",
            bomb
                ? `its aliases expand to too many nodes; expected at most ${DocumentLimits.maxAliasCount} nodes reached through aliases`
                : `not valid YAML: ${(e as Error).message.trimEnd()}`,
        );
    }
    return toData(value);
}

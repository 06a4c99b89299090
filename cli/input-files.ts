import * as fs from "fs";

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
        case "ENOENT": return "no such file";
        case "EISDIR": return "is a directory";
        case "ENOTDIR": return "not a directory";
        case "EACCES":
        case "EPERM": return "permission denied";
        default: return e instanceof Error ? e.message : String(e);
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

import * as fs from "fs";
import * as path from "path";
import { InputError, describeFsError } from "../input-files";

/**
 * The file in an output directory that lists, one path a line, the files
 * `shared-alb manifests` wrote there: the next run replaces or removes those
 * and nothing else.
 */
export const MarkerFile = ".shared-alb-manifests";

const MarkerHeader = "# Files `shared-alb manifests` wrote into this directory; the next run replaces or removes exactly these.\n";

/** A generated file: its path under the output directory (`<stack>/<name>.yaml`) and its text. */
export interface OutFile {
    path: string;
    text: string;
}

/** What a run will do to the output directory. */
export interface OutDirChanges {
    /** Files of earlier runs to remove: listed in the marker, in the stacks being written, and not written again. */
    remove: string[];
    write: OutFile[];
    /** The marker's new list. */
    listed: string[];
}

/**
 * Plans the changes to `dir` (shown as `shown` in errors) before anything is
 * written. A missing or empty directory takes anything; any other directory
 * must hold the marker of an earlier run. The files that run listed (only
 * those of stack `only`, when given) are replaced or removed; no other
 * existing file is touched, and a new file may not overwrite one the marker
 * does not list. Throws `InputError` naming the directory.
 */
export function planOutDir(dir: string, shown: string, files: readonly OutFile[], only?: string): OutDirChanges {
    const listed = readMarker(dir, shown);
    const replaced = listed.filter(f => only === undefined || f.split("/")[0] === only);
    const writing = new Set(files.map(f => f.path));
    for (const f of files) {
        if (!listed.includes(f.path) && fs.existsSync(path.join(dir, f.path))) {
            throw new InputError(
                `--out ${shown}: ${f.path} exists and was not written by shared-alb manifests (not in ${MarkerFile}); move it away or choose another directory`,
            );
        }
    }
    const kept = listed.filter(f => !replaced.includes(f));
    return {
        remove: replaced.filter(f => !writing.has(f)),
        write: [...files],
        listed: [...new Set([...kept, ...writing])].sort(),
    };
}

/** Applies planned changes: removes, writes, then the marker. Empty stack directories left behind are removed. */
export function applyOutDir(dir: string, changes: OutDirChanges): void {
    for (const f of changes.remove) {
        fs.rmSync(path.join(dir, f), { force: true });
        const parent = path.dirname(path.join(dir, f));
        if (fs.existsSync(parent) && fs.readdirSync(parent).length === 0) {
            fs.rmdirSync(parent);
        }
    }
    for (const f of changes.write) {
        fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        fs.writeFileSync(path.join(dir, f.path), f.text);
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, MarkerFile), MarkerHeader + changes.listed.map(f => `${f}\n`).join(""));
}

const ListedPath = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml$/;

/** The files the marker lists; none for a missing or empty directory. Refuses any other directory without one. */
function readMarker(dir: string, shown: string): string[] {
    let entries: string[];
    try {
        entries = fs.readdirSync(dir);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") {
            return [];
        }
        throw new InputError(`--out ${shown}: ${describeFsError(e)}`);
    }
    if (entries.length === 0) {
        return [];
    }
    if (!entries.includes(MarkerFile)) {
        throw new InputError(
            `--out ${shown}: the directory is not empty and has no ${MarkerFile} (the list of files an earlier run wrote); choose a new or empty directory`,
        );
    }
    const lines = fs
        .readFileSync(path.join(dir, MarkerFile), "utf8")
        .split("\n")
        .filter(l => l !== "" && !l.startsWith("#"));
    const bad = lines.find(l => !ListedPath.test(l) || [".", ".."].includes(l.split("/")[0]));
    if (bad !== undefined) {
        throw new InputError(
            `--out ${shown}: ${MarkerFile} lists ${JSON.stringify(bad)}, not a <stack>/<file>.yaml path; fix or remove that line`,
        );
    }
    return lines;
}

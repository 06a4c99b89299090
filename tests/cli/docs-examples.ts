/**
 * The shell examples of README.md and docs/*.md, read as a reader would type
 * them: fenced blocks (commands after a `$ ` prompt, or every line of a `sh`
 * block) and inline code spans that run `shared-alb`. Pure text handling; the
 * test in docs-examples.test.ts checks and runs what it finds.
 */
import * as fs from "fs";
import * as path from "path";

/** A fenced code block, its lines without the fence's indentation. */
export interface DocBlock {
    file: string;
    /** 1-based line of the opening fence. */
    line: number;
    lang: string;
    lines: string[];
}

/** One simple command (no `&&`, `|` or `;`) as the shell would split it into words. */
export interface DocCommand {
    file: string;
    line: number;
    text: string;
    words: string[];
    /** `> FILE`: where stdout goes, when redirected. */
    stdoutTo?: string;
}

/** The Markdown files whose examples are checked: README.md and every docs/*.md. */
export function documentationFiles(root: string): string[] {
    const docs = fs
        .readdirSync(path.join(root, "docs"))
        .filter(f => f.endsWith(".md"))
        .sort()
        .map(f => path.join("docs", f));
    return ["README.md", ...docs];
}

/** Every fenced block of a Markdown text. */
export function fencedBlocks(file: string, text: string): DocBlock[] {
    const lines = text.split("\n");
    const blocks: DocBlock[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
        if (open === null) {
            continue;
        }
        const indent = open[1].length;
        const end = lines.findIndex((l, j) => j > i && l.trim() === "```");
        if (end < 0) {
            throw new Error(`${file}:${i + 1}: a code block that is never closed`);
        }
        blocks.push({
            file,
            line: i + 1,
            lang: open[2],
            lines: lines.slice(i + 1, end).map(l => l.slice(Math.min(indent, l.length - l.trimStart().length))),
        });
        i = end;
    }
    return blocks;
}

/** Shell words of a line: quotes grouped and removed, a `#` after blank space starts a comment. */
export function shellWords(line: string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote !== undefined) {
            if (c === quote) {
                quote = undefined;
            } else {
                word = (word ?? "") + c;
            }
        } else if (c === "'" || c === '"') {
            quote = c;
            word = word ?? "";
        } else if (/\s/.test(c)) {
            if (word !== undefined) {
                words.push(word);
                word = undefined;
            }
        } else if (c === "#" && word === undefined) {
            break;
        } else {
            word = (word ?? "") + c;
        }
    }
    if (word !== undefined) {
        words.push(word);
    }
    return words;
}

/** Splits a command line into simple commands at `&&`, `||`, `|` and `;`, and reads a `> FILE` redirection. */
export function simpleCommands(file: string, line: number, text: string): DocCommand[] {
    const out: DocCommand[] = [];
    let current: string[] = [];
    const flush = () => {
        if (current.length > 0) {
            const words = [...current];
            let stdoutTo: string | undefined;
            const redirect = words.indexOf(">");
            if (redirect >= 0) {
                stdoutTo = words[redirect + 1];
                words.splice(redirect, 2);
            }
            out.push({ file, line, text, words: words.filter(w => !/^\d?>&\d$/.test(w)), stdoutTo });
        }
        current = [];
    };
    for (const word of shellWords(text)) {
        if (["&&", "||", "|", ";"].includes(word)) {
            flush();
        } else {
            current.push(word);
        }
    }
    flush();
    return out;
}

/** The commands a block shows: those after a `$ ` prompt, or every line of a shell block without prompts. */
export function blockCommands(block: DocBlock): DocCommand[] {
    const prompted = block.lines.some(l => l.startsWith("$ "));
    const shell = ["sh", "bash", "shell", "console"].includes(block.lang);
    return block.lines.flatMap((l, i) => {
        if (prompted) {
            return l.startsWith("$ ") ? simpleCommands(block.file, block.line + 1 + i, l.slice(2)) : [];
        }
        return shell ? simpleCommands(block.file, block.line + 1 + i, l) : [];
    });
}

/** `shared-alb ...` commands (and npm scripts that run it) in inline code spans of the prose (outside fenced blocks). */
export function inlineCommands(file: string, text: string): DocCommand[] {
    const out: DocCommand[] = [];
    let fenced = false;
    text.split("\n").forEach((l, i) => {
        if (/^\s*```/.test(l)) {
            fenced = !fenced;
            return;
        }
        if (fenced) {
            return;
        }
        for (const m of l.matchAll(/`((?:npx )?shared-alb [^`]+|npm run [^`]+)`/g)) {
            out.push(...simpleCommands(file, i + 1, m[1]).filter(c => sharedAlbArgs(c) !== undefined));
        }
    });
    return out;
}

/** A config edit written as a prompt comment: `$ # stacks/config/Pulumi.network.yaml: services.api.port: 9100`. */
export interface ConfigEdit {
    file: string;
    path: string[];
    value: string;
}

export function parseConfigEdit(line: string): ConfigEdit | undefined {
    const m = /^# (stacks\/config\/Pulumi\.[a-z0-9-]+\.yaml): ([A-Za-z0-9_.-]+): (.+)$/.exec(line);
    return m === null ? undefined : { file: m[1], path: m[2].split("."), value: m[3] };
}

/** One step of a runnable session: a `shared-alb` command and the lines the block shows after it, or a config edit. */
export type SessionStep = { kind: "run"; command: DocCommand; shown: string[] } | { kind: "edit"; edit: ConfigEdit };

/**
 * The block as a session that can run offline: every prompt is an offline
 * `shared-alb` command (not `doctor`) or a config edit. `undefined` when the
 * block has no prompt or needs anything else (a cloud account, a manual step).
 */
export function offlineSession(block: DocBlock): SessionStep[] | undefined {
    if (!block.lines.some(l => l.startsWith("$ "))) {
        return undefined;
    }
    const steps: SessionStep[] = [];
    for (const l of block.lines) {
        if (!l.startsWith("$ ")) {
            const last = steps[steps.length - 1];
            if (last?.kind === "run" && l.trim() !== "...") {
                last.shown.push(l);
            }
            continue;
        }
        const text = l.slice(2);
        if (text.startsWith("#")) {
            const edit = parseConfigEdit(text);
            if (edit === undefined) {
                return undefined;
            }
            steps.push({ kind: "edit", edit });
            continue;
        }
        const commands = simpleCommands(block.file, block.line, text);
        const cli = commands.length === 1 ? sharedAlbArgs(commands[0]) : undefined;
        if (cli === undefined || cli[0] === "doctor") {
            return undefined;
        }
        steps.push({ kind: "run", command: commands[0], shown: [] });
    }
    return steps;
}

/**
 * The package.json scripts that run this repository's CLI: script name to
 * the arguments the script passes before the reader's. Only scripts that
 * bring dist/ up to date first (`tsc -b tsconfig.build.json && node
 * dist/cli/index.js ...`) count, so a documented script never runs older
 * code than the sources.
 */
export function cliScripts(scripts: Record<string, string>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [name, command] of Object.entries(scripts)) {
        const m = /^tsc -b tsconfig\.build\.json && node dist\/cli\/index\.js((?: [a-z-]+)*)$/.exec(command);
        if (m !== null) {
            out.set(
                name,
                m[1].split(" ").filter(w => w !== ""),
            );
        }
    }
    return out;
}

const repositoryScripts = cliScripts(
    (
        JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8")) as {
            scripts: Record<string, string>;
        }
    ).scripts,
);

/**
 * The arguments of a `shared-alb` (or `npx shared-alb`) command, or of an
 * `npm run [-s] <script> [-- ARGS]` of a script that runs the CLI;
 * `undefined` for any other command.
 */
export function sharedAlbArgs(command: DocCommand, scripts: ReadonlyMap<string, string[]> = repositoryScripts): string[] | undefined {
    const [first, second, ...rest] = command.words;
    if (first === "npx" && second === "shared-alb") {
        return rest;
    }
    if (first === "shared-alb") {
        return second === undefined ? [] : [second, ...rest];
    }
    if (first === "npm" && second === "run") {
        const [script, ...after] = rest.filter(w => w !== "-s" && w !== "--silent");
        const fixed = scripts.get(script);
        return fixed === undefined || (after.length > 0 && after[0] !== "--") ? undefined : [...fixed, ...after.slice(1)];
    }
    return undefined;
}

import * as fs from "fs";

/**
 * The outputs of one command a Markdown file shows, by the id of the
 * `<!-- <command>: <id> -->` comment above each code block (`plan --compare:
 * add-green`, `plan: example`): each marked block's lines, less commands
 * (`$ ...`) and elisions (`...`). A file may show several excerpts of one
 * output: every block marked with an id is returned, in the file's order.
 */
export function documentedOutputs(file: string, command: "plan" | "plan --compare" | "review"): Map<string, string[][]> {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const marker = new RegExp(`^\\s*<!-- ${command.replace(/-/g, "\\-")}: ([a-z0-9-]+) -->$`);
    const out = new Map<string, string[][]>();
    lines.forEach((line, i) => {
        const id = marker.exec(line)?.[1];
        if (id === undefined) {
            return;
        }
        if (lines[i + 1]?.trim() !== "```") {
            throw new Error(`${file}:${i + 2}: expected a code block after the ${command} marker ${id}`);
        }
        const indent = lines[i + 1].length - lines[i + 1].trimStart().length;
        const end = lines.findIndex((l, j) => j > i + 1 && l.trim() === "```");
        const shown = lines
            .slice(i + 2, end)
            .map(l => l.slice(indent))
            .filter(l => !l.startsWith("$ ") && l.trim() !== "...");
        out.set(id, [...(out.get(id) ?? []), shown]);
    });
    return out;
}

/** Whether every shown line is a line of the real output, in order (elided lines may sit between them). */
export function showsExactLines(shown: string[], real: string): { ok: true } | { ok: false; missing: string } {
    const lines = real.split("\n");
    let at = 0;
    for (const line of shown) {
        const found = lines.indexOf(line, at);
        if (found < 0) {
            return { ok: false, missing: line };
        }
        at = found + 1;
    }
    return { ok: true };
}

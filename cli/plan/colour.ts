import { paint } from "../colour";

/**
 * Colours the `plan` tree for a terminal without changing a character of its
 * text: stack headers and the fleet summary bold, the tree's branches dim,
 * `[protected]` / `[retain]` / `[delete-before-replace]` marks and notes
 * yellow. Applied to the rendered text, line by line, so whatever the tree
 * shows is coloured the same way.
 */
export function colourTree(text: string): string {
    return text.split("\n").map(colourLine).join("\n");
}

function colourLine(line: string): string {
    if (line === "") {
        return line;
    }
    if (!line.startsWith(" ")) {
        return paint("bold", line);
    }
    const note = /^( +)(note:.*)$/.exec(line);
    if (note) {
        return `${note[1]}${paint("yellow", note[2])}`;
    }
    const branch = /^([ │├└─]+)(.*)$/.exec(line);
    const [prefix, rest] = branch && /[│├└]/.test(branch[1]) ? [paint("dim", branch[1]), branch[2]] : ["", line];
    return (
        prefix + rest.replace(/ {2}(\[(?:protected|retain|delete-before-replace)\])/g, (_, mark: string) => `  ${paint("yellow", mark)}`)
    );
}

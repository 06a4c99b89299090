/**
 * The wildcard patterns of ALB rule conditions: `*` matches any run of
 * characters (the empty one included), `?` exactly one character, every
 * other character itself; a pattern matches the whole value. Hosts and
 * HTTP header values compare case-insensitively, paths case-sensitively.
 * Pure: no Pulumi runtime.
 */

/** How two values compare: hosts and header values ignore case, paths do not. */
export interface GlobOptions {
    caseInsensitive: boolean;
}

const isWild = (c: string): boolean => c === "*" || c === "?";

/** Characters of a pattern that are not wildcards. */
export function literalCount(pattern: string): number {
    return [...pattern].filter(c => !isWild(c)).length;
}

/** Wildcard characters (`*`, `?`) of a pattern. */
export function wildcardCount(pattern: string): number {
    return [...pattern].filter(isWild).length;
}

function fold(text: string, options: GlobOptions): string {
    return options.caseInsensitive ? text.toLowerCase() : text;
}

/** Whether `text` matches `pattern` as a whole. */
export function globMatch(pattern: string, text: string, options: GlobOptions): boolean {
    const p = fold(pattern, options);
    const t = fold(text, options);
    // reach[j]: the first i pattern characters can match the first j text characters.
    let reach = new Array<boolean>(t.length + 1).fill(false);
    reach[0] = true;
    for (const c of p) {
        const next = new Array<boolean>(t.length + 1).fill(false);
        for (let j = 0; j <= t.length; j++) {
            if (c === "*") {
                next[j] = reach[j] || (j > 0 && next[j - 1]);
            } else if (j > 0 && reach[j - 1]) {
                next[j] = c === "?" || c === t[j - 1];
            }
        }
        reach = next;
    }
    return reach[t.length];
}

/** The character a witness uses where both patterns accept any character. */
const Filler = "x";

/**
 * A value both patterns match, or undefined when no value does. The search
 * walks the product of the two patterns' automata (a state is how far each
 * pattern has got), so `a*` and `*b` intersect (`ab`) although neither
 * contains the other. It prefers witnesses where every `*` stands for at
 * least one character (`x.example.com` rather than `.example.com`), which
 * read better in messages.
 */
export function globIntersection(a: string, b: string, options: GlobOptions): string | undefined {
    const pa = fold(a, options);
    const pb = fold(b, options);
    const key = (s: State) => `${s.i},${s.j},${s.ua ? 1 : 0},${s.ub ? 1 : 0}`;
    const start: State = { i: 0, j: 0, ua: false, ub: false };
    const cost = new Map<string, number>([[key(start), 0]]);
    const parent = new Map<string, { from: string; char: string }>();
    // Dijkstra with tiny integer costs (a bucket per cost): consuming a character costs 1,
    // leaving a `*` that consumed nothing costs 8.
    const buckets: State[][] = [[start]];
    const done = new Set<string>();
    for (let c = 0; c < buckets.length; c++) {
        for (const s of buckets[c] ?? []) {
            const k = key(s);
            if (done.has(k) || cost.get(k) !== c) {
                continue;
            }
            done.add(k);
            if (s.i === pa.length && s.j === pb.length) {
                return witness(k, parent);
            }
            const push = (next: State, step: number, char: string) => {
                const nk = key(next);
                const nc = c + step;
                if (!done.has(nk) && nc < (cost.get(nk) ?? Infinity)) {
                    cost.set(nk, nc);
                    parent.set(nk, { from: k, char });
                    (buckets[nc] ??= []).push(next);
                }
            };
            expand(pa, pb, s, push);
        }
    }
    return undefined;
}

/** A state of the product automaton: positions in both patterns, and whether each side's current `*` consumed a character. */
interface State {
    i: number;
    j: number;
    ua: boolean;
    ub: boolean;
}

/** The steps from `s`: leave a `*` on either side, or consume one character both patterns accept (the witness's). */
function expand(pa: string, pb: string, s: State, push: (next: State, step: number, char: string) => void): void {
    // Leave a `*` (it has matched what it consumed so far).
    if (s.i < pa.length && pa[s.i] === "*") {
        push({ ...s, i: s.i + 1, ua: false }, s.ua ? 0 : 8, "");
    }
    if (s.j < pb.length && pb[s.j] === "*") {
        push({ ...s, j: s.j + 1, ub: false }, s.ub ? 0 : 8, "");
    }
    // Consume one character on both sides.
    if (s.i < pa.length && s.j < pb.length) {
        const ca = pa[s.i];
        const cb = pb[s.j];
        let char: string | undefined;
        if (isWild(ca) && isWild(cb)) {
            char = Filler;
        } else if (isWild(ca)) {
            char = cb;
        } else if (isWild(cb) || ca === cb) {
            char = ca;
        }
        if (char !== undefined) {
            push(
                {
                    i: ca === "*" ? s.i : s.i + 1,
                    ua: ca === "*",
                    j: cb === "*" ? s.j : s.j + 1,
                    ub: cb === "*",
                },
                1,
                char,
            );
        }
    }
}

function witness(end: string, parent: Map<string, { from: string; char: string }>): string {
    const chars: string[] = [];
    let k = end;
    for (let step = parent.get(k); step !== undefined; step = parent.get(k)) {
        chars.push(step.char);
        k = step.from;
    }
    return chars.reverse().join("");
}

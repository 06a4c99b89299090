/**
 * Documents read as data. A map read from a config, a BEFORE file or an
 * outputs file is a *data map*: its keys are only its own, so a key that
 * happens to name something every JavaScript object has (`constructor`,
 * `toString`, `__proto__`, `hasOwnProperty`, `valueOf`) is read as the data it
 * is, and a key a map lacks reads as absent, never as a function inherited
 * from `Object.prototype`. Pure: no Pulumi runtime.
 */

/**
 * The prototype of every data map: no string keys at all, only a
 * `Symbol.toPrimitive` that renders the map as a plain object would
 * (`[object Object]`). The Pulumi SDK renders every resource input with a
 * template string (`transferProperties` in @pulumi/pulumi's runtime/rpc.js);
 * without this, a map with no `toString`, or whose `toString` is data (a tag
 * named `toString`), could not be rendered and its resource never registered.
 */
const DataMapPrototype: object = Object.freeze(
    Object.create(null, {
        [Symbol.toPrimitive]: { value: (hint: string) => (hint === "number" ? Number.NaN : "[object Object]") },
    }),
);

/** A new data map, with `entries` as its own keys (in their order). */
export function dataMap<T = unknown>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
    const map = Object.create(DataMapPrototype) as Record<string, T>;
    for (const [key, value] of entries) {
        // No `__proto__` setter on the way: the prototype chain has none.
        map[key] = value;
    }
    return map;
}

/** Whether `value` is a data map (made by {@link dataMap}). */
export function isDataMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === DataMapPrototype;
}

/** The value of `map`'s own `key`; `undefined` when the map has no such key of its own (whatever its prototype has). */
export function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
    return map !== undefined && map !== null && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Whether `map` has `key` of its own. */
export function hasOwn(map: object | undefined, key: string): boolean {
    return map !== undefined && map !== null && Object.hasOwn(map, key);
}

/** The fixed limits every document is read within (docs/cli.md, "Input limits"). */
export const DocumentLimits = {
    /** Lists and maps nested in each other, counted from the document itself (1). */
    maxDepth: 100,
    /** YAML only: nodes reached through aliases in total (the `yaml` package's `maxAliasCount`). */
    maxAliasCount: 100,
} as const;

/** A document that is not data this program can read, with the path of the problem (empty: the whole document). */
export class DocumentError extends Error {
    /** Dotted path of the problem inside the document, e.g. `clusters.blue`; empty for the whole document. */
    readonly path: string;
    /** What is wrong there, and what is expected. */
    readonly reason: string;

    constructor(path: string, reason: string) {
        super(path === "" ? reason : `${path}: ${reason}`);
        this.name = "DocumentError";
        this.path = path;
        this.reason = reason;
    }
}

/** A path and a key joined as the readers join them (`a.b`, `a["x y"]`, `a[0]`). */
function joinPath(path: string, key: string | number): string {
    if (typeof key === "number") {
        return `${path}[${key}]`;
    }
    const plain = /^[A-Za-z0-9_-]+$/.test(key);
    return plain ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** The lists and maps a value sits in, innermost first. */
interface Ancestor {
    node: object;
    up?: Ancestor;
}

function isAncestor(ancestors: Ancestor | undefined, node: object): boolean {
    for (let a = ancestors; a !== undefined; a = a.up) {
        if (a.node === node) {
            return true;
        }
    }
    return false;
}

/**
 * A copy of a parsed document as data: every object becomes a data map with
 * the same own keys, lists stay lists. Checked iteratively, before anything
 * recurses into it: nesting deeper than `maxDepth` and a list or map that
 * contains itself (a YAML alias of an anchor inside that anchor) are refused
 * with a {@link DocumentError} naming the path.
 */
export function toData(value: unknown, maxDepth: number = DocumentLimits.maxDepth): unknown {
    const root: { value?: unknown } = {};
    const stack: PendingCopy[] = [
        {
            from: value,
            put: v => {
                root.value = v;
            },
            path: "",
            depth: 1,
        },
    ];
    while (stack.length > 0) {
        copyOne(stack.pop()!, stack, maxDepth);
    }
    return root.value;
}

/** A value still to copy: where its copy goes, its path and depth, and the lists and maps it sits in. */
interface PendingCopy {
    from: unknown;
    put: (v: unknown) => void;
    path: string;
    depth: number;
    ancestors?: Ancestor;
}

/**
 * Copies one value for {@link toData}: a scalar as it is; a list or map as an
 * empty copy, with its items pushed onto `stack` to fill it. Throws
 * {@link DocumentError} for a cycle or nesting deeper than `maxDepth`.
 */
function copyOne({ from, put, path, depth, ancestors }: PendingCopy, stack: PendingCopy[], maxDepth: number): void {
    if (typeof from !== "object" || from === null) {
        put(from);
        return;
    }
    if (isAncestor(ancestors, from)) {
        throw new DocumentError(path, "refers to a list or map that contains it (a recursive YAML alias); expected data without cycles");
    }
    if (depth > maxDepth) {
        throw new DocumentError(path, `nested more than ${maxDepth} levels deep; expected at most ${maxDepth} levels of lists and maps`);
    }
    const inside: Ancestor = { node: from, up: ancestors };
    if (Array.isArray(from)) {
        const list: unknown[] = new Array(from.length);
        put(list);
        from.forEach((item, i) =>
            stack.push({
                from: item,
                put: v => {
                    list[i] = v;
                },
                path: joinPath(path, i),
                depth: depth + 1,
                ancestors: inside,
            }),
        );
        return;
    }
    const map = dataMap();
    put(map);
    for (const key of Object.keys(from)) {
        map[key] = undefined;
        stack.push({
            from: (from as Record<string, unknown>)[key],
            put: v => {
                map[key] = v;
            },
            path: joinPath(path, key),
            depth: depth + 1,
            ancestors: inside,
        });
    }
}

/**
 * How deeply the lists and maps of a JSON text nest, scanned without
 * parsing (strings skipped): where it first goes deeper than `maxDepth`, as
 * a line and column, or `undefined` when it never does.
 */
export function jsonTooDeep(text: string, maxDepth: number = DocumentLimits.maxDepth): { line: number; column: number } | undefined {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 0x5c) {
                i++;
            } else if (c === 0x22) {
                inString = false;
            }
        } else if (c === 0x22) {
            inString = true;
        } else if (c === 0x5b || c === 0x7b) {
            if (++depth > maxDepth) {
                const before = text.slice(0, i);
                const line = before.split("\n").length;
                return { line, column: i - before.lastIndexOf("\n") };
            }
        } else if (c === 0x5d || c === 0x7d) {
            depth--;
        }
    }
    return undefined;
}

/**
 * Parses a JSON text as data (see {@link toData}): its nesting is checked
 * before it is parsed. Throws {@link DocumentError} saying what is wrong.
 */
export function parseJsonData(text: string, maxDepth: number = DocumentLimits.maxDepth): unknown {
    const deep = jsonTooDeep(text, maxDepth);
    if (deep !== undefined) {
        throw new DocumentError(
            "",
            `nested more than ${maxDepth} levels deep (line ${deep.line}, column ${deep.column}); expected at most ${maxDepth} levels of lists and maps`,
        );
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new DocumentError("", `not JSON (${(e as Error).message})`);
    }
    return toData(parsed, maxDepth);
}

/** The paths (under `path`) of every map key in `value` that `wanted` picks, found with a stack (no recursion), sorted. */
export function pathsOfKey(value: unknown, wanted: string | ((key: string) => boolean), path: string): string[] {
    const picks = typeof wanted === "string" ? (k: string) => k === wanted : wanted;
    const found: string[] = [];
    const pending: { value: unknown; path: string }[] = [{ value, path }];
    while (pending.length > 0) {
        const next = pending.pop()!;
        if (Array.isArray(next.value)) {
            next.value.forEach((v, i) => pending.push({ value: v, path: joinPath(next.path, i) }));
        } else if (typeof next.value === "object" && next.value !== null) {
            for (const [k, v] of Object.entries(next.value)) {
                if (picks(k)) {
                    found.push(joinPath(next.path, k));
                }
                pending.push({ value: v, path: joinPath(next.path, k) });
            }
        }
    }
    return found.sort();
}

/**
 * The key Pulumi's wire format marks secrets, assets, archives and resource
 * references with (`specialSigKey` in @pulumi/pulumi's runtime/rpc.js).
 */
export const PulumiSignatureKey = "4dabf18193072939515e22adb298388d";

/**
 * Whether the Pulumi SDK gives `key` a meaning of its own: the signature key
 * of its wire format, or one of its brands (`__pulumiOutput`,
 * `__pulumiResource`, `__pulumiAsset`..., each read by an `isInstance`).
 */
export function isPulumiReservedKey(key: string): boolean {
    return key === PulumiSignatureKey || key.startsWith("__pulumi");
}

/**
 * Refuses a document (a stack config, a network outputs file) that holds a
 * key the Pulumi SDK reserves ({@link isPulumiReservedKey}): handed to the
 * SDK as data, such a map is read as a secret, asset, Output or resource
 * instead (under the mock runtime, its resource never registers). Throws a
 * `DocumentError` at the first one, under `path`. A stack export holds
 * secrets in the wire format: `signatures: "allowed"` lets the signature
 * key through.
 */
export function refuseReservedKeys(doc: unknown, path = "", options: { signatures?: "allowed" } = {}): void {
    const reserved =
        options.signatures === "allowed" ? (k: string) => k !== PulumiSignatureKey && isPulumiReservedKey(k) : isPulumiReservedKey;
    const [first] = pathsOfKey(doc, reserved, path);
    if (first !== undefined) {
        throw new DocumentError(
            first,
            "a key the Pulumi SDK reserves (it would read this map as a secret, asset, Output or resource); expected plain data",
        );
    }
}

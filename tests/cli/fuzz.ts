import * as fs from "fs";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

// The mutations of the fuzz test (fuzz.test.ts): seeded, so every run makes
// the same documents. Each takes a valid document (a stack config in YAML, a
// `plan --json` or stack export, a network outputs file in JSON) and breaks
// it one way.

/** A seeded pseudo-random source (mulberry32): the same seed, the same choices. */
export class Rng {
    private state: number;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    /** A float in [0, 1). */
    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** An integer in [0, n). */
    int(n: number): number {
        return Math.floor(this.next() * n);
    }

    pick<T>(items: readonly T[]): T {
        return items[this.int(items.length)];
    }
}

export type Format = "yaml" | "json";

/** A mutated document: its text, and the size the file is padded to (with zeros) when the mutation makes it huge. */
export interface Mutated {
    text: string;
    padTo?: number;
}

/** One way to break a document. */
export interface Mutation {
    name: string;
    /** Only for this format, when set. */
    only?: Format;
    apply(text: string, format: Format, r: Rng, sizeLimit: number): Mutated;
}

/** Keys every JavaScript object answers to. */
export const PrototypeKeys = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"] as const;

/** Keys the Pulumi SDK gives a meaning: its Output and resource brands, and its wire format's signature key, each with a value it acts on. */
const PulumiKeys: readonly [string, unknown][] = [
    ["__pulumiOutput", true],
    ["__pulumiResource", true],
    ["__pulumiCustomResource", true],
    ["4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"],
];

const OtherValues: readonly unknown[] = [
    "",
    "x",
    0,
    -1,
    1.5,
    true,
    false,
    null,
    [],
    {},
    ["a"],
    { a: 1 },
    "111111111111",
    "arn:aws:iam::111111111111:role/x",
];
const HugeNumbers: readonly number[] = [1e308, -1e308, 2 ** 53 + 2, 1e21, -0, 1.2345678901234568e29, 5e-324];
const UnicodeText: readonly string[] = [
    "blüe",
    "𝔟𝔩𝔲𝔢",
    "\u202egreen",
    "a\u0000b",
    "e\u0301",
    "ǅ",
    "\uFEFFweb",
    "Ω≈ç√",
    "🚀",
    "x".repeat(5000),
    " ",
    "\n\t",
];

/** A slot of a document: a map entry or a list item, with its container. */
interface Slot {
    container: Record<string, unknown> | unknown[];
    key: string | number;
}

/** Every slot of a parsed document, found with a stack. */
function slots(doc: unknown): Slot[] {
    const out: Slot[] = [];
    const pending: unknown[] = [doc];
    while (pending.length > 0) {
        const v = pending.pop();
        if (Array.isArray(v)) {
            v.forEach((item, i) => {
                out.push({ container: v, key: i });
                pending.push(item);
            });
        } else if (typeof v === "object" && v !== null) {
            for (const [k, item] of Object.entries(v)) {
                out.push({ container: v as Record<string, unknown>, key: k });
                pending.push(item);
            }
        }
    }
    return out;
}

/** Every map of a parsed document (the document itself included). */
function maps(doc: unknown): Record<string, unknown>[] {
    const found = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? [doc as Record<string, unknown>] : [];
    for (const s of slots(doc)) {
        const v = Array.isArray(s.container) ? s.container[s.key as number] : s.container[s.key as string];
        if (typeof v === "object" && v !== null && !Array.isArray(v)) {
            found.push(v as Record<string, unknown>);
        }
    }
    return found;
}

/** Sets an own key (even `__proto__`) on a map. */
function setOwn(map: Record<string, unknown>, key: string, value: unknown): void {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function copy<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

function parseAs(text: string, format: Format): unknown {
    return format === "yaml" ? parseYaml(text) : JSON.parse(text);
}

function serialize(doc: unknown, format: Format): string {
    return format === "yaml" ? stringifyYaml(doc, { aliasDuplicateObjects: false }) : JSON.stringify(doc, null, 2);
}

/** A structural mutation: parse, change one slot or map, serialize again. */
function structural(name: string, change: (doc: unknown, r: Rng) => void): Mutation {
    return {
        name,
        apply(text, format, r) {
            const doc = parseAs(text, format);
            change(doc, r);
            return { text: serialize(doc, format) };
        },
    };
}

function randomSlot(doc: unknown, r: Rng, mapsOnly = false): Slot | undefined {
    const all = slots(doc).filter(s => !mapsOnly || !Array.isArray(s.container));
    return all.length === 0 ? undefined : r.pick(all);
}

function put(slot: Slot | undefined, value: unknown): void {
    if (slot === undefined) {
        return;
    }
    if (Array.isArray(slot.container)) {
        slot.container[slot.key as number] = value;
    } else {
        setOwn(slot.container, slot.key as string, value);
    }
}

/** Renames a map key in place, keeping the order of the others. */
function rename(slot: Slot | undefined, to: string): void {
    if (slot === undefined || Array.isArray(slot.container)) {
        return;
    }
    const map = slot.container;
    const entries = Object.entries(map).map(([k, v]): [string, unknown] => [k === slot.key ? to : k, v]);
    for (const k of Object.keys(map)) {
        delete map[k];
    }
    entries.forEach(([k, v]) => setOwn(map, k, v));
}

/** A value nested `depth` levels deep, lists and maps in turn. */
function nested(depth: number): unknown {
    let v: unknown = "x";
    for (let i = 1; i < depth; i++) {
        v = i % 2 === 0 ? [v] : { k: v };
    }
    return v;
}

/** The lines of a text that hold `key: scalar` (YAML) or `"key": scalar` (JSON). */
function scalarLines(lines: string[], format: Format): number[] {
    const pattern = format === "yaml" ? /^\s*[^\s#:][^:]*:\s+[^\s&*[{|>]/ : /^\s*"[^"]+":\s+[^[{\s]/;
    return lines.map((l, i) => (pattern.test(l) ? i : -1)).filter(i => i >= 0);
}

/** Replaces the scalar value of one random `key: value` line. */
function replaceScalar(text: string, format: Format, r: Rng, value: string): string {
    const lines = text.split("\n");
    const candidates = scalarLines(lines, format);
    if (candidates.length === 0) {
        return value;
    }
    const i = r.pick(candidates);
    const colon = format === "yaml" ? lines[i].indexOf(": ") : lines[i].indexOf('": ') + 1;
    const comma = format === "json" && lines[i].trimEnd().endsWith(",") ? "," : "";
    lines[i] = `${lines[i].slice(0, colon + 2)}${value}${comma}`;
    return lines.join("\n");
}

/** Every mutation, in the order the fuzz test cycles through them. */
export const Mutations: readonly Mutation[] = [
    structural("delete a key", (doc, r) => {
        const s = randomSlot(doc, r, true);
        if (s !== undefined) {
            delete (s.container as Record<string, unknown>)[s.key as string];
        }
    }),
    structural("a value of another type", (doc, r) => put(randomSlot(doc, r), copy(r.pick(OtherValues)))),
    structural("a prototype-ish key added", (doc, r) => {
        const all = maps(doc);
        if (all.length > 0) {
            setOwn(r.pick(all), r.pick(PrototypeKeys), copy(r.pick(OtherValues)));
        }
    }),
    structural("a key the Pulumi SDK reserves added", (doc, r) => {
        const all = maps(doc);
        if (all.length > 0) {
            const [key, value] = r.pick(PulumiKeys);
            setOwn(r.pick(all), key, value);
        }
    }),
    structural("a key renamed to a prototype-ish name", (doc, r) => rename(randomSlot(doc, r, true), r.pick(PrototypeKeys))),
    structural("a huge number", (doc, r) => put(randomSlot(doc, r), r.pick(HugeNumbers))),
    structural("unicode text", (doc, r) => put(randomSlot(doc, r), r.pick(UnicodeText))),
    structural("a unicode key", (doc, r) => rename(randomSlot(doc, r, true), r.pick(UnicodeText))),
    structural("nesting 150 levels deep", (doc, r) => put(randomSlot(doc, r), nested(150))),
    {
        name: "nesting 100,000 levels deep",
        apply: (text, format, r) => ({ text: replaceScalar(text, format, r, `${"[".repeat(100000)}${"]".repeat(100000)}`) }),
    },
    { name: "truncated", apply: (text, _, r) => ({ text: text.slice(0, r.int(text.length)) }) },
    { name: "a recursive alias", only: "yaml", apply: (text, format, r) => ({ text: replaceScalar(text, format, r, "&loop [1, *loop]") }) },
    {
        name: "an alias bomb",
        only: "yaml",
        apply: text => ({
            text:
                `${text}\nbomb0: &b0 [${Array(10).fill("x").join(", ")}]\nbomb1: &b1 [${Array(10).fill("*b0").join(", ")}]\n` +
                `bomb2: &b2 [${Array(10).fill("*b1").join(", ")}]\nbomb3: [${Array(10).fill("*b2").join(", ")}]\n`,
        }),
    },
    {
        name: "a key given twice",
        only: "yaml",
        apply: (text, format, r) => {
            const lines = text.split("\n");
            const candidates = scalarLines(lines, format);
            const i = r.pick(candidates);
            return { text: [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join("\n") };
        },
    },
    { name: "over the size limit", apply: (text, _, __, limit) => ({ text, padTo: limit + 1 }) },
    {
        name: "not a map at the top",
        apply: (_, format, r) => ({
            text: r.pick(format === "yaml" ? ["[]", "x", "null", "42", "", "- a\n- b"] : ["[]", '"x"', "null", "42", "", "[{}]"]),
        }),
    },
];

/** Writes a mutated document to `file` (padded with zeros to its size, sparse where the file system allows). */
export function writeMutated(file: string, m: Mutated): void {
    fs.writeFileSync(file, m.text);
    if (m.padTo !== undefined) {
        fs.truncateSync(file, m.padTo);
    }
}

/** What a crash looks like in what a command printed: a JavaScript error's name or wording, or a stack frame. */
export const CrashPattern =
    /TypeError|RangeError|ReferenceError|Maximum call stack|Cannot read propert|Cannot convert|is not a function|is not iterable|\n\s+at \S.*:\d+:\d+|unexpected error/;

/**
 * The options the example stack configs leave out, set on each of them, so
 * that the fuzz test's mutations reach these keys too: the network's TLS
 * policy, desync mode, access logs, WAF web ACL, OU principals of the RAM
 * share, and its two secrets (the preview token and an external ID, as
 * `secure:` values); blue's EKS endpoints, version and admission policy;
 * green's admission policy turned off.
 */
export const EveryOption: Readonly<Record<string, readonly [string, unknown][]>> = {
    network: [
        ["loadBalancer.sslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06"],
        ["loadBalancer.desyncMitigationMode", "strictest"],
        ["loadBalancer.accessLogs", { bucket: "shop-edge-logs", prefix: "alb", enabled: true }],
        ["loadBalancer.webAclArn", "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/shop-edge/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"],
        ["preview.token", { secure: "v1:c2hhcmVkLWFsYi1mdXp6LXRva2Vu" }],
        ["clusters.blue.externalId", { secure: "v1:c2hhcmVkLWFsYi1mdXp6LWlk" }],
        ["vpcSharing.principals", ["arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-c3d4e5f6"]],
        ["vpcSharing.allowOrganizationPrincipals", true],
    ],
    "cluster-blue": [
        ["eks.version", "1.33"],
        ["eks.endpointPublicAccess", true],
        ["eks.endpointPrivateAccess", true],
        ["bindingAdmissionPolicy", true],
    ],
    "cluster-green": [["bindingAdmissionPolicy", false]],
};

/** A stack config text (YAML) with `options` set under its structured key (`alb-fleet:network` or `alb-fleet:cluster`), by dotted path. */
export function withOptions(text: string, options: readonly [string, unknown][]): string {
    const doc = parseYaml(text) as { config: Record<string, Record<string, unknown>> };
    const key = Object.keys(doc.config).find(k => k === "alb-fleet:network" || k === "alb-fleet:cluster")!;
    for (const [dotted, value] of options) {
        const parts = dotted.split(".");
        let at = doc.config[key];
        for (const part of parts.slice(0, -1)) {
            at[part] ??= {};
            at = at[part] as Record<string, unknown>;
        }
        at[parts[parts.length - 1]] = copy(value);
    }
    return serialize(doc, "yaml");
}

/**
 * Listener rule precedence: the priority layout, specificity levels, and the
 * checks that overlapping rules are ordered as their specificity (or the
 * config's `shadows`) says. Where each rule goes is allocate.ts's work.
 * Pure: no Pulumi runtime.
 *
 * Layout (see docs/routing.md):
 * - 1..999: explicit `services.<name>.priority`; they precede every derived one.
 * - 1010..49800: derived rules, in blocks of ten. A service's rule takes the
 *   block's top priority (a multiple of ten); the nine below it belong to its
 *   preview rules, one per cluster slot. Blocks are banded by specificity
 *   level (most specific first); within a level a new service prefers the
 *   block a digest of its name picks.
 * - 49991..49999: preview rules of the default action (the `defaultService`),
 *   evaluated after every other rule.
 */
import { GlobOptions, globIntersection, literalCount, wildcardCount } from "./glob";
import { digest } from "./naming";

export const HostMatch: GlobOptions = { caseInsensitive: true };
export const PathMatch: GlobOptions = { caseInsensitive: false };

/** The numbers of the priority layout. */
export const PriorityLayout = {
    /** Explicit priorities: 1..explicitMax. */
    explicitMax: 999,
    /** A service's rule and its preview rules. */
    blockSize: 10,
    /** Priority of the first derived rule (block 0). */
    firstDerived: 1010,
    /** Blocks per specificity level: the places a level's derived rules take (a name digest picks the preferred one). */
    namePlaces: 122,
    /** Preview slots per block (1..9), one per cluster. */
    previewSlots: 9,
    /** Preview rules of the default action take this plus the cluster's slot. */
    defaultActionPreviewBase: 49990,
} as const;

/** The bands, most specific first. */
export const Bands = ["host and path", "path only", "host only"] as const;
export type Band = (typeof Bands)[number];

/**
 * Specificity buckets, most specific first: a value ranks in the first
 * bucket whose lower bound its literal character count reaches.
 */
export const Buckets = {
    /** Host and path band: path literal characters (major key). */
    hostAndPathPath: [15, 10, 6, 3, 1],
    /** Path-only band: path literal characters. */
    path: [26, 21, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    /** Host-only band: host literal characters. */
    host: [28, 24, 21, 19, 17, 15, 13, 11, 9, 0],
} as const;

/** Host ranks in the host and path band (minor key): an exact host, a wildcard host of 12+ literal characters, a shorter one. */
export const HostAndPathHostRanks = [
    "exact host",
    "wildcard host with 12+ literal characters",
    "wildcard host with up to 11 literal characters",
] as const;
const LongWildcardHost = 12;

const HostAndPathLevels = Buckets.hostAndPathPath.length * HostAndPathHostRanks.length;
/** Specificity levels in all (0 = most specific). */
export const LevelCount = HostAndPathLevels + Buckets.path.length + Buckets.host.length;

function bucket(count: number, bounds: readonly number[]): number {
    const i = bounds.findIndex(b => count >= b);
    return i < 0 ? bounds.length - 1 : i;
}

function hostRank(host: string): number {
    if (wildcardCount(host) === 0) {
        return 0;
    }
    return literalCount(host) >= LongWildcardHost ? 1 : 2;
}

/**
 * The specificity level of one host and path value pair (either may be
 * absent: it then matches everything). 0 is the most specific level.
 */
export function pairLevel(host: string | undefined, path: string | undefined): number {
    if (host !== undefined && path !== undefined) {
        return bucket(literalCount(path), Buckets.hostAndPathPath) * HostAndPathHostRanks.length + hostRank(host);
    }
    if (path !== undefined) {
        return HostAndPathLevels + bucket(literalCount(path), Buckets.path);
    }
    if (host !== undefined) {
        return HostAndPathLevels + Buckets.path.length + bucket(literalCount(host), Buckets.host);
    }
    return LevelCount;
}

/** Every host and path value pair of a rule (`undefined` for an absent condition). */
export function valuePairs(hosts: readonly string[], paths: readonly string[]): Array<[string | undefined, string | undefined]> {
    const hs = hosts.length > 0 ? hosts : [undefined];
    const ps = paths.length > 0 ? paths : [undefined];
    return hs.flatMap(h => ps.map((p): [string | undefined, string | undefined] => [h, p]));
}

/** A rule ranks by its least specific value pair: a rule with a catch-all value is a catch-all. */
export function ruleLevel(hosts: readonly string[], paths: readonly string[]): number {
    return Math.max(...valuePairs(hosts, paths).map(([h, p]) => pairLevel(h, p)));
}

/** The band and bucket of a level, in words (`host and path: path 10-14 literal characters, exact host`). */
export function describeLevel(level: number): string {
    const range = (bounds: readonly number[], i: number) => {
        const low = bounds[i];
        if (i === 0) {
            return `${low}+`;
        }
        const high = bounds[i - 1] - 1;
        return low === high ? `${low}` : i === bounds.length - 1 && low === 0 ? `up to ${high}` : `${low}-${high}`;
    };
    const chars = (bounds: readonly number[], i: number) => {
        const r = range(bounds, i);
        return `${r} literal character${r === "1" ? "" : "s"}`;
    };
    if (level < HostAndPathLevels) {
        const p = Math.floor(level / HostAndPathHostRanks.length);
        return `${Bands[0]}: path ${chars(Buckets.hostAndPathPath, p)}, ${HostAndPathHostRanks[level % HostAndPathHostRanks.length]}`;
    }
    if (level < HostAndPathLevels + Buckets.path.length) {
        return `${Bands[1]}: ${chars(Buckets.path, level - HostAndPathLevels)}`;
    }
    return `${Bands[2]}: ${chars(Buckets.host, level - HostAndPathLevels - Buckets.path.length)}`;
}

/** The block a service name's digest prefers within a level (0..namePlaces-1). */
export function namePlace(service: string): number {
    return parseInt(digest(["priority", service], 8), 16) % PriorityLayout.namePlaces;
}

/** The priority a new service's derived rule prefers: its level's blocks, the place its name picks. */
export function preferredPriority(hosts: readonly string[], paths: readonly string[], service: string): number {
    const block = ruleLevel(hosts, paths) * PriorityLayout.namePlaces + namePlace(service);
    return PriorityLayout.firstDerived + PriorityLayout.blockSize * block;
}

/** The preview slot (1..9) a new cluster prefers, picked by its key's digest. */
export function preferredPreviewSlot(clusterKey: string): number {
    return 1 + (parseInt(digest(["preview-slot", clusterKey], 8), 16) % PriorityLayout.previewSlots);
}

/** The priority of a cluster's preview rule for a service whose rule has `rulePriority`. */
export function previewPriority(rulePriority: number, slot: number): number {
    return rulePriority - PriorityLayout.blockSize + slot;
}

/** The priority of a cluster's preview rule of the listener's default action. */
export function defaultActionPreviewPriority(slot: number): number {
    return PriorityLayout.defaultActionPreviewBase + slot;
}

/** A request both rules match: host (absent: any host) and path (absent: any path). */
export interface Witness {
    host?: string;
    path?: string;
}

/** A request's host and path in words (`host shop.example.com, path /api/x`). */
export function describeWitness(w: Witness): string {
    return `${w.host !== undefined ? `host ${w.host}` : "any host"}, ${w.path !== undefined ? `path ${w.path}` : "any path"}`;
}

function intersect(a: string | undefined, b: string | undefined, options: GlobOptions): { value?: string } | undefined {
    if (a === undefined && b === undefined) {
        return {};
    }
    const value = globIntersection(a ?? (b as string), b ?? (a as string), options);
    return value === undefined ? undefined : { value };
}

/** A request matched by both value pairs, or undefined when none is. */
export function pairWitness(a: [string | undefined, string | undefined], b: [string | undefined, string | undefined]): Witness | undefined {
    const host = intersect(a[0], b[0], HostMatch);
    const path = host && intersect(a[1], b[1], PathMatch);
    return host && path ? { host: host.value, path: path.value } : undefined;
}

/** One rule as the precedence checks see it. */
export interface RankedRule {
    service: string;
    hosts: readonly string[];
    paths: readonly string[];
    priority: number;
    /** The priority was set explicitly (`services.<name>.priority`). */
    explicit: boolean;
    /** The services whose overlapping requests this rule may take although they are more specific (`services.<name>.shadows`). */
    shadows: readonly string[];
}

/**
 * Why two overlapping rules are not ordered right:
 * - `tie`: derived rules that rank at one specificity for a request both
 *   match; nothing says which one gets it.
 * - `shadowing`: the rule evaluated first is less specific than the other
 *   for a request both match, and its `shadows` does not list the other.
 * - `reversed`: the later rule's `shadows` lists the first one, yet the
 *   first one comes first and gets the requests.
 */
export type PrecedenceKind = "tie" | "shadowing" | "reversed";

/** Two overlapping rules in the wrong order, or in none. */
export interface PrecedenceConflict {
    kind: PrecedenceKind;
    /** The rule evaluated first. */
    first: string;
    second: string;
    witness: Witness;
    /** The levels of the value pairs that match the witness. */
    firstLevel: number;
    secondLevel: number;
}

/**
 * Pairs of rules that can match one request but are not in the order their
 * specificity calls for: for every host and path value pair of the first
 * that matches a request some value pair of the second also matches, the
 * first's pair must rank strictly more specific, unless the first rule's
 * `shadows` lists the second. Two explicit priorities, or an explicit and a
 * derived one, at equal specificity are the user's order; two derived rules
 * at equal specificity are a tie the config must break.
 */
export function precedenceConflicts(rules: readonly RankedRule[]): PrecedenceConflict[] {
    const ordered = rules
        .filter(r => r.hosts.length + r.paths.length > 0)
        .sort((a, b) => a.priority - b.priority || (a.service < b.service ? -1 : 1));
    const out: PrecedenceConflict[] = [];
    for (let i = 0; i < ordered.length; i++) {
        for (let j = i + 1; j < ordered.length; j++) {
            const conflict = pairConflict(ordered[i], ordered[j]);
            if (conflict !== undefined) {
                out.push(conflict);
            }
        }
    }
    return out;
}

/** A request both rules match with the levels of the matching value pairs, less specific first first, then ties. */
export function overlaps(
    first: RankedRule | { hosts: readonly string[]; paths: readonly string[] },
    second: { hosts: readonly string[]; paths: readonly string[] },
): Array<{ witness: Witness; firstLevel: number; secondLevel: number }> {
    const out: Array<{ witness: Witness; firstLevel: number; secondLevel: number }> = [];
    for (const a of valuePairs(first.hosts, first.paths)) {
        for (const b of valuePairs(second.hosts, second.paths)) {
            const witness = pairWitness(a, b);
            if (witness !== undefined) {
                out.push({ witness, firstLevel: pairLevel(a[0], a[1]), secondLevel: pairLevel(b[0], b[1]) });
            }
        }
    }
    return out;
}

function pairConflict(first: RankedRule, second: RankedRule): PrecedenceConflict | undefined {
    if (first.shadows.includes(second.service)) {
        return undefined;
    }
    const found = overlaps(first, second);
    const conflict = (kind: PrecedenceKind, o: (typeof found)[number]) => ({ kind, first: first.service, second: second.service, ...o });
    const worse = found.find(o => o.firstLevel > o.secondLevel);
    if (second.shadows.includes(first.service) && found.length > 0) {
        return conflict("reversed", worse ?? found[0]);
    }
    if (worse !== undefined) {
        return conflict("shadowing", worse);
    }
    const tie = found.find(o => o.firstLevel === o.secondLevel);
    return tie !== undefined && !first.explicit && !second.explicit ? conflict("tie", tie) : undefined;
}

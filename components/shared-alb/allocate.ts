/**
 * Listener rule priorities and preview slots, allocated from the deployed
 * state. A rule that stays keeps the priority it was deployed with, and a
 * cluster that stays keeps its preview slot; what is new takes a free place
 * that no rule of the deployed state holds (the engine deletes removed rules
 * only after every create and update, so a priority they free cannot be
 * taken in the same update), preferring the place its name's digest picks,
 * so that a plan without the deployed state still mostly agrees with one
 * with it. Pure: no Pulumi runtime.
 *
 * Layout (see docs/routing.md): explicit priorities 1..999; derived rules
 * 1010..49800 in blocks of ten, banded by specificity level, the rule on the
 * block's multiple of ten and its preview rules on the nine below; preview
 * rules of the default action 49991..49999.
 */
import { Problems } from "../internal/errors";
import { join } from "../internal/read";
import { own } from "../internal/data";
import {
    LevelCount,
    PriorityLayout,
    Witness,
    describeLevel,
    describeWitness,
    namePlace,
    overlaps,
    preferredPreviewSlot,
    ruleLevel,
} from "./precedence";

/**
 * The rule priorities and preview slots a network stack was deployed with:
 * its outputs record them (`services.<name>.priority`,
 * `clusters.<key>.previewSlot`).
 */
export interface DeployedAllocation {
    /** Rule priority by service name. */
    priorities: Record<string, number>;
    /** Preview slot by cluster key. */
    previewSlots: Record<string, number>;
}

/** A cluster whose preview slot is to be allocated. */
export interface SlotRequest {
    key: string;
    /** `clusters.<key>.previewSlot`, when given. */
    explicit?: number;
    /** The services it runs: clusters that share one need different slots. */
    services: readonly string[];
}

const AllSlots = Array.from({ length: PriorityLayout.previewSlots }, (_, i) => i + 1);

/**
 * Each cluster's preview slot: the given one; else the deployed one, unless
 * a given slot of a cluster that shares a service now takes it; else a free
 * one: its digest's pick if free, else the lowest. Free means no cluster
 * that shares a service has it and no deployed cluster holds it (a removed
 * cluster's preview rules keep their priorities until the update deletes
 * them). Reports given slots that clash and clusters no slot is left for.
 */
export function allocatePreviewSlots(
    p: Problems,
    clusters: readonly SlotRequest[],
    deployed: DeployedAllocation | undefined,
): Record<string, number> {
    const sorted = [...clusters].sort((a, b) => (a.key < b.key ? -1 : 1));
    const slots: Record<string, number> = {};
    const shares = (a: SlotRequest, b: SlotRequest) => a.key !== b.key && a.services.some(s => b.services.includes(s));
    const clashing = (c: SlotRequest, slot: number) => sorted.find(o => own(slots, o.key) === slot && shares(c, o));
    for (const c of sorted.filter(x => x.explicit !== undefined)) {
        const other = clashing(c, c.explicit!);
        if (other !== undefined) {
            const free = AllSlots.filter(s => clashing(c, s) === undefined);
            p.add(
                join(join("clusters", c.key), "previewSlot"),
                c.explicit,
                `clusters.${other.key} has preview slot ${c.explicit} too and both run ${c.services.filter(s => other.services.includes(s)).join(", ")}: ` +
                    `their preview rules would take the same priorities; set clusters.${c.key}.previewSlot to a free slot (${free.join(", ") || "none left: narrow clusters.<key>.services"}), or leave it out`,
            );
        }
        slots[c.key] = c.explicit!;
    }
    const held = new Set(Object.values(deployed?.previewSlots ?? {}));
    const toPlace: SlotRequest[] = [];
    for (const c of sorted.filter(x => x.explicit === undefined)) {
        const was = own(deployed?.previewSlots, c.key);
        if (was !== undefined && clashing(c, was) === undefined) {
            slots[c.key] = was;
        } else {
            toPlace.push(c);
        }
    }
    for (const c of toPlace) {
        const free = (s: number) => !held.has(s) && clashing(c, s) === undefined;
        const preferred = preferredPreviewSlot(c.key);
        const slot = free(preferred) ? preferred : AllSlots.find(free);
        if (slot === undefined) {
            p.add(
                join(join("clusters", c.key), "previewSlot"),
                undefined,
                `no preview slot is free for clusters.${c.key}: slots ${describeHolders(c, sorted, slots, deployed)}; ` +
                    "a removed cluster's slot is free once the update that removes it is done: add this cluster in the next update, or narrow clusters.<key>.services",
            );
            continue;
        }
        slots[c.key] = slot;
    }
    return slots;
}

/** Who holds each slot, in words, for the message when none is free. */
function describeHolders(
    c: SlotRequest,
    clusters: readonly SlotRequest[],
    slots: Record<string, number>,
    deployed: DeployedAllocation | undefined,
): string {
    return AllSlots.map(s => {
        const current = clusters.filter(o => o.key !== c.key && own(slots, o.key) === s).map(o => o.key);
        const removed = Object.entries(deployed?.previewSlots ?? {})
            .filter(([k, v]) => v === s && !clusters.some(o => o.key === k))
            .map(([k]) => `${k} (removed)`);
        return `${s}: ${[...current, ...removed].join(", ") || "-"}`;
    }).join("; ");
}

/** A service whose rule priority is to be allocated. */
export interface PriorityRequest {
    name: string;
    hosts: readonly string[];
    paths: readonly string[];
    /** `services.<name>.priority`, when given. */
    explicit?: number;
    /** `services.<name>.shadows`. */
    shadows: readonly string[];
}

/** An order two overlapping derived rules must keep: `first` before `second`. */
export interface OrderEdge {
    first: string;
    second: string;
    /** A request both match. */
    witness: Witness;
}

/**
 * The orders overlapping derived rules must keep: the one `shadows` names
 * second comes second; otherwise the one whose matching values rank more
 * specific for every request both match comes first. Pairs that rank alike
 * for some request, or one way for one request and the other way for
 * another, get no order (precedence.ts reports them).
 */
export function orderEdges(services: readonly PriorityRequest[]): OrderEdge[] {
    const derived = services.filter(s => s.explicit === undefined);
    const edges: OrderEdge[] = [];
    for (const [i, a] of derived.entries()) {
        for (const b of derived.slice(i + 1)) {
            const found = overlaps(a, b);
            if (found.length === 0 || (a.shadows.includes(b.name) && b.shadows.includes(a.name))) {
                continue;
            }
            const signs = new Set(found.map(o => Math.sign(o.firstLevel - o.secondLevel)));
            if (a.shadows.includes(b.name) || (!b.shadows.includes(a.name) && signs.size === 1 && signs.has(-1))) {
                edges.push({ first: a.name, second: b.name, witness: found[0].witness });
            } else if (b.shadows.includes(a.name) || (signs.size === 1 && signs.has(1))) {
                edges.push({ first: b.name, second: a.name, witness: found[0].witness });
            }
        }
    }
    return edges;
}

/**
 * The level whose band each derived rule takes: its own specificity level,
 * unless it must precede a rule of an earlier level (it is more specific
 * than that rule for every request both match although another of its
 * values ranks later, or `shadows` says so): then that rule's level, where
 * rule's order puts it first. Gives each derived rule's level.
 */
function placementLevels(services: readonly PriorityRequest[], edges: readonly OrderEdge[]): Map<string, number> {
    const levels = new Map(services.filter(s => s.explicit === undefined).map(s => [s.name, ruleLevel(s.hosts, s.paths)]));
    // Levels only ever move earlier, each at most LevelCount times; a cycle of orders (no order exists) stops there too.
    for (let round = 0; round <= levels.size * LevelCount; round++) {
        const late = edges.find(e => levels.get(e.first)! > levels.get(e.second)!);
        if (late === undefined) {
            break;
        }
        levels.set(late.first, levels.get(late.second)!);
    }
    return levels;
}

/** Derived blocks: 0 (priority 1010) up to the last block of the last level. */
const LastBlock = LevelCount * PriorityLayout.namePlaces - 1;

const priorityOf = (block: number) => PriorityLayout.firstDerived + PriorityLayout.blockSize * block;
const blockOf = (priority: number) => (priority - PriorityLayout.firstDerived) / PriorityLayout.blockSize;

/**
 * Each service's rule priority: the given one; else the deployed one while
 * it keeps the order of every overlapping rule (`orderEdges`); else a free
 * block between the blocks of the rules it must follow and precede, the
 * nearest to the block it prefers: in the band of the level its rule takes
 * (its specificity level, or an earlier one it must precede a rule of: see
 * `placementLevels`), the place its name's digest picks. A block is free
 * when no rule of this plan and no rule of the deployed state holds it.
 * Reports a service no free block is left for.
 */
export function allocatePriorities(
    p: Problems,
    services: readonly PriorityRequest[],
    deployed: DeployedAllocation | undefined,
): Record<string, number> {
    const priorities: Record<string, number> = {};
    for (const s of services.filter(x => x.explicit !== undefined)) {
        priorities[s.name] = s.explicit!;
    }
    const derived = services.filter(x => x.explicit === undefined);
    const edges = orderEdges(services);
    const cyclic = reportCycles(p, derived, edges);
    const blocks = keptBlocks(derived, edges, deployed);
    const held = new Set(
        Object.values(deployed?.priorities ?? {})
            .filter(v => v >= PriorityLayout.firstDerived)
            .map(blockOf),
    );
    const levels = placementLevels(services, edges);
    for (const name of topologicalOrder(
        derived.filter(x => !blocks.has(x.name) && !cyclic.has(x.name)).map(x => x.name),
        edges,
    )) {
        const block = freeBlock(name, edges, blocks, held, levels.get(name)! * PriorityLayout.namePlaces + namePlace(name));
        if (block === undefined) {
            const s = derived.find(x => x.name === name)!;
            p.add(
                join(join("services", name), "hosts"),
                { hosts: s.hosts, paths: s.paths },
                `no free priority is left for services.${name} between the rules it must follow and precede (${describeLevel(levels.get(name)!)}); ` +
                    `set services.${name}.priority (1..${PriorityLayout.explicitMax}, lower wins)`,
            );
            continue;
        }
        blocks.set(name, block);
    }
    for (const [name, block] of blocks) {
        priorities[name] = priorityOf(block);
    }
    return priorities;
}

/**
 * Rules whose orders form a cycle (each must precede the next, for a request
 * they both match, and the last the first): no priorities can keep them all.
 * Reports each cycle once, with the requests, and gives the rules on one.
 */
function reportCycles(p: Problems, derived: readonly PriorityRequest[], edges: readonly OrderEdge[]): Set<string> {
    const onCycle = new Set<string>();
    for (const s of derived) {
        if (onCycle.has(s.name)) {
            continue;
        }
        const cycle = cycleThrough(s.name, edges);
        if (cycle === undefined) {
            continue;
        }
        cycle.forEach(e => onCycle.add(e.first));
        const steps = cycle.map(e => `services.${e.first} before services.${e.second} (more specific for ${describeWitness(e.witness)})`);
        const first = derived.find(x => x.name === cycle[0].first)!;
        p.add(
            join("services", first.name),
            { hosts: first.hosts, paths: first.paths },
            `services ${cycle.map(e => e.first).join(", ")} cannot be ordered: each must come before the next for a request both match, and the last before the first: ` +
                `${steps.join(", ")}; let one of them take the other's requests (add ${cycle[0].first} to services.${cycle[0].second}.shadows), ` +
                `or give one a priority (1..${PriorityLayout.explicitMax}, lower wins)`,
        );
    }
    return onCycle;
}

/** The edges of a cycle back to `start`, when one exists (the shortest by breadth-first search). */
function cycleThrough(start: string, edges: readonly OrderEdge[]): OrderEdge[] | undefined {
    const via = new Map<string, OrderEdge>();
    const queue = [start];
    while (queue.length > 0) {
        const at = queue.shift()!;
        for (const e of edges.filter(x => x.first === at)) {
            if (e.second === start) {
                const path = [e];
                for (let n = at; n !== start; n = via.get(n)!.first) {
                    path.unshift(via.get(n)!);
                }
                return path;
            }
            if (!via.has(e.second)) {
                via.set(e.second, e);
                queue.push(e.second);
            }
        }
    }
    return undefined;
}

/**
 * The deployed blocks that stay: derived, and in the order the edges call
 * for between them, directly or through other rules (the rule that must
 * come first moves).
 */
function keptBlocks(
    derived: readonly PriorityRequest[],
    edges: readonly OrderEdge[],
    deployed: DeployedAllocation | undefined,
): Map<string, number> {
    const blocks = new Map<string, number>();
    for (const s of derived) {
        const was = own(deployed?.priorities, s.name);
        const block = was === undefined ? NaN : blockOf(was);
        if (Number.isInteger(block) && block >= 0 && block <= LastBlock && ![...blocks.values()].includes(block)) {
            blocks.set(s.name, block);
        }
    }
    const after = new Map(derived.map(s => [s.name, descendants(s.name, edges)]));
    for (let broken = true; broken;) {
        const first = [...blocks.keys()].sort().find(k => after.get(k)!.some(m => blocks.has(m) && blocks.get(m)! <= blocks.get(k)!));
        broken = first !== undefined;
        if (first !== undefined) {
            blocks.delete(first);
        }
    }
    return blocks;
}

/**
 * A free block for `name` after every placed rule it must follow and before
 * every placed rule it must precede, leaving room for the rules still to be
 * placed after it; the nearest to `preferred`.
 */
function freeBlock(
    name: string,
    edges: readonly OrderEdge[],
    blocks: ReadonlyMap<string, number>,
    held: ReadonlySet<number>,
    preferred: number,
): number | undefined {
    const lo = Math.max(-1, ...edges.filter(e => e.second === name && blocks.has(e.first)).map(e => blocks.get(e.first)!));
    const hi = Math.min(LastBlock + 1, ...edges.filter(e => e.first === name && blocks.has(e.second)).map(e => blocks.get(e.second)!));
    const taken = new Set([...held, ...blocks.values()]);
    const free: number[] = [];
    for (let b = lo + 1; b < hi; b++) {
        if (!taken.has(b)) {
            free.push(b);
        }
    }
    const followers = descendants(name, edges).filter(d => !blocks.has(d)).length;
    const usable = free.slice(0, Math.max(0, free.length - followers));
    return usable.sort((a, b) => Math.abs(a - preferred) - Math.abs(b - preferred) || a - b)[0];
}

/** Names in an order that keeps every edge (ties by name); names on a cycle come last, by name. */
function topologicalOrder(names: readonly string[], edges: readonly OrderEdge[]): string[] {
    const left = new Set(names);
    const out: string[] = [];
    for (;;) {
        const ready = [...left].filter(n => !edges.some(e => e.second === n && left.has(e.first))).sort();
        if (ready.length === 0) {
            break;
        }
        out.push(ready[0]);
        left.delete(ready[0]);
    }
    return [...out, ...[...left].sort()];
}

/** Every name that must follow `name`, directly or not. */
function descendants(name: string, edges: readonly OrderEdge[]): string[] {
    const seen = new Set<string>();
    const visit = (n: string) => {
        for (const e of edges.filter(x => x.first === n && !seen.has(x.second))) {
            seen.add(e.second);
            visit(e.second);
        }
    };
    visit(name);
    seen.delete(name);
    return [...seen];
}

/**
 * The checks and numbers that depend on the whole set of services: rule and
 * preview rule priorities (allocated from the deployed state, allocate.ts),
 * `shadows`, the order of overlapping rules, and the rules quota. Runs after
 * every single value was found good. Pure: no Pulumi runtime.
 */
import { Problems } from "../internal/errors";
import { join } from "../internal/read";
import { DeployedAllocation, allocatePreviewSlots, allocatePriorities } from "./allocate";
import {
    PriorityLayout,
    defaultActionPreviewPriority,
    describeLevel,
    describeWitness,
    overlaps,
    precedenceConflicts,
    preferredPreviewSlot,
    previewPriority,
} from "./precedence";
import { Limits } from "./limits";
import type { FleetPlan, PreviewModel, ServicePlan } from "./model";
import type { PreviewRead } from "./validate";
import { hasConditions, hasServiceRule } from "./rules";
import { own } from "../internal/data";

const RuleQuota = Limits.rulesPerListener;
const ConditionValuesPerRule = Limits.conditionValuesPerRule;

/**
 * Sets every service's rule priority and, with preview routes on, every
 * cluster's preview slot and the preview rules' priorities, keeping what
 * `deployed` records (see allocate.ts); reports `shadows` that acknowledge
 * nothing, overlapping rules in the wrong order or in none, and the quotas.
 * Returns the preview model (undefined when off).
 */
export function assignPriorities(
    p: Problems,
    model: FleetPlan,
    previewRead: PreviewRead | undefined,
    deployed: DeployedAllocation | undefined,
): PreviewModel | undefined {
    const services = Object.values(model.services);
    const ruled = services.filter(hasConditions);
    checkShadows(p, model);
    const priorities = allocatePriorities(
        p,
        ruled.map(s => ({
            name: s.name,
            hosts: s.hosts,
            paths: s.paths,
            explicit: s.explicitPriority ? s.priority : undefined,
            shadows: s.shadows,
        })),
        deployed,
    );
    for (const s of ruled) {
        s.priority = own(priorities, s.name) ?? 0;
    }
    if (ruled.some(s => s.priority === 0)) {
        return undefined;
    }
    checkPrecedence(p, ruled);
    const clusters = Object.values(model.clusters);
    if (previewRead === undefined) {
        for (const c of clusters) {
            c.previewSlot = c.previewSlotGiven ? c.previewSlot : preferredPreviewSlot(c.key);
        }
    } else {
        const slots = allocatePreviewSlots(
            p,
            clusters.map(c => ({
                key: c.key,
                explicit: c.previewSlotGiven ? c.previewSlot : undefined,
                services: c.services,
            })),
            deployed,
        );
        for (const c of clusters) {
            c.previewSlot = own(slots, c.key) ?? 0;
        }
    }
    const preview = previewRead === undefined || clusters.some(c => c.previewSlot === 0) ? undefined : previewRules(p, model, previewRead);
    checkUniquePriorities(p, model);
    checkRuleQuota(p, model, preview);
    return preview;
}

/** The preview model: each service's preview rules, and the default action's, at their clusters' slots. */
function previewRules(p: Problems, model: FleetPlan, previewRead: PreviewRead): PreviewModel {
    const preview: PreviewModel = { ...previewRead, defaultActionPriorities: {} };
    const previewed = (s: ServicePlan) => s.clusters.filter(c => !model.clusters[c].retiring);
    for (const s of Object.values(model.services).filter(hasConditions)) {
        s.previewPriorities = Object.fromEntries(previewed(s).map(c => [c, previewPriority(s.priority, model.clusters[c].previewSlot)]));
        checkPreviewConditionValues(p, s, previewed(s).length > 0, previewRead.sourceCidrs.length);
    }
    const fallback = model.defaultService !== undefined ? own(model.services, model.defaultService) : undefined;
    if (fallback !== undefined) {
        preview.defaultActionPriorities = Object.fromEntries(
            previewed(fallback).map(c => [c, defaultActionPreviewPriority(model.clusters[c].previewSlot)]),
        );
    }
    return preview;
}

/** Service and preview rules together within the ALB's rules quota. */
function checkRuleQuota(p: Problems, model: FleetPlan, preview: PreviewModel | undefined): void {
    const services = Object.values(model.services);
    const rules = services.filter(hasServiceRule).length;
    const previews =
        services.reduce((n, s) => n + Object.keys(s.previewPriorities).length, 0) +
        Object.keys(preview?.defaultActionPriorities ?? {}).length;
    p.check(
        rules + previews <= RuleQuota,
        "services",
        `${rules + previews} listener rules`,
        `expected at most ${RuleQuota} listener rules on the ALB (its quota): ${rules} service rule${rules === 1 ? "" : "s"} and ${previews} preview rule${previews === 1 ? "" : "s"}; ` +
            "narrow clusters.<key>.services or turn preview routes off",
    );
}

/**
 * A preview rule evaluates the service's hosts and paths, the header and
 * the source CIDRs: at most 5 condition values in all, as any ALB rule.
 */
function checkPreviewConditionValues(p: Problems, s: ServicePlan, previewed: boolean, sourceCidrs: number): void {
    const room = ConditionValuesPerRule - 1 - sourceCidrs;
    const adds = sourceCidrs === 0 ? "the header" : `the header and the ${sourceCidrs} preview.sourceCidrs`;
    p.check(
        !previewed || s.hosts.length + s.paths.length <= room,
        join(join("services", s.name), "hosts"),
        { hosts: s.hosts, paths: s.paths },
        `expected at most ${room} hosts and paths together with preview routes on: a preview rule adds ${adds} to them, ` +
            `and an ALB rule evaluates at most ${ConditionValuesPerRule} condition values` +
            (sourceCidrs > 0 ? "; give fewer hosts or paths, or fewer preview.sourceCidrs" : ""),
    );
}

/**
 * `services.<name>.shadows`: each entry must name a service whose rule
 * overlaps this one's (the defaultService without hosts or paths has no
 * rule), and two services may not list each other.
 */
function checkShadows(p: Problems, model: FleetPlan): void {
    for (const s of Object.values(model.services)) {
        s.shadows.forEach((name, i) => {
            const at = join(join(join("services", s.name), "shadows"), i);
            const other = model.services[name];
            if (!hasConditions(s) || !hasConditions(other)) {
                const ruleless = hasConditions(s) ? other.name : s.name;
                p.add(
                    at,
                    name,
                    `services.${ruleless} has no hosts or paths, so no rule (it answers only what no rule matches): there is nothing to order; remove it`,
                );
            } else if (overlaps(s, other).length === 0) {
                p.add(
                    at,
                    name,
                    `services.${s.name} and services.${name} match no common request, so neither can shadow the other; remove it`,
                );
            } else if (other.shadows.includes(s.name)) {
                p.check(
                    s.name > name,
                    at,
                    name,
                    `services.${name}.shadows lists ${s.name} too: only one of them can get the requests both match; keep one of the two`,
                );
            }
        });
    }
}

/** Overlapping rules must be ordered by specificity, or as `shadows` acknowledges; a tie of derived rules must be broken. */
function checkPrecedence(p: Problems, services: ServicePlan[]): void {
    const ranked = services.map(s => ({
        service: s.name,
        hosts: s.hosts,
        paths: s.paths,
        priority: s.priority,
        explicit: s.explicitPriority,
        shadows: s.shadows,
    }));
    const byName = new Map(services.map(s => [s.name, s]));
    for (const c of precedenceConflicts(ranked)) {
        const first = byName.get(c.first)!;
        const second = byName.get(c.second)!;
        const request = `a request both match (${describeWitness(c.witness)})`;
        const ranks =
            c.firstLevel === c.secondLevel
                ? `both rank as ${describeLevel(c.firstLevel)}`
                : `services.${c.first}'s matching values rank as ${describeLevel(c.firstLevel)}, services.${c.second}'s as ${describeLevel(c.secondLevel)}`;
        const order = `services.${c.first} (priority ${first.priority}) precedes services.${c.second} (priority ${second.priority})`;
        switch (c.kind) {
            case "tie":
                p.add(
                    join("services", c.second),
                    { hosts: second.hosts, paths: second.paths },
                    `services.${c.first} and services.${c.second} both match a request (${describeWitness(c.witness)}) at the same specificity (${ranks}): nothing says which one gets it; ` +
                        `add ${c.second} to services.${c.first}.shadows for ${c.first} to get it (or ${c.first} to services.${c.second}.shadows), ` +
                        `or give one a priority (1..${PriorityLayout.explicitMax}, lower wins)`,
                );
                break;
            case "shadowing":
                p.add(
                    shadowingPath(first, second),
                    shadowingPath(first, second).endsWith("priority") ? first.priority : { hosts: second.hosts, paths: second.paths },
                    `${order} but is less specific for ${request} (${ranks}): services.${c.second} would never get it; ${shadowingFix(first, second)}`,
                );
                break;
            case "reversed":
                // Derived rules keep every shadows order (allocate.ts): only an explicit priority puts the shadowed one first.
                p.add(
                    join(join("services", c.second), "shadows"),
                    second.shadows,
                    `lists ${c.first}, but ${order} and gets ${request}; give services.${c.second} a priority below ${first.priority}, or remove ${c.first} from it`,
                );
                break;
        }
    }
}

/** Where a less specific rule ordered first is reported: its explicit priority, else the later rule. */
function shadowingPath(first: ServicePlan, second: ServicePlan): string {
    return first.explicitPriority ? join(join("services", first.name), "priority") : join("services", second.name);
}

/** How to undo (or acknowledge) a less specific rule ordered first. */
function shadowingFix(first: ServicePlan, second: ServicePlan): string {
    const acknowledge = `add ${second.name} to services.${first.name}.shadows if it is meant to`;
    if (first.explicitPriority && second.explicitPriority) {
        return `give services.${second.name} a priority below ${first.priority}, or ${acknowledge}`;
    }
    if (first.explicitPriority) {
        return `leave services.${first.name}.priority out (derived priorities follow specificity), give services.${second.name} a priority below ${first.priority}, or ${acknowledge}`;
    }
    return `its values rank on both sides of services.${second.name}'s: split it into services whose values rank alike, or ${acknowledge}`;
}

/** No two rules, preview rules included, may share a priority (explicit priorities take the nine below them for preview rules). */
function checkUniquePriorities(p: Problems, model: FleetPlan): void {
    const owners = new Map<number, string>();
    const claim = (priority: number, owner: string, path: string, value: number) => {
        const other = owners.get(priority);
        if (priority < 1) {
            p.add(
                path,
                value,
                `${owner} would have priority ${priority}: with preview routes an explicit priority takes the ${PriorityLayout.previewSlots} below it for preview rules; use ${PriorityLayout.blockSize}..${PriorityLayout.explicitMax}`,
            );
        } else if (other !== undefined) {
            p.add(
                path,
                value,
                `${owner} would have priority ${priority}, which ${other} has: with preview routes an explicit priority takes the ${PriorityLayout.previewSlots} below it for preview rules; space explicit priorities ${PriorityLayout.blockSize} apart`,
            );
        }
        owners.set(priority, owner);
    };
    const services = Object.values(model.services)
        .filter(hasConditions)
        .sort((a, b) => a.priority - b.priority);
    for (const s of services) {
        owners.set(s.priority, `services.${s.name}`);
    }
    // Derived blocks cannot collide unless two rules or two slots do, which is reported already.
    for (const s of services.filter(x => x.explicitPriority)) {
        for (const [cluster, priority] of Object.entries(s.previewPriorities)) {
            claim(
                priority,
                `the preview rule of services.${s.name} for cluster ${cluster}`,
                join(join("services", s.name), "priority"),
                s.priority,
            );
        }
    }
}

/**
 * Every target group of a cluster that stays must be attached to the ALB
 * (named in some rule's or listener's forward action), or it is not
 * health-checked and its pods never pass their readiness gates. A service
 * whose clusters all have weight 0 has no rule of its own (it would capture
 * requests that went elsewhere, and how the ALB treats a forward whose
 * weights are all 0 is not documented: the API reference gives each weight
 * 0..999, and nothing for their sum). Its target groups are then attached
 * only by the clusters' preview rules: without preview routes such a config
 * is refused. Retiring clusters are leaving and need no attachment.
 */
export function checkAttachment(p: Problems, model: FleetPlan): void {
    if (model.preview !== undefined) {
        return;
    }
    for (const s of Object.values(model.services)) {
        const staying = s.clusters.filter(c => !model.clusters[c].retiring);
        if (staying.length === 0 || s.clusters.some(c => s.weights[c] > 0)) {
            continue;
        }
        p.add(
            join(join("services", s.name), "weights"),
            s.weights,
            `every cluster that runs ${s.name} has weight 0 and preview routes are off: it has no rule of its own while no cluster gives it weight, ` +
                `so its target groups (${staying.join(", ")}) are in no forward action, not health-checked, and pods behind readiness gates never become Ready; ` +
                "give one cluster a weight above 0 (before any cluster has healthy targets the ALB answers 503 either way), " +
                "or turn preview routes on (preview, with sourceCidrs or a token on an internet-facing ALB): each cluster's preview rule keeps its target group attached",
        );
    }
}

/**
 * The checks and numbers that depend on the whole set of services: rule and
 * preview rule priorities, their collisions, the order of overlapping rules,
 * and the rules quota. Runs after every single value was found good. Pure:
 * no Pulumi runtime.
 */
import { Problems } from "../internal/errors";
import { join } from "../internal/read";
import {
    PriorityLayout, defaultActionPreviewPriority, derivedPriority, describeLevel, describeWitness, precedenceConflicts,
    previewPriority,
} from "./precedence";
import { Limits } from "./limits";
import type { FleetModel, PreviewModel, ServiceModel } from "./model";
import type { PreviewRead } from "./validate";
import { own } from "../internal/data";

const RuleQuota = Limits.rulesPerListener;
const ConditionValuesPerRule = Limits.conditionValuesPerRule;

const hasRule = (s: ServiceModel) => s.hosts.length + s.paths.length > 0;

/**
 * Sets every service's rule priority (explicit, or derived from its own
 * conditions and name) and, with preview routes on, its preview rules'
 * priorities; reports collisions, overlapping rules the derived order cannot
 * rank, and the quotas. Returns the preview model (undefined when off).
 */
export function assignPriorities(p: Problems, model: FleetModel, previewRead: PreviewRead | undefined): PreviewModel | undefined {
    const services = Object.values(model.services);
    const derivedOwners = new Map<number, string>();
    for (const s of services.filter(x => hasRule(x) && !x.explicitPriority)) {
        s.priority = derivedPriority(s.hosts, s.paths, s.name);
        const other = derivedOwners.get(s.priority);
        p.check(other === undefined, join(join("services", s.name), "priority"), s.priority,
            `derived, and services.${other} derives the same priority (both rank as ${describeLevel(levelOf(s.priority))} `
            + `and their names' digests pick the same place); set priority (1..${PriorityLayout.explicitMax}, lower wins) on services.${other} or services.${s.name}, or rename one`);
        derivedOwners.set(s.priority, s.name);
    }
    checkPrecedence(p, services);
    let preview: PreviewModel | undefined;
    if (previewRead !== undefined) {
        preview = { ...previewRead, defaultActionPriorities: {} };
        checkPreviewSlots(p, model);
        const previewed = (s: ServiceModel) => s.clusters.filter(c => !model.clusters[c].retiring);
        for (const s of services.filter(hasRule)) {
            s.previewPriorities = Object.fromEntries(previewed(s).map(c => [c, previewPriority(s.priority, model.clusters[c].previewSlot)]));
            checkPreviewConditionValues(p, s, previewed(s).length > 0, previewRead.sourceCidrs.length);
        }
        const fallback = model.defaultService !== undefined ? own(model.services, model.defaultService) : undefined;
        if (fallback !== undefined) {
            preview.defaultActionPriorities = Object.fromEntries(previewed(fallback).map(c => [c, defaultActionPreviewPriority(model.clusters[c].previewSlot)]));
        }
    }
    checkUniquePriorities(p, model);
    const rules = services.filter(hasRule).length;
    const previews = services.reduce((n, s) => n + Object.keys(s.previewPriorities).length, 0)
        + Object.keys(preview?.defaultActionPriorities ?? {}).length;
    p.check(rules + previews <= RuleQuota, "services", `${rules + previews} listener rules`,
        `expected at most ${RuleQuota} listener rules on the ALB (its quota): ${rules} service rule${rules === 1 ? "" : "s"} and ${previews} preview rule${previews === 1 ? "" : "s"}; `
        + "narrow clusters.<key>.services or turn preview routes off");
    return preview;
}

/**
 * A preview rule evaluates the service's hosts and paths, the header and
 * the source CIDRs: at most 5 condition values in all, as any ALB rule.
 */
function checkPreviewConditionValues(p: Problems, s: ServiceModel, previewed: boolean, sourceCidrs: number): void {
    const room = ConditionValuesPerRule - 1 - sourceCidrs;
    const adds = sourceCidrs === 0 ? "the header" : `the header and the ${sourceCidrs} preview.sourceCidrs`;
    p.check(!previewed || s.hosts.length + s.paths.length <= room, join(join("services", s.name), "hosts"), { hosts: s.hosts, paths: s.paths },
        `expected at most ${room} hosts and paths together with preview routes on: a preview rule adds ${adds} to them, `
        + `and an ALB rule evaluates at most ${ConditionValuesPerRule} condition values`
        + (sourceCidrs > 0 ? "; give fewer hosts or paths, or fewer preview.sourceCidrs" : ""));
}

function levelOf(priority: number): number {
    return Math.floor((priority - PriorityLayout.firstDerived) / PriorityLayout.blockSize / PriorityLayout.namePlaces);
}

/** Derived rules that can match one request must be ranked by specificity; explicit ones are the user's order. */
function checkPrecedence(p: Problems, services: ServiceModel[]): void {
    const ranked = services.filter(hasRule).map(s => ({ service: s.name, hosts: s.hosts, paths: s.paths, priority: s.priority, explicit: s.explicitPriority }));
    for (const c of precedenceConflicts(ranked)) {
        const second = services.find(s => s.name === c.second)!;
        const levels = c.firstLevel === c.secondLevel
            ? `both rank as ${describeLevel(c.firstLevel)}`
            : `services.${c.first}'s matching values rank as ${describeLevel(c.firstLevel)}, services.${c.second}'s as ${describeLevel(c.secondLevel)}`;
        p.add(join("services", c.second), { hosts: second.hosts, paths: second.paths },
            `services.${c.first} and services.${c.second} both match a request (${describeWitness(c.witness)}) but their derived priorities cannot order them by specificity (${levels}); `
            + `set priority (1..${PriorityLayout.explicitMax}, lower wins) on the one that must win`);
    }
}

/** Clusters that run a common service need different preview slots: their preview rules share the service's block (retiring ones have none). */
function checkPreviewSlots(p: Problems, model: FleetModel): void {
    const clusters = Object.values(model.clusters).filter(c => !c.retiring).sort((a, b) => (a.key < b.key ? -1 : 1));
    const reported = new Set<string>();
    for (const [i, a] of clusters.entries()) {
        for (const b of clusters.slice(i + 1)) {
            const shared = a.services.filter(s => b.services.includes(s));
            if (a.previewSlot !== b.previewSlot || shared.length === 0 || reported.has(b.key)) {
                continue;
            }
            reported.add(b.key);
            const taken = new Set(clusters.filter(c => c.key !== b.key && c.services.some(s => b.services.includes(s))).map(c => c.previewSlot));
            const free = Array.from({ length: PriorityLayout.previewSlots }, (_, k) => k + 1).filter(k => !taken.has(k));
            p.add(join(join("clusters", b.key), "previewSlot"), b.previewSlot,
                `clusters.${a.key} has preview slot ${a.previewSlot} too and both run ${shared.join(", ")}: their preview rules would take the same priorities; `
                + `set clusters.${b.key}.previewSlot to a free slot (${free.join(", ") || "none left: narrow clusters.<key>.services"})`);
        }
    }
}

/** No two rules, preview rules included, may share a priority (explicit priorities take the nine below them for preview rules). */
function checkUniquePriorities(p: Problems, model: FleetModel): void {
    const owners = new Map<number, string>();
    const claim = (priority: number, owner: string, path: string, value: number) => {
        const other = owners.get(priority);
        if (priority < 1) {
            p.add(path, value, `${owner} would have priority ${priority}: with preview routes an explicit priority takes the ${PriorityLayout.previewSlots} below it for preview rules; use ${PriorityLayout.blockSize}..${PriorityLayout.explicitMax}`);
        } else if (other !== undefined) {
            p.add(path, value, `${owner} would have priority ${priority}, which ${other} has: with preview routes an explicit priority takes the ${PriorityLayout.previewSlots} below it for preview rules; space explicit priorities ${PriorityLayout.blockSize} apart`);
        }
        owners.set(priority, owner);
    };
    const services = Object.values(model.services).filter(hasRule).sort((a, b) => a.priority - b.priority);
    for (const s of services) {
        owners.set(s.priority, `services.${s.name}`);
    }
    // Derived blocks cannot collide unless two rules or two slots do, which is reported already.
    for (const s of services.filter(x => x.explicitPriority)) {
        for (const [cluster, priority] of Object.entries(s.previewPriorities)) {
            claim(priority, `the preview rule of services.${s.name} for cluster ${cluster}`, join(join("services", s.name), "priority"), s.priority);
        }
    }
}

/**
 * Every target group of a cluster that stays must be attached to the ALB
 * (named in some rule's or listener's forward action), or it is not
 * health-checked and its pods never pass their readiness gates. A service
 * whose clusters all have weight 0 answers a fixed 503: how the ALB treats a
 * forward whose weights are all 0 is not documented (the API reference gives
 * each weight 0..999, and nothing for their sum), so shared-alb does not
 * rely on it. Its target groups are then attached only by the clusters'
 * preview rules: without preview routes such a config is refused. Retiring
 * clusters are leaving and need no attachment.
 */
export function checkAttachment(p: Problems, model: FleetModel): void {
    if (model.preview !== undefined) {
        return;
    }
    for (const s of Object.values(model.services)) {
        const staying = s.clusters.filter(c => !model.clusters[c].retiring);
        if (staying.length === 0 || s.clusters.some(c => s.weights[c] > 0)) {
            continue;
        }
        p.add(join(join("services", s.name), "weights"), s.weights,
            `every cluster that runs ${s.name} has weight 0 and preview routes are off: its rule answers a fixed 503 and its target groups `
            + `(${staying.join(", ")}) are in no forward action, so they are not health-checked and pods behind readiness gates never become Ready; `
            + "give one cluster a weight above 0 (before any cluster has healthy targets the ALB answers 503 either way), "
            + "or turn preview routes on (preview, with sourceCidrs or a token on an internet-facing ALB): each cluster's preview rule keeps its target group attached");
    }
}

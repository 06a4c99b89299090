/**
 * The `plan --compare` checks about traffic: target groups that carry weight,
 * rule priorities, weight steps and clusters leaving the network stack. Pure.
 */
import { isRecord } from "../../components/internal";
import type { CompareContext, Flag, ResourceChange } from "./compare";
import { resourceLabel as label, SnapshotResource, SnapshotStack } from "./snapshot";

/** A target group in a forward action, named by its URN (or its ARN when the stack does not own it). */
export interface ForwardTarget {
    urn: string;
    label: string;
    weight: number;
}

/** The forward action of a listener rule or of a listener's default action. */
export interface ForwardAction {
    owner: SnapshotResource;
    targets: ForwardTarget[];
}

/** Every forward action of a stack's listener rules (`actions`) and listeners (`defaultActions`). */
export function forwardActions(s: SnapshotStack): ForwardAction[] {
    const byArn = new Map<string, SnapshotResource>();
    for (const r of s.resources.filter(x => x.type === "aws:lb/targetGroup:TargetGroup")) {
        const arn = typeof r.outputs.arn === "string" ? r.outputs.arn : r.id;
        if (arn !== undefined) {
            byArn.set(arn, r);
        }
    }
    const target = (arn: unknown, weight: unknown): ForwardTarget => {
        const tg = byArn.get(String(arn));
        return {
            urn: tg?.urn ?? String(arn),
            label: tg !== undefined ? label(tg) : String(arn),
            // The provider's default weight is 1.
            weight: typeof weight === "number" ? weight : 1,
        };
    };
    const out: ForwardAction[] = [];
    const carriesTraffic = (r: SnapshotResource) =>
        r.type === "aws:lb/listener:Listener" || (r.type === "aws:lb/listenerRule:ListenerRule" && !isPreviewRule(r));
    for (const owner of s.resources.filter(carriesTraffic)) {
        const actions = owner.inputs.actions ?? owner.inputs.defaultActions;
        for (const action of Array.isArray(actions) ? actions : []) {
            if (!isRecord(action)) {
                continue;
            }
            const forward = action.forward;
            if (isRecord(forward) && Array.isArray(forward.targetGroups)) {
                out.push({ owner, targets: forward.targetGroups.filter(isRecord).map(t => target(t.arn, t.weight)) });
            } else if (typeof action.targetGroupArn === "string") {
                out.push({ owner, targets: [target(action.targetGroupArn, 1)] });
            }
        }
    }
    return out;
}

/**
 * A preview rule (it matches an HTTP header, as `SharedAlb`'s preview routes
 * do) carries only the requests an operator sends with that header, not
 * production traffic: its single target group is not judged as a service's
 * only target group, nor its weight as a share of traffic.
 */
export function isPreviewRule(rule: SnapshotResource): boolean {
    const conditions = rule.inputs.conditions;
    return Array.isArray(conditions) && conditions.some(c => isRecord(c) && c.httpHeader !== undefined);
}

/** Each target group's share of an action's traffic, in percent. */
export function shares(action: ForwardAction): Map<string, number> {
    const total = action.targets.reduce((sum, t) => sum + t.weight, 0);
    return new Map(action.targets.map(t => [t.urn, total === 0 ? 0 : (100 * t.weight) / total]));
}

export function trafficChecks(ctx: CompareContext): Flag[] {
    const flags: Flag[] = [];
    for (const after of ctx.after) {
        const before = ctx.before.get(after.stack);
        if (before === undefined) {
            continue;
        }
        const [was, is] = [forwardActions(before), forwardActions(after)];
        flags.push(...weightedTargetGroups(after.stack, was, is, ctx.changes));
        flags.push(...newWeightedTargetGroups(after.stack, was, is, ctx.changes));
        flags.push(...priorityChanges(after.stack, before, after, ctx.changes));
        flags.push(...prioritiesStillHeld(after.stack, before, after, ctx.changes));
        if (ctx.options.maxShift !== undefined) {
            flags.push(...weightShifts(after.stack, was, is, ctx.options.maxShift));
        }
        flags.push(...clustersRemoved(before, after));
    }
    return flags;
}

/**
 * Replaced or deleted target groups that carry traffic now, or are a rule's
 * only target group; and replaced ones given traffic in the same step.
 */
function weightedTargetGroups(stack: string, was: ForwardAction[], is: ForwardAction[], changes: Map<string, ResourceChange>): Flag[] {
    const largest = (actions: ForwardAction[], urn: string) =>
        actions
            .map(a => ({ action: a, share: shares(a).get(urn) }))
            .filter((x): x is { action: ForwardAction; share: number } => x.share !== undefined)
            .sort((a, b) => b.share - a.share)[0];
    const flags: Flag[] = [];
    for (const c of changes.values()) {
        if (c.type !== "aws:lb/targetGroup:TargetGroup" || (c.kind !== "replace" && c.kind !== "delete")) {
            continue;
        }
        const now = largest(was, c.urn);
        const next = c.kind === "replace" ? largest(is, c.urn) : undefined;
        let how: string;
        if (now !== undefined && now.share > 0) {
            how = `while it carries ${percent(now.share)} of ${label(now.action.owner)}'s traffic`;
        } else if (now !== undefined && now.action.targets.length === 1) {
            how = `while it is the only target group of ${label(now.action.owner)}`;
        } else if (next !== undefined && next.share > 0) {
            how = `and gets ${percent(next.share)} of ${label(next.action.owner)}'s traffic in the same step`;
        } else {
            continue;
        }
        flags.push(
            c.kind === "replace"
                ? {
                      stack,
                      urn: c.urn,
                      kind: "weighted-target-group-replaced",
                      message: `${label(c)} is replaced (${c.replaceOn.join(", ")}) ${how}`,
                      reason:
                          "its replacement is a new, empty target group: the rule forwards to it at once, and its targets are registered only when the " +
                          "cluster stack runs again (its binding is replaced then), so that share of requests fails (503) in between",
                      safe:
                          "change it on one cluster at a time (clusters.<key>.serviceOverrides.<service>): weight that cluster to 0 for the service first " +
                          "(plan, up), make the change and run its cluster stack, check its targets through its preview route, then weight it back in",
                  }
                : {
                      stack,
                      urn: c.urn,
                      kind: "weighted-target-group-deleted",
                      message: `${label(c)} is deleted ${how}`,
                      reason:
                          "its share of the traffic moves to the other target groups in one step (or the service has none left), " +
                          "and its cluster's bindings lose their target group while they still exist",
                      safe: "weight its cluster to 0 first, destroy or unbind its cluster stack, then remove it",
                  },
        );
    }
    return flags;
}

/** New target groups given weight in a rule that already serves traffic. */
function newWeightedTargetGroups(stack: string, was: ForwardAction[], is: ForwardAction[], changes: Map<string, ResourceChange>): Flag[] {
    const owners = new Set(was.map(a => a.owner.urn));
    const flags: Flag[] = [];
    for (const action of is.filter(a => owners.has(a.owner.urn))) {
        const share = shares(action);
        for (const t of action.targets.filter(x => x.weight > 0 && changes.get(x.urn)?.kind === "create")) {
            flags.push({
                stack,
                urn: t.urn,
                kind: "new-target-group-weighted",
                message: `${t.label} is created with ${percent(share.get(t.urn)!)} of ${label(action.owner)}'s traffic`,
                reason: "a new target group has no targets until its cluster stack binds it: that share of requests fails (503) in between",
                safe: "add it with weight 0, run its cluster stack, check its targets are healthy, then raise the weight",
            });
        }
    }
    return flags;
}

/** Listener rules whose priority changes, with the swaps that fail. */
function priorityChanges(stack: string, before: SnapshotStack, after: SnapshotStack, changes: Map<string, ResourceChange>): Flag[] {
    const rules = (s: SnapshotStack) =>
        new Map(s.resources.filter(r => r.type === "aws:lb/listenerRule:ListenerRule").map(r => [r.urn, r]));
    const [was, is] = [rules(before), rules(after)];
    const moved = [...changes.values()].filter(c => was.has(c.urn) && is.has(c.urn) && c.paths.includes("priority"));
    return moved.map(c => {
        const [old, now] = [was.get(c.urn)!, is.get(c.urn)!];
        const swapped = moved.filter(
            o =>
                o.urn !== c.urn &&
                was.get(o.urn)!.inputs.priority === now.inputs.priority &&
                was.get(o.urn)!.inputs.listenerArn === old.inputs.listenerArn,
        );
        return {
            stack,
            urn: c.urn,
            kind: "rule-priority-changed" as const,
            message:
                `${label(c)} moves from priority ${String(old.inputs.priority)} to ${String(now.inputs.priority)}` +
                (swapped.length > 0 ? ` (taking the priority of ${swapped.map(label).join(", ")}, which moves too)` : ""),
            reason:
                "priorities change in place one rule at a time (SetRulePriorities): in between, the rules are evaluated in a mixed order, " +
                "and a rule taking a priority another rule still holds fails with PriorityInUse",
            safe: "move one rule per update, to a free priority; for a swap, go through a free priority first",
        };
    });
}

/** A listener rule at a priority on a listener: who holds it before the update, or takes it in the update. */
interface RuleAt {
    rule: ResourceChange;
    /** The listener's URN (or the rule's listenerArn when the stack does not own the listener). */
    listener: string;
    priority: number;
    /** The priority it moves from (a rule that moves). */
    from?: number;
}

/**
 * The listener each rule of a stack is on, keyed by the listener's URN so
 * that BEFORE and the plan agree whatever ARNs they hold; a replaced listener
 * is another listener after the update.
 */
function ruleListeners(s: SnapshotStack, changes: Map<string, ResourceChange>, after: boolean): Map<string, string> {
    const byArn = new Map<string, SnapshotResource>();
    for (const l of s.resources.filter(r => r.type === "aws:lb/listener:Listener")) {
        for (const arn of [l.outputs.arn, l.id]) {
            if (typeof arn === "string") {
                byArn.set(arn, l);
            }
        }
    }
    const out = new Map<string, string>();
    for (const r of s.resources.filter(x => x.type === "aws:lb/listenerRule:ListenerRule")) {
        const listener = byArn.get(String(r.inputs.listenerArn));
        const replaced = after && listener !== undefined && changes.get(listener.urn)?.kind === "replace";
        out.set(r.urn, listener === undefined ? String(r.inputs.listenerArn) : `${listener.urn}${replaced ? " (replaced)" : ""}`);
    }
    return out;
}

/** A rule's priority, when it has one. */
function priorityOf(r: SnapshotResource | undefined): number | undefined {
    return typeof r?.inputs.priority === "number" ? r.inputs.priority : undefined;
}

/**
 * Listener rules created, moved or replaced at a priority that a rule deleted,
 * moved or replaced (creating the new one first) in the same update still
 * holds on the same listener: the engine deletes at the end of the update,
 * and SetRulePriorities moves one rule at a time, so CreateRule or
 * SetRulePriorities fails with PriorityInUse, on every re-run too.
 */
function prioritiesStillHeld(stack: string, before: SnapshotStack, after: SnapshotStack, changes: Map<string, ResourceChange>): Flag[] {
    const rules = (s: SnapshotStack) =>
        new Map(s.resources.filter(r => r.type === "aws:lb/listenerRule:ListenerRule").map(r => [r.urn, r]));
    const [was, is] = [rules(before), rules(after)];
    const [oldListeners, newListeners] = [ruleListeners(before, changes, false), ruleListeners(after, changes, true)];
    const holders: RuleAt[] = [];
    const takers: RuleAt[] = [];
    for (const c of [...changes.values()].filter(x => x.type === "aws:lb/listenerRule:ListenerRule")) {
        const [old, now] = [priorityOf(was.get(c.urn)), priorityOf(is.get(c.urn))];
        const moved = c.kind === "update" && c.paths.includes("priority");
        if (old !== undefined && (c.kind === "delete" || moved || (c.kind === "replace" && !c.deleteBeforeReplace))) {
            holders.push({ rule: c, listener: oldListeners.get(c.urn)!, priority: old });
        }
        if (now !== undefined && (c.kind === "create" || moved || c.kind === "replace")) {
            takers.push({ rule: c, listener: newListeners.get(c.urn)!, priority: now, from: old });
        }
    }
    return takers.flatMap(t =>
        holders
            .filter(h => h.listener === t.listener && h.priority === t.priority && (h.rule.urn !== t.rule.urn || t.rule.kind === "replace"))
            .map(h => priorityInUse(stack, t, h, listenerLabel(before, h.listener), priorityOf(is.get(h.rule.urn)))),
    );
}

/** How a flag names a listener: by its resource, or by its ARN when the stack does not own it. */
function listenerLabel(s: SnapshotStack, key: string): string {
    const listener = s.resources.find(r => r.urn === key);
    return listener === undefined ? `listener ${key}` : label(listener);
}

/** The flag of a rule taking a priority that another rule still holds. */
function priorityInUse(stack: string, taker: RuleAt, holder: RuleAt, listener: string, holderNext: number | undefined): Flag {
    const p = taker.priority;
    const takes = {
        create: `is created at priority ${p}`,
        update: `moves from priority ${String(taker.from)} to ${p}`,
        replace: `is replaced by a rule created at priority ${p}`,
        delete: "",
    }[taker.rule.kind];
    const moves = holder.rule.kind === "update";
    const self = taker.rule.urn === holder.rule.urn;
    const holds = moves
        ? `until it moves to priority ${String(holderNext)}`
        : `until ${holder.rule.kind === "delete" || self ? "it is" : "its old rule is"} deleted at the end of the update`;
    const holderLabel = self ? "its old rule" : label(holder.rule);
    const then = `then ${taker.rule.kind === "update" ? "move" : "create"} ${label(taker.rule)} in a later update`;
    return {
        stack,
        urn: taker.rule.urn,
        kind: "rule-priority-in-use",
        message: `${label(taker.rule)} ${takes} on ${listener}, which ${holderLabel} still holds ${holds}`,
        reason:
            "the engine creates and updates rules as the program registers them and deletes removed resources only at the end of the update, " +
            "and SetRulePriorities moves one rule at a time: CreateRule or SetRulePriorities at a priority another rule of the listener holds " +
            "fails with PriorityInUse, and every re-run of pulumi up repeats it",
        safe: moves
            ? `take two updates: first move ${label(holder.rule)} to a free priority, ${then}; for a swap, go through a free priority first`
            : `take two updates: first the one that deletes ${label(holder.rule)} (e.g. retire or remove its cluster or service on its own), ` +
              `${then} (e.g. add the new cluster or service then)`,
    };
}

/** Forward actions in which a target group's share moves by more than `maxShift` points. */
function weightShifts(stack: string, was: ForwardAction[], is: ForwardAction[], maxShift: number): Flag[] {
    const flags: Flag[] = [];
    for (const action of is) {
        const old = was.filter(a => a.owner.urn === action.owner.urn);
        if (old.length !== 1) {
            continue;
        }
        const [before, after] = [shares(old[0]), shares(action)];
        const labels = new Map([...old[0].targets, ...action.targets].map(t => [t.urn, t.label]));
        const moves = [...labels.keys()]
            .sort()
            .map(urn => ({ urn, from: before.get(urn) ?? 0, to: after.get(urn) ?? 0 }))
            .filter(m => Math.abs(m.to - m.from) > 1e-9);
        if (moves.some(m => Math.abs(m.to - m.from) > maxShift + 1e-9)) {
            flags.push({
                stack,
                urn: action.owner.urn,
                kind: "weight-shift",
                message:
                    `${label(action.owner)} moves more than ${maxShift} points of traffic at once: ` +
                    moves.map(m => `${labels.get(m.urn)!.replace(/^TargetGroup /, "")} ${percent(m.from)} -> ${percent(m.to)}`).join(", "),
                reason: "a larger step sends more requests at once to targets that have not carried them (cold caches and pools, autoscaling lag)",
                safe: `move the weights in steps of at most ${maxShift} points, checking health between steps`,
            });
        }
    }
    return flags;
}

/** Cluster keys that leave a network stack's outputs without having been retiring. */
function clustersRemoved(before: SnapshotStack, after: SnapshotStack): Flag[] {
    const clusters = (s: SnapshotStack) => (isRecord(s.outputs.clusters) && isRecord(s.outputs.services) ? s.outputs.clusters : undefined);
    const [was, is] = [clusters(before), clusters(after)];
    if (was === undefined || is === undefined) {
        return [];
    }
    return Object.keys(was)
        .sort()
        .filter(k => !Object.hasOwn(is, k))
        .filter(k => !(isRecord(was[k]) && was[k].retiring === true))
        .map(k => {
            const crossAccount = isRecord(was[k]) && was[k].registrarRoleArn !== undefined;
            return {
                stack: after.stack,
                kind: "cluster-removed-without-retiring" as const,
                message: `cluster ${JSON.stringify(k)} leaves the network stack without having been retiring`,
                reason: crossAccount
                    ? "its target groups and registrar role are deleted while its cluster stack's TargetGroupBindings still exist: the controller " +
                      "can no longer deregister targets (AssumeRole is denied), the bindings' finalizers stay, and the cluster stack's destroy hangs"
                    : "its target groups are deleted while its cluster stack's TargetGroupBindings still point at them",
                safe:
                    `retire it in two steps: set clusters.${k}.retiring: true (with weight 0) and pulumi up -s ${after.stack}, which keeps its target ` +
                    `groups and registrar role, then pulumi destroy -s cluster-${k} (its bindings deregister their targets while both exist); ` +
                    `only then remove the key and pulumi up -s ${after.stack}`,
            };
        });
}

function percent(share: number): string {
    return `${Number.isInteger(share) ? share : share.toFixed(1)}%`;
}

/**
 * The `plan --compare` check of where requests land: both plans' listener
 * rules are evaluated (components/shared-alb/evaluate.ts) over witness
 * requests (every host and path value pair of every rule, and a request of
 * every overlap of two), as ordinary traffic sends them: no headers, from an
 * address no source-ip condition names, so preview rules never answer. A
 * request whose destination moves to another service, stops being forwarded,
 * or reaches a target group created in the update is flagged. Pure.
 */
import { ActionInput, conditionsMatch, witnessRequests, WitnessRequest, isRecord } from "../../components/internal";
import type { CompareContext, Flag } from "./compare";
import { forwardActions } from "./compare-traffic";
import { evaluated, ListenerRules, readListeners, ServiceTag, UnknownDefault } from "./listeners";
import { resourceLabel as label, SnapshotResource, SnapshotStack } from "./snapshot";

/** A target group a request can reach: by URN (by ARN when the stack does not own it). */
interface TargetGroupRef {
    key: string;
    name: string;
    /** Its `shared-alb:service` tag. */
    service?: string;
    /** Its URN is absent from BEFORE: it is created in this update. */
    created: boolean;
}

/** Where a request lands on one side: the rule (or the listener's default action) that answers, and who receives it. */
interface Landing {
    /** The rule's or listener's URN; `default of <ARN>` for a listener the stack does not own. */
    ownerKey: string;
    owner?: SnapshotResource;
    priority: number | "default";
    listenerLabel: string;
    action: ActionInput;
    /** The target groups of the forward with a weight above 0. */
    receivers: TargetGroupRef[];
}

/** Why a request's landing hurts: (a) another service, (b) no longer forwarded, (c) a target group created in the update. */
type Harm = "other-service" | "not-forwarded" | "created-target-group";

/** Requests that land the same way before and after, and why that hurts. */
interface LandingGroup {
    harm: Harm;
    was: Landing;
    is: Landing;
    requests: WitnessRequest[];
}

/** How many requests a flag names. */
const ExamplesShown = 3;

/** The request-landing flags of every compared stack. */
export function landingChecks(ctx: CompareContext): Flag[] {
    const flags: Flag[] = [];
    for (const after of ctx.after) {
        const before = ctx.before.get(after.stack);
        if (before !== undefined) {
            flags.push(...stackLandings(before, after));
        }
    }
    return flags;
}

/** A stack's listeners, read; an error names the stack (and BEFORE's file). */
function listenersOf(s: SnapshotStack, side: "before" | "after"): Map<string, ListenerRules<SnapshotResource>> {
    try {
        return new Map(readListeners(s.resources).map(l => [l.key, l]));
    } catch (e) {
        const where =
            side === "before"
                ? `${s.file}: stack ${s.stack}`
                : s.format === "preview"
                  ? `${s.file}: stack ${s.stack} as previewed`
                  : `stack ${s.stack} as planned`;
        throw new Error(`${where}: ${(e as Error).message}`);
    }
}

function stackLandings(before: SnapshotStack, after: SnapshotStack): Flag[] {
    const [was, is] = [listenersOf(before, "before"), listenersOf(after, "after")];
    const known = new Set(before.resources.map(r => r.urn));
    const [oldGroups, newGroups] = [targetGroups(before, known), targetGroups(after, known)];
    const judge = judgement(before);
    const groups = new Map<string, LandingGroup>();
    for (const key of [...new Set([...was.keys(), ...is.keys()])].sort()) {
        const [old, now] = [was.get(key) ?? unowned(is.get(key)), is.get(key) ?? unowned(was.get(key))];
        if (old === undefined || now === undefined) {
            // A listener created or deleted in the update: no request landed on it before, or none will.
            continue;
        }
        const requests = witnessRequests([...old.rules, ...now.rules].filter(r => r.plain).map(r => r.values));
        const [route, next] = [router(old, oldGroups), router(now, newGroups)];
        for (const request of requests) {
            const [a, b] = [route(request), next(request)];
            const harm = judge(a, b);
            if (harm === undefined) {
                continue;
            }
            const id = [harm, destination(a), destination(b)].join("|");
            const group = groups.get(id) ?? { harm, was: a, is: b, requests: [] };
            group.requests.push(request);
            groups.set(id, group);
        }
    }
    return [...groups.values()].map(g => landingFlag(after.stack, g));
}

/** The same listener on the other side, when the stack does not own it (named by ARN): it exists there too, without rules. */
function unowned(l: ListenerRules<SnapshotResource> | undefined): ListenerRules<SnapshotResource> | undefined {
    return l !== undefined && l.listener === undefined ? { ...l, rules: [] } : undefined;
}

/** A side's target groups by ARN. */
function targetGroups(s: SnapshotStack, known: Set<string>): Map<string, TargetGroupRef> {
    const out = new Map<string, TargetGroupRef>();
    for (const r of s.resources.filter(x => x.type === "aws:lb/targetGroup:TargetGroup")) {
        const arn = typeof r.outputs.arn === "string" ? r.outputs.arn : r.id;
        if (arn !== undefined) {
            out.set(arn, { key: r.urn, name: r.name, service: serviceOf(r), created: !known.has(r.urn) });
        }
    }
    return out;
}

function serviceOf(r: SnapshotResource): string | undefined {
    const tags = r.inputs.tags;
    return isRecord(tags) && typeof tags[ServiceTag] === "string" ? tags[ServiceTag] : undefined;
}

/** Where a listener sends a request: its rules by ascending priority, the first that matches, else its default action. */
function router(l: ListenerRules<SnapshotResource>, groups: Map<string, TargetGroupRef>): (request: WitnessRequest) => Landing {
    const ordered = [...l.rules].sort((a, b) => a.rule.priority - b.rule.priority);
    const input = evaluated(l);
    return request => {
        const rule = ordered.find(r => conditionsMatch(r.rule.conditions, request));
        const action = rule !== undefined ? rule.rule.actions[0] : input.defaultActions[0];
        const receivers = (action.forward?.targetGroups ?? [])
            .filter(t => t.weight > 0)
            .map(t => groups.get(t.arn) ?? { key: t.arn, name: t.arn, created: false })
            .sort((a, b) => (a.key < b.key ? -1 : 1));
        const owner = rule?.resource ?? l.listener;
        return {
            ownerKey: owner?.urn ?? `default of ${l.key}`,
            owner,
            priority: rule?.rule.priority ?? "default",
            listenerLabel: l.label,
            action,
            receivers,
        };
    };
}

/**
 * How a request's move is judged against BEFORE. A target group created in
 * the update is flagged unless the rule that reaches it forwarded before (the
 * `new-target-group-weighted` flag names that case); a request moving to a
 * service that had target groups but no weight in BEFORE is that service
 * being weighted in, the second step of adding it at weight 0, and is not.
 */
function judgement(before: SnapshotStack): (was: Landing, is: Landing) => Harm | undefined {
    const actions = forwardActions(before);
    const forwarded = new Set(actions.map(a => a.owner.urn));
    const services = new Map(before.resources.filter(r => r.type === "aws:lb/targetGroup:TargetGroup").map(r => [r.urn, serviceOf(r)]));
    const weighted = new Set(actions.flatMap(a => a.targets.filter(t => t.weight > 0).map(t => services.get(t.urn))));
    const weightedIn = new Set([...services.values()].filter(s => s !== undefined && !weighted.has(s)).map(s => `service ${s}`));
    return (was, is) => {
        if (is.receivers.some(t => t.created) && !forwarded.has(is.ownerKey)) {
            return "created-target-group";
        }
        if (was.receivers.length === 0) {
            return undefined;
        }
        if (is.receivers.length === 0) {
            return "not-forwarded";
        }
        const before = new Set(identities(was));
        const moved = identities(is).filter(id => !before.has(id) && !weightedIn.has(id));
        return moved.length > 0 ? "other-service" : undefined;
    };
}

/** Who receives a request: each target group's service, or (untagged) the rule that forwards to it. */
function identities(l: Landing): string[] {
    return l.receivers.map(t => (t.service !== undefined ? `service ${t.service}` : `rule ${l.ownerKey}`));
}

/** What a landing is, for grouping: the rule or default action, its action and receivers. */
function destination(l: Landing): string {
    return [l.ownerKey, l.action.type, l.action.fixedResponse?.statusCode ?? "", ...l.receivers.map(t => t.key)].join(" ");
}

/** A landing in words: `service web (ListenerRule shared-alb-rule-web, priority 44020: shared-alb-tg-blue-web)`. */
function describeLanding(l: Landing): string {
    const where = l.priority === "default" ? `the default action of ${l.listenerLabel}` : `${label(l.owner!)}, priority ${l.priority}`;
    if (l.receivers.length > 0) {
        const services = [...new Set(l.receivers.map(t => t.service).filter((s): s is string => s !== undefined))];
        return `${services.length > 0 ? `service ${services.join(", ")} ` : ""}(${where}: ${l.receivers.map(t => t.name).join(", ")})`;
    }
    if (l.action === UnknownDefault) {
        return `${where}, which the plan does not know`;
    }
    if (l.action.forward !== undefined) {
        return `a forward with every weight 0 (${where})`;
    }
    if (l.action.fixedResponse !== undefined) {
        return `a fixed ${l.action.fixedResponse.statusCode} response (${where})`;
    }
    return `a ${l.action.type} action (${where})`;
}

/** `request shop.example.com /x`, or `4 requests (a /x, b /y, c /z, ...)`. */
function describeRequests(requests: WitnessRequest[]): string {
    const shown = requests.slice(0, ExamplesShown).map(r => `${r.host} ${r.path}`);
    return requests.length === 1
        ? `request ${shown[0]}`
        : `${requests.length} requests (${shown.join(", ")}${requests.length > ExamplesShown ? ", ..." : ""})`;
}

/** The flag of one group of requests. */
function landingFlag(stack: string, g: LandingGroup): Flag {
    const moves = `${describeRequests(g.requests)} ${g.requests.length === 1 ? "moves" : "move"} from ${describeLanding(g.was)} to ${describeLanding(g.is)}`;
    const created = g.is.receivers.filter(t => t.created).map(t => t.name);
    const text = {
        "other-service": {
            message: moves,
            reason:
                "after the update another service answers these requests: a rule created or changed (its priority, hosts or paths) comes first " +
                "for them, and that service's pods get requests they may not serve",
            safe:
                "keep each request with the service that answers it: give the rule hosts, paths or a priority that leave these requests where they are " +
                "(shared-alb plan lists which service comes first where two overlap); to hand them to a new service on purpose, add it at weight 0 " +
                "first and weight it in in a later update (a service that had no weight before is not flagged for the requests its weight-in moves)",
        },
        "not-forwarded": {
            message: moves,
            reason:
                "these requests were forwarded to targets before and get a fixed response or the listener's default action after: " +
                "a rule without a weighted target group comes first for them, or the rule that forwarded them is gone",
            safe:
                "keep the rule that forwards them until another service with healthy targets answers them, or until their clients no longer send them " +
                "(a service being removed: check that it gets no requests first); a service without weight must not come first for another service's requests",
        },
        "created-target-group": {
            message: `${moves}, created in this update (${created.join(", ")})`,
            reason: "a target group created in this update has no targets until its cluster stack binds it: these requests fail (503) until then",
            safe:
                "add the service or cluster at weight 0 first (its target groups are created and health-checked while they get no requests), " +
                "run its cluster stacks and check its targets are healthy (doctor, the preview route), then give it weight in a later update",
        },
    }[g.harm];
    return { stack, urn: g.is.owner?.urn ?? g.was.owner?.urn, kind: "request-destination-changed", ...text };
}

/**
 * The listeners of a stack with the rules on each, read from the registered
 * inputs of `aws:lb/listener:Listener` and `aws:lb/listenerRule:ListenerRule`
 * resources (a plan's, or a stack export's) into the shape the ALB evaluator
 * reads. Pure.
 */
import {
    ActionInput,
    checkListener,
    ConditionInput,
    ListenerInput,
    RuleInput,
    matchesPlainRequests,
    ruleValues,
    RuleValues,
    isRecord,
} from "../../components/internal";
import { resourceLabel } from "./snapshot";

/** What the reader needs of a resource. */
export interface ResourceView {
    urn: string;
    type: string;
    name: string;
    id?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

/** One listener rule, read. */
export interface ReadRule<R extends ResourceView> {
    resource: R;
    rule: RuleInput;
    values: RuleValues;
    /** A request without headers from an address no source-ip condition names can match it (no preview rule). */
    plain: boolean;
    /** Its `shared-alb:service` tag, else the rule's resource name. */
    service: string;
}

/** One listener and the rules on it. */
export interface ListenerRules<R extends ResourceView> {
    /** The listener's URN, or its ARN when the stack does not own it. */
    key: string;
    /** `Listener <name>`, or `listener <ARN>`. */
    label: string;
    listener?: R;
    rules: ReadRule<R>[];
    /** The listener's default action; `UnknownDefault` for a listener the stack does not own. */
    defaultActions: ActionInput[];
}

/** The default action of a listener the stack does not own, or does not show as one action: not known here. */
export const UnknownDefault: ActionInput = { type: "unknown" };

/** A listener's default action, when it is one action this reader knows. */
function defaultAction(actions: unknown): ActionInput {
    try {
        return Array.isArray(actions) && actions.length === 1 ? readAction(actions[0], "defaultActions") : UnknownDefault;
    } catch {
        return UnknownDefault;
    }
}

const ListenerType = "aws:lb/listener:Listener";
const RuleType = "aws:lb/listenerRule:ListenerRule";
/** The tag `SharedAlb` puts on each rule and target group. */
export const ServiceTag = "shared-alb:service";

/**
 * The listeners of a stack (those it owns, and those its rules name by
 * ARN), with the rules on each. Throws when a
 * rule cannot be read or the rules are ones the ALB API would refuse
 * (duplicate priorities, too many values...): they cannot be evaluated.
 */
export function readListeners<R extends ResourceView>(resources: readonly R[]): ListenerRules<R>[] {
    const byArn = new Map<string, R>();
    for (const l of resources.filter(r => r.type === ListenerType)) {
        for (const arn of [l.outputs.arn, l.id]) {
            if (typeof arn === "string") {
                byArn.set(arn, l);
            }
        }
    }
    const out = new Map<string, ListenerRules<R>>();
    for (const l of resources.filter(r => r.type === ListenerType)) {
        out.set(l.urn, {
            key: l.urn,
            label: resourceLabel(l),
            listener: l,
            rules: [],
            defaultActions: [defaultAction(l.inputs.defaultActions)],
        });
    }
    for (const r of resources.filter(x => x.type === RuleType)) {
        const arn = String(r.inputs.listenerArn);
        const key = byArn.get(arn)?.urn ?? arn;
        let entry = out.get(key);
        if (entry === undefined) {
            entry = { key, label: `listener ${arn}`, rules: [], defaultActions: [UnknownDefault] };
            out.set(key, entry);
        }
        const read = readRule(r);
        if (read !== undefined) {
            entry.rules.push(read);
        }
    }
    for (const l of out.values()) {
        try {
            checkListener(evaluated(l));
        } catch (e) {
            throw new Error(`${l.label}: its rules cannot be evaluated: ${(e as Error).message}`);
        }
    }
    return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A listener as the evaluator reads it. */
export function evaluated<R extends ResourceView>(l: ListenerRules<R>): ListenerInput {
    return { rules: l.rules.map(r => r.rule), defaultActions: l.defaultActions };
}

/**
 * A rule, read; undefined for a rule with a condition the evaluator does not
 * model (HTTP method, query string, regex values): it is taken as matching no
 * witness request.
 */
function readRule<R extends ResourceView>(r: R): ReadRule<R> | undefined {
    const where = resourceLabel(r);
    const priority = r.inputs.priority;
    if (typeof priority !== "number") {
        throw new Error(`${where}: priority: got ${JSON.stringify(priority) ?? "nothing"}; expected a number`);
    }
    const conditions: ConditionInput[] = [];
    const raw = Array.isArray(r.inputs.conditions) ? r.inputs.conditions : [];
    for (const [i, c] of raw.entries()) {
        const read = readCondition(c, `${where}: conditions[${i}]`);
        if (read === undefined) {
            return undefined;
        }
        conditions.push(read);
    }
    const actions = Array.isArray(r.inputs.actions) ? r.inputs.actions : [];
    if (actions.length === 0) {
        throw new Error(`${where}: actions: expected an action, got none`);
    }
    const tags = r.inputs.tags;
    const service = isRecord(tags) && typeof tags[ServiceTag] === "string" ? tags[ServiceTag] : r.name;
    return {
        // The last action is the one that answers (an authenticate action comes before it).
        resource: r,
        rule: { priority, conditions, actions: [readAction(actions[actions.length - 1], `${where}: actions[${actions.length - 1}]`)] },
        values: ruleValues(conditions),
        plain: matchesPlainRequests(conditions),
        service,
    };
}

const Kinds = ["hostHeader", "pathPattern", "httpHeader", "sourceIp"] as const;
/** The longest host name or path pattern a condition takes (the ALB API's limit). */
const MaxPatternLength = 128;

/** One condition; undefined when it is of a kind the evaluator does not model. */
function readCondition(c: unknown, where: string): ConditionInput | undefined {
    if (!isRecord(c)) {
        throw new Error(`${where}: expected a condition, got ${JSON.stringify(c) ?? "nothing"}`);
    }
    const set = Object.keys(c).filter(k => c[k] !== undefined && c[k] !== null);
    if (set.some(k => !(Kinds as readonly string[]).includes(k))) {
        return undefined;
    }
    if (set.length !== 1) {
        throw new Error(`${where}: expected one of ${Kinds.join(", ")}, got ${set.length === 0 ? "none" : set.join(", ")}`);
    }
    const kind = set[0] as (typeof Kinds)[number];
    const body = c[kind];
    if (isRecord(body) && body.regexValues !== undefined && body.regexValues !== null && body.values === undefined) {
        // Regex matching: not modelled.
        return undefined;
    }
    const values =
        isRecord(body) && Array.isArray(body.values) && body.values.every(v => typeof v === "string")
            ? (body.values as string[])
            : undefined;
    if (values === undefined || (kind === "httpHeader" && typeof (body as Record<string, unknown>).httpHeaderName !== "string")) {
        throw new Error(`${where}.${kind}: expected { ${kind === "httpHeader" ? "httpHeaderName, " : ""}values: [strings] }`);
    }
    const long = kind === "hostHeader" || kind === "pathPattern" ? values.find(v => v.length > MaxPatternLength) : undefined;
    if (long !== undefined) {
        throw new Error(`${where}.${kind}: a value of ${long.length} characters; the ALB takes at most ${MaxPatternLength}`);
    }
    return kind === "httpHeader"
        ? { httpHeader: { httpHeaderName: (body as Record<string, string>).httpHeaderName, values } }
        : { [kind]: { values } };
}

/** A rule's or listener's action: a forward (weights default to 1, as the provider's), a fixed response, a redirect or another kind. */
function readAction(a: unknown, where: string): ActionInput {
    const action = Array.isArray(a) && a.length === 1 ? a[0] : a;
    if (!isRecord(action) || typeof action.type !== "string") {
        throw new Error(`${where}: expected an action { type, ... }, got ${JSON.stringify(a) ?? "nothing"}`);
    }
    const forward = action.forward;
    if (isRecord(forward) && Array.isArray(forward.targetGroups)) {
        const targetGroups = forward.targetGroups.map((t, i) => {
            if (
                !isRecord(t) ||
                typeof t.arn !== "string" ||
                !(t.weight === undefined || t.weight === null || typeof t.weight === "number")
            ) {
                throw new Error(`${where}.forward.targetGroups[${i}]: expected { arn, weight }`);
            }
            return { arn: t.arn, weight: typeof t.weight === "number" ? t.weight : 1 };
        });
        return { type: action.type, forward: { targetGroups } };
    }
    if (typeof action.targetGroupArn === "string") {
        return { type: action.type, forward: { targetGroups: [{ arn: action.targetGroupArn, weight: 1 }] } };
    }
    if (isRecord(action.fixedResponse)) {
        return { type: action.type, fixedResponse: { statusCode: String(action.fixedResponse.statusCode) } };
    }
    if (isRecord(action.redirect)) {
        return { type: action.type, redirect: action.redirect };
    }
    return { type: action.type };
}

/**
 * A model of how an Application Load Balancer listener answers a request:
 * rules in ascending priority, the first whose conditions all match wins,
 * else the default action. Host conditions compare case-insensitively with
 * `*` and `?`; path patterns case-sensitively over the whole path; HTTP
 * header conditions compare the header's values case-insensitively with
 * wildcards (a repeated header matches when any occurrence does). A
 * condition with several values matches when one of them does.
 *
 * It reads rules in the shape of `aws.lb.ListenerRule` inputs, so the plan's
 * rules, the component's registered inputs and hand-written rules can all be
 * evaluated, and it refuses rule sets the ALB API would refuse (duplicate
 * priorities, too many condition values or wildcards, more than five target
 * groups in a forward). Pure: no Pulumi runtime.
 */
import { globMatch, wildcardCount } from "./glob";

/** One rule condition; `V` is the type of a header value (a secret Output where the component builds one). */
export interface ConditionInput<V = string> {
    hostHeader?: { values: string[] };
    pathPattern?: { values: string[] };
    httpHeader?: { httpHeaderName: string; values: V[] };
    /** IPv4 CIDRs the request's source address must be in (the address that connects to the ALB). */
    sourceIp?: { values: string[] };
}

export interface WeightedTargetGroupInput {
    arn: string;
    weight: number;
}

export interface ActionInput {
    type: string;
    forward?: { targetGroups: WeightedTargetGroupInput[]; stickiness?: { enabled: boolean; duration: number } };
    fixedResponse?: { statusCode: string; contentType?: string; messageBody?: string };
    redirect?: Record<string, unknown>;
}

export interface RuleInput {
    priority: number;
    conditions: ConditionInput[];
    actions: ActionInput[];
}

export interface ListenerInput {
    rules: RuleInput[];
    defaultActions: ActionInput[];
}

/** A request as the conditions see it. Header names are case-insensitive; a list is a repeated header. */
export interface AlbRequest {
    host: string;
    path: string;
    headers?: Record<string, string | string[]>;
    /** The IPv4 address that connects to the ALB; absent: matched by no `source-ip` condition. */
    sourceIp?: string;
}

/** Which rule answered (its priority, or `default`) and its action. */
export interface AlbAnswer {
    rule: number | "default";
    action: ActionInput;
}

/** ALB limits the evaluator enforces, as the API would. */
export const RuleLimits = {
    maxPriority: 50000,
    valuesPerCondition: 3,
    valuesPerRule: 5,
    wildcardsPerRule: 5,
    targetGroupsPerForward: 5,
    maxWeight: 999,
} as const;

/** Throws when the ALB API would refuse the rules. */
export function checkListener(listener: ListenerInput): void {
    const seen = new Set<number>();
    for (const rule of listener.rules) {
        const where = `rule ${rule.priority}`;
        if (!Number.isInteger(rule.priority) || rule.priority < 1 || rule.priority > RuleLimits.maxPriority) {
            throw new Error(`${where}: priority must be an integer from 1 to ${RuleLimits.maxPriority}`);
        }
        if (seen.has(rule.priority)) {
            throw new Error(`${where}: PriorityInUse (two rules have priority ${rule.priority})`);
        }
        seen.add(rule.priority);
        checkConditions(where, rule.conditions);
        checkActions(where, rule.actions);
    }
    checkActions("default action", listener.defaultActions);
}

function checkConditions(where: string, conditions: ConditionInput[]): void {
    let values = 0;
    let wildcards = 0;
    let hosts = 0;
    let paths = 0;
    let sources = 0;
    for (const c of conditions) {
        const kinds = [c.hostHeader, c.pathPattern, c.httpHeader, c.sourceIp].filter(x => x !== undefined);
        if (kinds.length !== 1) {
            throw new Error(`${where}: each condition needs exactly one of hostHeader, pathPattern, httpHeader, sourceIp`);
        }
        const list = kinds[0]!.values;
        if (list.length < 1 || list.length > RuleLimits.valuesPerCondition) {
            throw new Error(`${where}: a condition takes 1 to ${RuleLimits.valuesPerCondition} values, got ${list.length}`);
        }
        values += list.length;
        // Source IP conditions take CIDRs, no wildcards.
        wildcards += c.sourceIp ? 0 : list.reduce((n, v) => n + wildcardCount(v), 0);
        hosts += c.hostHeader ? 1 : 0;
        paths += c.pathPattern ? 1 : 0;
        sources += c.sourceIp ? 1 : 0;
    }
    if (hosts > 1 || paths > 1 || sources > 1) {
        throw new Error(`${where}: at most one host-header, one path-pattern and one source-ip condition per rule`);
    }
    if (values > RuleLimits.valuesPerRule) {
        throw new Error(`${where}: ${values} condition values; a rule takes at most ${RuleLimits.valuesPerRule}`);
    }
    if (wildcards > RuleLimits.wildcardsPerRule) {
        throw new Error(`${where}: ${wildcards} wildcards; a rule takes at most ${RuleLimits.wildcardsPerRule}`);
    }
}

function checkActions(where: string, actions: ActionInput[]): void {
    if (actions.length !== 1) {
        throw new Error(`${where}: expected exactly one action`);
    }
    const forward = actions[0].forward;
    if (forward !== undefined) {
        const tgs = forward.targetGroups;
        if (tgs.length < 1 || tgs.length > RuleLimits.targetGroupsPerForward) {
            throw new Error(`${where}: a forward takes 1 to ${RuleLimits.targetGroupsPerForward} target groups, got ${tgs.length}`);
        }
        if (new Set(tgs.map(t => t.arn)).size !== tgs.length) {
            throw new Error(`${where}: a target group appears twice in the forward`);
        }
        for (const t of tgs) {
            if (!Number.isInteger(t.weight) || t.weight < 0 || t.weight > RuleLimits.maxWeight) {
                throw new Error(`${where}: weight ${t.weight} of ${t.arn} is not an integer from 0 to ${RuleLimits.maxWeight}`);
            }
        }
    }
}

function headerValues(request: AlbRequest, name: string): string[] {
    const wanted = name.toLowerCase();
    return Object.entries(request.headers ?? {})
        .filter(([n]) => n.toLowerCase() === wanted)
        .flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
}

/** Whether every condition of a rule matches the request. */
export function conditionsMatch(conditions: ConditionInput[], request: AlbRequest): boolean {
    return conditions.every(c => {
        if (c.hostHeader) {
            return c.hostHeader.values.some(v => globMatch(v, request.host, { caseInsensitive: true }));
        }
        if (c.pathPattern) {
            return c.pathPattern.values.some(v => globMatch(v, request.path, { caseInsensitive: false }));
        }
        if (c.sourceIp) {
            return request.sourceIp !== undefined && c.sourceIp.values.some(cidr => inCidr(request.sourceIp!, cidr));
        }
        const header = c.httpHeader!;
        const sent = headerValues(request, header.httpHeaderName);
        return header.values.some(v => sent.some(s => globMatch(v, s, { caseInsensitive: true })));
    });
}

/** An IPv4 address as a 32-bit number; undefined when it is not one. */
function ipv4(address: string): number | undefined {
    const parts = address.split(".");
    if (parts.length !== 4 || !parts.every(x => /^\d{1,3}$/.test(x) && Number(x) <= 255)) {
        return undefined;
    }
    return parts.reduce((n, x) => n * 256 + Number(x), 0);
}

/** Whether an IPv4 address is inside an IPv4 CIDR. */
export function inCidr(address: string, cidr: string): boolean {
    const [network, bits] = cidr.split("/");
    const a = ipv4(address);
    const n = ipv4(network);
    const size = 2 ** (32 - Number(bits));
    return a !== undefined && n !== undefined && Math.floor(a / size) === Math.floor(n / size);
}

/** The rule that answers a request, as the ALB evaluates the listener. */
export function routeRequest(listener: ListenerInput, request: AlbRequest): AlbAnswer {
    checkListener(listener);
    const ordered = [...listener.rules].sort((a, b) => a.priority - b.priority);
    const rule = ordered.find(r => conditionsMatch(r.conditions, request));
    return rule !== undefined ? { rule: rule.priority, action: rule.actions[0] } : { rule: "default", action: listener.defaultActions[0] };
}

/**
 * The target groups an answer forwards to, with their weights (weight 0
 * included: attached and health-checked, but sent nothing); empty when the
 * answer does not forward.
 */
export function forwardedTo(answer: AlbAnswer): Record<string, number> {
    const tgs = answer.action.forward?.targetGroups ?? [];
    return Object.fromEntries(tgs.map(t => [t.arn, t.weight]));
}

/** The target groups that receive requests of an answer: those with a weight above 0. */
export function receivers(answer: AlbAnswer): string[] {
    return Object.entries(forwardedTo(answer))
        .filter(([, w]) => w > 0)
        .map(([arn]) => arn)
        .sort();
}

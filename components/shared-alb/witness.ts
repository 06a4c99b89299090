/**
 * Witness requests: concrete requests that listener rules match, to evaluate
 * a listener over. For two host and path value pairs that overlap, the
 * request is their glob intersection instantiated (a wildcard both leave
 * open becomes `x`); a condition a rule leaves out is open too (host `x`,
 * path `/`). Every request is checked against the rules with the evaluator
 * before it is handed out. Pure: no Pulumi runtime.
 */
import { AlbRequest, ConditionInput, conditionsMatch } from "./evaluate";
import { pairWitness, valuePairs, Witness } from "./precedence";

/** The host of a witness whose rules leave the host open. */
export const OpenHost = "x";
/** The path of a witness whose rules leave the path open. */
export const OpenPath = "/";

/** The host and path values of a rule (empty: the rule has no such condition). */
export interface RuleValues {
    hosts: readonly string[];
    paths: readonly string[];
}

/** A witness as a request: no headers, no source address. */
export interface WitnessRequest extends AlbRequest {
    host: string;
    path: string;
}

type Pair = [string | undefined, string | undefined];

/** The host and path values of a rule's conditions. */
export function ruleValues(conditions: readonly ConditionInput<unknown>[]): RuleValues {
    return {
        hosts: conditions.flatMap(c => c.hostHeader?.values ?? []),
        paths: conditions.flatMap(c => c.pathPattern?.values ?? []),
    };
}

/**
 * Whether a request without headers from an address no `source-ip`
 * condition names (ordinary traffic) can match the rule: it has no header
 * and no source-ip condition.
 */
export function matchesPlainRequests(conditions: readonly ConditionInput<unknown>[]): boolean {
    return conditions.every(c => c.httpHeader === undefined && c.sourceIp === undefined);
}

/** The conditions of one host and path value pair. */
function pairConditions([host, path]: Pair): ConditionInput[] {
    return [
        ...(host !== undefined ? [{ hostHeader: { values: [host] } }] : []),
        ...(path !== undefined ? [{ pathPattern: { values: [path] } }] : []),
    ];
}

/** A witness made concrete: open host `x`, open path `/`. */
export function witnessRequest(w: Witness): WitnessRequest {
    return { host: w.host ?? OpenHost, path: w.path ?? OpenPath };
}

/** The request both value pairs match, checked with the evaluator; undefined when no request matches both. */
function pairRequest(a: Pair, b: Pair): { witness: Witness; request: WitnessRequest } | undefined {
    const witness = pairWitness(a, b);
    if (witness === undefined) {
        return undefined;
    }
    const request = witnessRequest(witness);
    for (const pair of [a, b]) {
        if (!conditionsMatch(pairConditions(pair), request)) {
            throw new Error(
                `shared-alb: the witness ${request.host} ${request.path} does not match host ${String(pair[0])}, path ${String(pair[1])}`,
            );
        }
    }
    return { witness, request };
}

/**
 * Requests both rules match, one per pair of their value pairs that overlap
 * (each with the witness it instantiates: an open host or path stays
 * undefined there), in the rules' value order. Empty when the rules match no
 * common request.
 */
export function overlapRequests(a: RuleValues, b: RuleValues): { witness: Witness; request: WitnessRequest }[] {
    const out: { witness: Witness; request: WitnessRequest }[] = [];
    for (const x of valuePairs(a.hosts, a.paths)) {
        for (const y of valuePairs(b.hosts, b.paths)) {
            const found = pairRequest(x, y);
            if (found !== undefined && !out.some(o => sameRequest(o.request, found.request))) {
                out.push(found);
            }
        }
    }
    return out;
}

/**
 * The witness requests of a set of rules: for every two value pairs (of one
 * rule or of two) that overlap, a request both match, so every rule's every
 * host and path value pair has one, and so has every overlap of two rules.
 * Distinct, sorted by host then path.
 */
export function witnessRequests(rules: readonly RuleValues[]): WitnessRequest[] {
    const pairs = new Map<string, Pair>();
    for (const r of rules) {
        for (const p of valuePairs(r.hosts, r.paths)) {
            pairs.set(JSON.stringify(p), p);
        }
    }
    const list = [...pairs.values()];
    const out = new Map<string, WitnessRequest>();
    for (let i = 0; i < list.length; i++) {
        for (let j = i; j < list.length; j++) {
            const found = pairRequest(list[i], list[j]);
            if (found !== undefined) {
                out.set(`${found.request.host} ${found.request.path}`, found.request);
            }
        }
    }
    return [...out.values()].sort((a, b) => compareText(a.host, b.host) || compareText(a.path, b.path));
}

function sameRequest(a: WitnessRequest, b: WitnessRequest): boolean {
    return a.host === b.host && a.path === b.path;
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Which service a listener gives the requests two services' rules both
 * match: for every pair of services whose rules overlap, a request both
 * match and the rule that comes first, each verified with the ALB evaluator.
 * `shared-alb plan` prints them per listener, so the order is visible before
 * `pulumi up`. Pure.
 */
import { routeRequest, overlapRequests } from "../../components/internal";
import { evaluated, ListenerRules, ReadRule, readListeners, ResourceView } from "./listeners";

/** One overlap: a request both services' rules match, and who gets it. */
export interface PrecedenceEntry {
    /** The listener's resource name, or its ARN when the stack does not own it. */
    listener: string;
    /** `null`: any host (neither rule has a host condition); any path likewise. */
    request: { host: string | null; path: string | null };
    /** The service whose rule comes first (the lower priority), and so answers the request. */
    winner: string;
    loser: string;
    winnerPriority: number;
    loserPriority: number;
    /** A third service's rule that answers this request before both (`null`: none does). */
    shadowedBy: { service: string; priority: number } | null;
}

/** The overlaps of one listener, and how many services have rules on it. */
export interface ListenerPrecedence {
    /** `Listener <name>`, or `listener <ARN>`. */
    label: string;
    services: number;
    entries: PrecedenceEntry[];
}

/** The listeners of a stack's resources on which at least two services have rules that ordinary requests can match. */
export function precedenceOf(resources: readonly ResourceView[]): ListenerPrecedence[] {
    return readListeners(resources)
        .map(l => {
            const rules = l.rules.filter(r => r.plain).sort((a, b) => a.rule.priority - b.rule.priority);
            const entries = new Map<string, PrecedenceEntry>();
            for (const [i, first] of rules.entries()) {
                for (const second of rules.slice(i + 1)) {
                    const pair = `${first.service}\n${second.service}`;
                    if (first.service === second.service || entries.has(pair)) {
                        continue;
                    }
                    const entry = overlapEntry(l, first, second);
                    if (entry !== undefined) {
                        entries.set(pair, entry);
                    }
                }
            }
            return { label: l.label, services: new Set(rules.map(r => r.service)).size, entries: [...entries.values()] };
        })
        .filter(l => l.services >= 2);
}

/**
 * A request both rules match, and the first rule's win, checked with the
 * evaluator on the two rules alone; a request the whole listener gives to
 * the first rule is preferred, else the rule that answers first is named.
 */
function overlapEntry<R extends ResourceView>(l: ListenerRules<R>, first: ReadRule<R>, second: ReadRule<R>): PrecedenceEntry | undefined {
    const candidates = overlapRequests(first.values, second.values);
    if (candidates.length === 0) {
        return undefined;
    }
    const listener = evaluated(l);
    const answers = candidates.map(c => ({ ...c, answer: routeRequest(listener, c.request).rule }));
    const chosen = answers.find(a => a.answer === first.rule.priority) ?? answers[0];
    const pairOnly = routeRequest({ rules: [first.rule, second.rule], defaultActions: [{ type: "fixed-response" }] }, chosen.request);
    if (pairOnly.rule !== first.rule.priority) {
        throw new Error(
            `shared-alb: ${chosen.request.host} ${chosen.request.path} is answered by rule ${String(pairOnly.rule)}, not by rule ${first.rule.priority}`,
        );
    }
    const shadow = l.rules.find(r => r.rule.priority === chosen.answer);
    return {
        listener: l.listener?.name ?? l.key,
        request: { host: chosen.witness.host ?? null, path: chosen.witness.path ?? null },
        winner: first.service,
        loser: second.service,
        winnerPriority: first.rule.priority,
        loserPriority: second.rule.priority,
        shadowedBy:
            chosen.answer === first.rule.priority || shadow === undefined
                ? null
                : { service: shadow.service, priority: shadow.rule.priority },
    };
}

/**
 * An overlap as the plan's tree prints it:
 * `shop.example.com /api/x → api (priority 31750) before web (priority 44020)`.
 */
export function precedenceLine(e: PrecedenceEntry): string {
    const request = `${e.request.host ?? "(any host)"} ${e.request.path ?? "(any path)"}`;
    const shadow = e.shadowedBy !== null ? `; ${e.shadowedBy.service} (priority ${e.shadowedBy.priority}) answers it before both` : "";
    return `${request} → ${e.winner} (priority ${e.winnerPriority}) before ${e.loser} (priority ${e.loserPriority})${shadow}`;
}

/** The tree lines of a stack's overlaps: a heading per listener, a line per pair of services. */
export function precedenceLines(listeners: readonly ListenerPrecedence[]): string[] {
    return listeners.flatMap(l =>
        l.entries.length === 0
            ? [`precedence (${l.label}): no request matches the rules of two services`]
            : [`precedence (${l.label}):`, ...l.entries.map(e => `  ${precedenceLine(e)}`)],
    );
}

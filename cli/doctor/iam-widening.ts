import { PolicyDocument as BuiltPolicy } from "../../components/internal";
import { serviceActions } from "./action-catalog";
import { Statement, statementsOf, wildcardMatch } from "./iam-policy";
import { LivePolicy } from "./snapshot";

/**
 * Whether a role's live policies grant more than the policy shared-alb
 * writes for it: the comparison is against the package's own document
 * (`registrarPermissions`, `controllerPermissionsPolicy`), read as a set of
 * (action, resources) grants. Pure.
 */

/** What the package grants one action on. */
export interface Grant {
    /** The action as the package spells it, e.g. `elasticloadbalancing:RegisterTargets`. */
    action: string;
    /** The resources it is granted on; `["*"]` when the action takes no resource scoping. */
    resources: readonly string[];
    /** The resources in words, for messages: `the cluster's target groups`. */
    scope: string;
    /** Resources of the same kind the package may also grant but the doctor cannot list (node security groups). */
    alsoAccepts?: (resource: string) => boolean;
}

/** The package's grants by lower-cased action. */
export type Envelope = ReadonlyMap<string, Grant>;

/**
 * The grants of a policy document the package builds. `scopes` names, per
 * action, the resources it is scoped to (default: `its resources`).
 */
export function envelopeOf(
    doc: BuiltPolicy,
    scopes: Record<string, string> = {},
    alsoAccepts: Record<string, (resource: string) => boolean> = {},
): Map<string, Grant> {
    const out = new Map<string, Grant>();
    for (const st of doc.Statement.filter(s => s.Effect === "Allow")) {
        const resources = [st.Resource ?? []].flat();
        for (const action of [st.Action].flat()) {
            const key = action.toLowerCase();
            const before = out.get(key);
            out.set(key, {
                action,
                resources: [...new Set([...(before?.resources ?? []), ...resources])],
                scope: scopes[action] ?? "its resources",
                ...(alsoAccepts[action] ? { alsoAccepts: alsoAccepts[action] } : {}),
            });
        }
    }
    return out;
}

/** How one policy may differ: an inline policy whose extra actions are declared elsewhere (the controller's `additional`). */
export interface ExtrasAllowed {
    /** The inline policy's name. */
    policyName: string;
    /** Actions it may never add, whatever it declares. */
    forbidden: readonly RegExp[];
    /** Where the extras are declared, for messages: `controller.additionalPolicyJson`. */
    declaredIn: string;
}

/** The findings about a role's policies: widened grants (each a failure), and extra actions declared where `ExtrasAllowed` says. */
export interface Widening {
    problems: string[];
    extras: string[];
    /** The policies the problems come from, in the order given. */
    offending: LivePolicy[];
}

/** Every way the role's policies grant more than the envelope (Allow statements only: a Deny never widens). */
export function widenedGrants(policies: readonly LivePolicy[], envelope: Envelope, extrasAllowed?: ExtrasAllowed): Widening {
    const result: Widening = { problems: [], extras: [], offending: [] };
    for (const policy of policies) {
        const tolerant =
            policy.kind === "inline" && extrasAllowed !== undefined && policy.name === extrasAllowed.policyName ? extrasAllowed : undefined;
        for (const st of statementsOf(policy.document)) {
            if (st.effect !== "Allow") {
                continue;
            }
            const where = `${policy.kind === "inline" ? "inline" : "attached"} policy ${policy.name} statement ${st.index + 1}`;
            const found = statementWidening(st, envelope, tolerant);
            result.problems.push(...found.problems.map(p => `${where}: ${p}`));
            result.extras.push(...found.extras);
            if (found.problems.length > 0 && !result.offending.includes(policy)) {
                result.offending.push(policy);
            }
        }
    }
    result.extras = [...new Set(result.extras)].sort();
    return result;
}

/** What an action pattern of a statement reaches. */
type Reach = { kind: "wide"; text: string } | { kind: "actions"; granted: Grant[]; beyond: string[]; unlisted?: string };

function statementWidening(
    st: Statement,
    envelope: Envelope,
    tolerant: ExtrasAllowed | undefined,
): { problems: string[]; extras: string[] } {
    const problems: string[] = [];
    const extras: string[] = [];
    if (st.notActions) {
        problems.push(
            `NotAction ${JSON.stringify(st.notActions)} allows every action but ${st.notActions.length === 1 ? "that one" : "those"}`,
        );
    }
    if (st.notResources) {
        problems.push(
            `NotResource ${JSON.stringify(st.notResources)} allows every resource but ${st.notResources.length === 1 ? "that one" : "those"}`,
        );
    }
    const granted = new Map<string, Grant>();
    const beyond: string[] = [];
    for (const pattern of st.actions ?? []) {
        const reach = reachOf(pattern, envelope);
        if (reach.kind === "wide") {
            problems.push(reach.text);
            continue;
        }
        reach.granted.forEach(g => granted.set(g.action, g));
        // Outside the tolerant policy every action beyond the grant is refused; inside it, those the package forbids.
        const refused = (action: string): boolean =>
            tolerant === undefined || [action, pattern].some(a => tolerant.forbidden.some(re => re.test(a)));
        if (reach.unlisted !== undefined && refused(pattern)) {
            problems.push(reach.unlisted);
            continue;
        }
        if (reach.unlisted !== undefined) {
            extras.push(pattern);
            continue;
        }
        const refusedActions = reach.beyond.filter(refused);
        if (refusedActions.length > 0) {
            beyond.push(wildcard(pattern) ? `${JSON.stringify(pattern)} (${listed(refusedActions)})` : pattern);
        } else if (reach.beyond.length > 0) {
            extras.push(pattern);
        }
    }
    if (beyond.length > 0) {
        problems.push(
            tolerant
                ? `grants ${beyond.join(", ")}, which shared-alb never grants the controller (${tolerant.declaredIn} refuses it)`
                : `grants ${beyond.join(", ")}, which shared-alb does not grant`,
        );
    }
    if (st.resources) {
        problems.push(...resourceWidening([...granted.values()], st.resources));
    }
    return { problems, extras };
}

function wildcard(text: string): boolean {
    return /[*?]/.test(text);
}

function listed(actions: readonly string[]): string {
    return actions.length > 3 ? `${actions.slice(0, 3).join(", ")} and ${actions.length - 3} more` : actions.join(", ");
}

/**
 * What an action pattern reaches: every service (`*`, `*:*`), every action
 * of a service (`iam:*`), or the granted and ungranted actions it matches
 * among the service's known actions.
 */
function reachOf(pattern: string, envelope: Envelope): Reach {
    const colon = pattern.indexOf(":");
    const service = colon < 0 ? pattern : pattern.slice(0, colon);
    const name = colon < 0 ? "" : pattern.slice(colon + 1);
    if (pattern === "*" || wildcard(service)) {
        return { kind: "wide", text: `action ${JSON.stringify(pattern)} grants every action of every service` };
    }
    if (name === "*") {
        return { kind: "wide", text: `action ${JSON.stringify(pattern)} grants every ${service} action` };
    }
    const grantedIn = [...envelope.values()].filter(g => g.action.toLowerCase().startsWith(`${service.toLowerCase()}:`));
    if (!wildcard(name)) {
        const grant = envelope.get(pattern.toLowerCase());
        return grant ? { kind: "actions", granted: [grant], beyond: [] } : { kind: "actions", granted: [], beyond: [pattern] };
    }
    const known = serviceActions(service);
    if (known === undefined) {
        return {
            kind: "actions",
            granted: [],
            beyond: [],
            unlisted: `action ${JSON.stringify(pattern)} is a wildcard over ${service} actions, of which shared-alb grants ${grantedIn.length === 0 ? "none" : `only ${grantedIn.map(g => g.action).join(", ")}`}`,
        };
    }
    const matches = known.filter(a => wildcardMatch(name, a, true)).map(a => `${service}:${a}`);
    return {
        kind: "actions",
        granted: matches.map(a => envelope.get(a.toLowerCase())).filter((g): g is Grant => g !== undefined),
        beyond: matches.filter(a => !envelope.has(a.toLowerCase())),
    };
}

/** `Resource: "*"` on actions the package scopes to ARNs, and ARNs beyond those it grants. */
function resourceWidening(granted: readonly Grant[], resources: readonly string[]): string[] {
    const star = new Map<string, string[]>();
    const outside = new Map<string, string[]>();
    for (const g of granted.filter(x => !x.resources.includes("*"))) {
        for (const r of resources) {
            if (r === "*") {
                star.set(g.scope, [...(star.get(g.scope) ?? []), g.action]);
            } else if (!g.resources.includes(r) && !(g.alsoAccepts?.(r) ?? false)) {
                const key = `${r}\u0000${g.scope}`;
                outside.set(key, [...(outside.get(key) ?? []), g.action]);
            }
        }
    }
    return [
        ...[...star].map(([scope, actions]) => `Resource "*" on ${actions.join(", ")}, which shared-alb grants only on ${scope}`),
        ...[...outside].map(([key, actions]) => {
            const [resource, scope] = key.split("\u0000");
            return `resource ${JSON.stringify(resource)} on ${actions.join(", ")} reaches beyond ${scope}`;
        }),
    ];
}

import { accountRootArn, arnPartition } from "../../components/internal/arn";
import { PolicyDocument } from "./snapshot";

/**
 * A small, semantic reader of IAM policy documents: enough to answer "may this
 * principal do this action on this resource" and "who may assume this role,
 * under which conditions", whatever the document's spelling (string or list,
 * wildcards, statement object or array). It is not a full IAM evaluator:
 * conditions on permission statements are assumed to hold.
 */

/** One normalised statement. */
export interface Statement {
    effect: "Allow" | "Deny";
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    /** Principal type (`AWS`, `Service`, `Federated`, `*`) to values. */
    principals?: Record<string, string[]>;
    /** Operator -> condition key (lower-cased) -> values. */
    conditions: Record<string, Record<string, string[]>>;
    index: number;
}

/** The statements of a document, normalised. Malformed entries are skipped. */
export function statementsOf(doc: PolicyDocument): Statement[] {
    const raw = doc.Statement;
    const list = Array.isArray(raw) ? raw : raw && typeof raw === "object" ? [raw] : [];
    const out: Statement[] = [];
    list.forEach((s: unknown, index: number) => {
        if (!s || typeof s !== "object") {
            return;
        }
        const st = s as Record<string, unknown>;
        const effect = st.Effect === "Deny" ? "Deny" : st.Effect === "Allow" ? "Allow" : undefined;
        if (!effect) {
            return;
        }
        const conditions: Statement["conditions"] = {};
        if (st.Condition && typeof st.Condition === "object") {
            for (const [op, block] of Object.entries(st.Condition as Record<string, unknown>)) {
                if (!block || typeof block !== "object") {
                    continue;
                }
                const keys: Record<string, string[]> = {};
                for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
                    keys[key.toLowerCase()] = strings(values) ?? [];
                }
                conditions[op] = keys;
            }
        }
        out.push({
            effect,
            index,
            conditions,
            ...optional("actions", strings(st.Action)),
            ...optional("notActions", strings(st.NotAction)),
            ...optional("resources", strings(st.Resource)),
            ...optional("notResources", strings(st.NotResource)),
            ...optional("principals", principals(st.Principal)),
        });
    });
    return out;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
    return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function strings(value: unknown): string[] | undefined {
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.filter((v): v is string => typeof v === "string");
    }
    return undefined;
}

function principals(value: unknown): Record<string, string[]> | undefined {
    if (value === "*") {
        return { "*": ["*"] };
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
        return undefined;
    }
    const out: Record<string, string[]> = {};
    for (const [type, v] of Object.entries(value as Record<string, unknown>)) {
        out[type] = strings(v) ?? [];
    }
    return out;
}

/** IAM wildcard match: `*` any run, `?` one character. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
    const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${escaped}$`, caseInsensitive ? "is" : "s").test(value);
}

function actionApplies(st: Statement, action: string): boolean {
    if (st.actions) {
        return st.actions.some(p => wildcardMatch(p, action, true));
    }
    if (st.notActions) {
        return !st.notActions.some(p => wildcardMatch(p, action, true));
    }
    return false;
}

function resourceApplies(st: Statement, resource: string): boolean {
    if (st.resources) {
        return st.resources.some(p => wildcardMatch(p, resource));
    }
    if (st.notResources) {
        return !st.notResources.some(p => wildcardMatch(p, resource));
    }
    return false;
}

/**
 * Whether the documents together allow `action` on `resource`: some Allow
 * applies and no Deny does. For `resource` `"*"` only a statement whose
 * Resource is itself `*` counts (actions without resource-level permissions).
 */
export function isAllowed(docs: readonly PolicyDocument[], action: string, resource: string): boolean {
    const all = docs.flatMap(statementsOf);
    const applies = (st: Statement): boolean => actionApplies(st, action) && (resource === "*"
        ? (st.resources?.includes("*") ?? false) || (st.notResources !== undefined && st.notResources.length === 0)
        : resourceApplies(st, resource));
    return all.some(st => st.effect === "Allow" && applies(st)) && !all.some(st => st.effect === "Deny" && applies(st));
}

/** A finding about a trust policy. */
export interface TrustProblem {
    severity: "fail" | "warn";
    text: string;
}

/** What a registrar role's trust policy should say. */
export interface ExpectedTrust {
    /** The cluster's account. */
    accountId: string;
    /** The cluster's controller role (the only principal that should assume). */
    controllerRoleArn: string;
    /** The external ID; undefined when the outputs hide it (`[secret]`). */
    externalId?: string;
}

const ArnOperators = ["StringEquals", "StringLike", "ArnEquals", "ArnLike"];
const ExternalIdOperators = ["StringEquals", "StringLike"];

function conditionValues(st: Statement, operators: string[], key: string): string[] | undefined {
    let found: string[] | undefined;
    for (const op of operators) {
        const values = st.conditions[op]?.[key.toLowerCase()];
        if (values) {
            found = [...(found ?? []), ...values];
        }
    }
    return found;
}

function describePrincipals(st: Statement): string {
    const all = Object.entries(st.principals ?? {}).flatMap(([type, values]) => values.map(v => (type === "*" ? "*" : `${type}:${v}`)));
    return all.length > 0 ? all.join(", ") : "(no principal)";
}

/**
 * Judges a registrar role's trust policy: some statement must let the
 * cluster's account assume the role (`sts:AssumeRole`), only as the
 * controller role (`aws:PrincipalArn`, or the role itself as principal) and
 * only with the external ID (`sts:ExternalId`). Other statements allowing
 * `sts:AssumeRole` are reported as warnings.
 */
export function evaluateTrust(doc: PolicyDocument, expected: ExpectedTrust): TrustProblem[] {
    const granting = statementsOf(doc).filter(st => st.effect === "Allow" && actionApplies(st, "sts:AssumeRole"));
    // The account's root in the partition of the ARNs the outputs hold.
    const rootArn = accountRootArn(arnPartition(expected.controllerRoleArn), expected.accountId);
    const reasons: TrustProblem[] = [];
    const good: Statement[] = [];
    for (const st of granting) {
        const aws = [...(st.principals?.AWS ?? []), ...(st.principals?.["*"] ?? [])];
        const viaRole = aws.includes(expected.controllerRoleArn);
        const viaAccount = aws.some(p => p === "*" || p === rootArn || p === expected.accountId);
        if (!viaRole && !viaAccount) {
            continue;
        }
        const problems: TrustProblem[] = [];
        if (!viaRole) {
            const principalArns = conditionValues(st, ArnOperators, "aws:PrincipalArn");
            if (!principalArns || principalArns.length === 0) {
                problems.push({ severity: "fail", text: `trusts ${describePrincipals(st)} without an aws:PrincipalArn condition, so any role there may assume it` });
            } else if (!principalArns.some(v => wildcardMatch(v, expected.controllerRoleArn))) {
                problems.push({ severity: "fail", text: `aws:PrincipalArn condition ${JSON.stringify(principalArns)} does not match the controller role ${expected.controllerRoleArn}` });
            } else if (principalArns.some(v => v !== expected.controllerRoleArn)) {
                problems.push({ severity: "warn", text: `aws:PrincipalArn condition ${JSON.stringify(principalArns)} admits more than the controller role ${expected.controllerRoleArn}` });
            }
        }
        const externalIds = conditionValues(st, ExternalIdOperators, "sts:ExternalId");
        if (!externalIds || externalIds.length === 0) {
            problems.push({ severity: "fail", text: "has no sts:ExternalId condition" });
        } else if (expected.externalId === undefined) {
            problems.push({ severity: "warn", text: "external ID not compared: the outputs hide it as [secret]" });
        } else if (!externalIds.some(v => wildcardMatch(v, expected.externalId as string))) {
            problems.push({ severity: "fail", text: `sts:ExternalId condition ${JSON.stringify(externalIds)} does not match the external ID in the outputs` });
        }
        if (problems.every(p => p.severity === "warn")) {
            good.push(st);
        }
        reasons.push(...problems);
    }
    if (good.length === 0) {
        if (reasons.length === 0) {
            return [{ severity: "fail", text: `no statement allows sts:AssumeRole for account ${expected.accountId} (controller role ${expected.controllerRoleArn})` }];
        }
        return reasons.filter(r => r.severity === "fail").concat(reasons.filter(r => r.severity === "warn"));
    }
    const extra = granting.filter(st => !good.includes(st));
    return [
        ...reasons.filter(r => r.severity === "warn"),
        ...extra.map(st => ({ severity: "fail" as const, text: `statement ${st.index + 1} also allows sts:AssumeRole for ${describePrincipals(st)}` })),
    ];
}

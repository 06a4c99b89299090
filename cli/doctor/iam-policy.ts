import { accountRootArn, arnPartition, OidcProviderArnPattern, IrsaAudience, normalizeIssuer } from "../../components/internal";
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
    /** `NotPrincipal`, in the same form. */
    notPrincipals?: Record<string, string[]>;
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
            ...optional("notPrincipals", principals(st.NotPrincipal)),
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
    const escaped = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${escaped}$`, caseInsensitive ? "is" : "s").test(value);
}

/** Whether the statement's Action (or NotAction) covers `action`. */
export function actionApplies(st: Statement, action: string): boolean {
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
    const applies = (st: Statement): boolean =>
        actionApplies(st, action) &&
        (resource === "*"
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
 * Judges a registrar role's trust policy against the one shared-alb writes
 * (`registrarTrustPolicy`): one statement lets the cluster's account assume
 * the role (`sts:AssumeRole` and nothing else), only as the controller role
 * (`aws:PrincipalArn`, or the role itself as principal) and only with the
 * external ID (`sts:ExternalId`), each condition one exact value. Anything
 * wider fails: another statement that allows anything, `NotAction` or
 * `NotPrincipal`, principal `*`, a wildcard or a second value in a
 * condition. The only warning: the outputs hide the external ID.
 */
export function evaluateTrust(doc: PolicyDocument, expected: ExpectedTrust): TrustProblem[] {
    const allows = statementsOf(doc).filter(st => st.effect === "Allow");
    const rootArn = accountRootArn(arnPartition(expected.controllerRoleArn), expected.accountId);
    const judged = allows
        .filter(st => actionApplies(st, "sts:AssumeRole"))
        .map(st => ({ st, problems: judgeTrustStatement(st, expected, rootArn) }))
        .filter((j): j is { st: Statement; problems: TrustProblem[] } => j.problems !== undefined);
    const good = judged.filter(j => j.problems.every(p => p.severity === "warn"));
    if (good.length === 0) {
        const reasons = judged.flatMap(j => j.problems);
        if (reasons.length === 0) {
            return [
                {
                    severity: "fail",
                    text: `no statement allows sts:AssumeRole for account ${expected.accountId} (controller role ${expected.controllerRoleArn})`,
                },
            ];
        }
        return reasons.filter(r => r.severity === "fail").concat(reasons.filter(r => r.severity === "warn"));
    }
    const [kept] = good;
    return [
        ...kept.problems,
        ...allows
            .filter(st => st !== kept.st)
            .map(st => ({
                severity: "fail" as const,
                text: `statement ${st.index + 1} also allows ${describeActions(st)} for ${describePrincipals(st)}`,
            })),
    ];
}

function describeActions(st: Statement): string {
    return st.actions ? st.actions.join(", ") : `every action but ${(st.notActions ?? []).join(", ")} (NotAction)`;
}

/**
 * The problems of one statement that allows `sts:AssumeRole`, or undefined
 * when it is not about the cluster's account at all (then it is an extra
 * statement).
 */
function judgeTrustStatement(st: Statement, expected: ExpectedTrust, rootArn: string): TrustProblem[] | undefined {
    const aws = [...(st.principals?.AWS ?? []), ...(st.principals?.["*"] ?? [])];
    const viaRole = aws.includes(expected.controllerRoleArn);
    const viaAccount = aws.some(p => p === "*" || p === rootArn || p === expected.accountId);
    if (!viaRole && !viaAccount && st.notPrincipals === undefined) {
        return undefined;
    }
    const problems: TrustProblem[] = [];
    const fail = (text: string): void => void problems.push({ severity: "fail", text });
    if (st.notPrincipals !== undefined) {
        fail(`statement ${st.index + 1} uses NotPrincipal: it trusts every principal but ${describeNotPrincipals(st)}`);
    }
    if (aws.includes("*")) {
        fail(`statement ${st.index + 1} trusts "*" (every AWS account), not account ${expected.accountId} alone`);
    }
    const otherActions = st.actions ? st.actions.filter(a => a.toLowerCase() !== "sts:assumerole") : undefined;
    if (st.notActions !== undefined || (otherActions !== undefined && otherActions.length > 0)) {
        fail(
            `statement ${st.index + 1} allows ${st.notActions !== undefined ? `every action but ${JSON.stringify(st.notActions)} (NotAction)` : JSON.stringify(otherActions)} besides sts:AssumeRole`,
        );
    }
    if (!viaRole) {
        problems.push(...principalArnProblems(st, expected));
    }
    problems.push(...externalIdProblems(st, expected));
    return problems;
}

function describeNotPrincipals(st: Statement): string {
    return (
        Object.entries(st.notPrincipals ?? {})
            .flatMap(([type, values]) => values.map(v => `${type}:${v}`))
            .join(", ") || "(none)"
    );
}

function principalArnProblems(st: Statement, expected: ExpectedTrust): TrustProblem[] {
    const principalArns = conditionValues(st, ArnOperators, "aws:PrincipalArn");
    if (!principalArns || principalArns.length === 0) {
        return [
            {
                severity: "fail",
                text: `trusts ${describePrincipals(st)} without an aws:PrincipalArn condition, so any role there may assume it`,
            },
        ];
    }
    if (!principalArns.some(v => wildcardMatch(v, expected.controllerRoleArn))) {
        return [
            {
                severity: "fail",
                text: `aws:PrincipalArn condition ${JSON.stringify(principalArns)} does not match the controller role ${expected.controllerRoleArn}`,
            },
        ];
    }
    if (principalArns.some(v => v !== expected.controllerRoleArn)) {
        return [
            {
                severity: "fail",
                text: `aws:PrincipalArn condition ${JSON.stringify(principalArns)} admits more than the controller role ${expected.controllerRoleArn}`,
            },
        ];
    }
    return [];
}

function externalIdProblems(st: Statement, expected: ExpectedTrust): TrustProblem[] {
    const externalIds = conditionValues(st, ExternalIdOperators, "sts:ExternalId");
    if (!externalIds || externalIds.length === 0) {
        return [{ severity: "fail", text: "has no sts:ExternalId condition" }];
    }
    if (
        externalIds.some(v => /[*?]/.test(v) && conditionValues(st, ["StringLike"], "sts:ExternalId")?.includes(v)) ||
        externalIds.length > 1
    ) {
        return [{ severity: "fail", text: `sts:ExternalId condition ${JSON.stringify(externalIds)} admits more than one external ID` }];
    }
    if (expected.externalId === undefined) {
        return [{ severity: "warn", text: "external ID not compared: the outputs hide it as [secret]" }];
    }
    if (externalIds[0] !== expected.externalId) {
        return [
            {
                severity: "fail",
                text: `sts:ExternalId condition ${JSON.stringify(externalIds)} does not match the external ID in the outputs`,
            },
        ];
    }
    return [];
}

/**
 * Judges a controller role's trust policy against the IRSA trust shared-alb
 * writes (`controllerTrustPolicy`): one statement lets an OIDC provider of
 * the cluster's account assume the role with
 * `sts:AssumeRoleWithWebIdentity` and nothing else, for exactly one service
 * account (`<issuer>:sub` equal to `system:serviceaccount:<namespace>:<name>`)
 * and the STS audience (`<issuer>:aud`). Every departure that lets more in
 * is a failure.
 */
export function evaluateControllerTrust(doc: PolicyDocument, accountId: string): TrustProblem[] {
    const allows = statementsOf(doc).filter(st => st.effect === "Allow");
    const isIrsa = (st: Statement): boolean =>
        (st.principals?.Federated ?? []).some(p => OidcProviderArnPattern.test(p) && p.split(":")[4] === accountId);
    const kept = allows.find(st => isIrsa(st) && actionApplies(st, "sts:AssumeRoleWithWebIdentity"));
    if (kept === undefined) {
        return [
            {
                severity: "fail",
                text: `no statement lets an OIDC provider of account ${accountId} assume it with sts:AssumeRoleWithWebIdentity`,
            },
        ];
    }
    const problems: TrustProblem[] = allows
        .filter(st => st !== kept)
        .map(st => ({
            severity: "fail",
            text: `statement ${st.index + 1} also allows ${describeActions(st)} for ${describePrincipals(st)}`,
        }));
    const fail = (text: string): void => void problems.push({ severity: "fail", text });
    const where = `statement ${kept.index + 1}`;
    const providers = kept.principals?.Federated ?? [];
    if (providers.length > 1 || Object.keys(kept.principals ?? {}).some(type => type !== "Federated")) {
        fail(`${where} trusts ${describePrincipals(kept)}, not one OIDC provider alone`);
    }
    if (kept.notActions !== undefined || (kept.actions ?? []).some(a => a.toLowerCase() !== "sts:assumerolewithwebidentity")) {
        fail(`${where} allows ${describeActions(kept)}, not sts:AssumeRoleWithWebIdentity alone`);
    }
    const issuer = normalizeIssuer(providers[0].slice(providers[0].indexOf("oidc-provider/") + "oidc-provider/".length));
    const sub = kept.conditions.StringEquals?.[`${issuer}:sub`.toLowerCase()];
    const subLike = kept.conditions.StringLike?.[`${issuer}:sub`.toLowerCase()];
    if (sub === undefined && subLike === undefined) {
        fail(`${where} has no ${issuer}:sub condition: any service account of the cluster may assume it`);
    } else if (subLike !== undefined || sub?.length !== 1 || !/^system:serviceaccount:[^:*?]+:[^:*?]+$/.test(sub[0])) {
        fail(
            `${where}: ${issuer}:sub condition ${JSON.stringify([...(sub ?? []), ...(subLike ?? [])])} admits more than one service account`,
        );
    }
    const aud = kept.conditions.StringEquals?.[`${issuer}:aud`.toLowerCase()];
    if (aud === undefined || aud.length !== 1 || aud[0] !== IrsaAudience) {
        fail(`${where}: ${issuer}:aud condition is ${aud === undefined ? "missing" : JSON.stringify(aud)}, not "${IrsaAudience}" alone`);
    }
    return problems;
}

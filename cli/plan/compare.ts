/**
 * `plan --compare`: what the planned fleet creates, updates, replaces and
 * deletes against an earlier snapshot (a `plan --json` or `pulumi stack
 * export`), and which of those changes hurt a fleet that serves traffic. Pure.
 */
import { SecretText } from "./secrets";
import { resourceLabel as label, SnapshotFormat, SnapshotResource, SnapshotStack } from "./snapshot";
import { formatPath, ImmutableFields, pathContains, ReplaceRules, replacingProperties, valuesAt } from "./replace-on";
import { trafficChecks } from "./compare-traffic";
import { landingChecks } from "./compare-landing";
import { own, isRecord } from "../../components/internal";

export interface CompareOptions {
    /**
     * Flag a forward action in which a target group's share of the traffic
     * moves by more than this many percentage points.
     * @default no limit
     */
    maxShift?: number;
}

export type ChangeKind = "create" | "update" | "replace" | "delete";

/** One resource that changes. */
export interface ResourceChange {
    kind: ChangeKind;
    urn: string;
    type: string;
    name: string;
    /** The input property paths that differ (update and replace). */
    paths: string[];
    /** Why it is replaced: the replacing properties, `provider` when its provider is replaced. */
    replaceOn: string[];
    /** Replaced by deleting the old one first. */
    deleteBeforeReplace: boolean;
}

/** `compared`: against its BEFORE; `new`: absent from a BEFORE plan of the fleet; `not-compared`: no BEFORE for it. */
export type StackStatus = "compared" | "new" | "not-compared";

export interface StackComparison {
    stack: string;
    status: StackStatus;
    /** The file and format of its BEFORE. */
    before?: { file: string; format: SnapshotFormat };
    /** Creates, updates, replaces, deletes; each group by URN. */
    changes: ResourceChange[];
    unchanged: number;
}

/** The kinds of change that hurt a fleet serving traffic. */
export const FlagKinds = [
    "load-balancer-replaced",
    "load-balancer-deleted",
    "alb-security-group-replaced",
    "alb-security-group-deleted",
    "weighted-target-group-replaced",
    "weighted-target-group-deleted",
    "new-target-group-weighted",
    "request-destination-changed",
    "binding-immutable-field-updated",
    "binding-replaced-create-first",
    "cluster-removed-without-retiring",
    "eks-cluster-replaced",
    "eks-cluster-deleted",
    "namespace-deleted",
    "rule-priority-changed",
    "rule-priority-in-use",
    "weight-shift",
    "no-replace-rule",
] as const;
export type FlagKind = (typeof FlagKinds)[number];

/** One change that hurts, with the reason and the safe way to get there. */
export interface Flag {
    stack: string;
    /** The resource it is about, when it is about one. */
    urn?: string;
    kind: FlagKind;
    message: string;
    reason: string;
    safe: string;
}

export interface Comparison {
    stacks: StackComparison[];
    flags: Flag[];
}

/** What the flag checks see: both sides of every compared stack and the changes found. */
export interface CompareContext {
    before: Map<string, SnapshotStack>;
    after: SnapshotStack[];
    changes: Map<string, ResourceChange>;
    options: CompareOptions;
}

const KindOrder: Record<ChangeKind, number> = { create: 0, update: 1, replace: 2, delete: 3 };

/**
 * Compares the planned stacks (`after`) with the BEFORE snapshots, matched
 * by stack name. Replacement is judged by the replace-on table, the
 * resources' `replaceOnChanges` and their providers'; a replaced resource's
 * provider-computed values (IDs, ARNs) count as unknown in what refers to
 * them, so replacements cascade as they would in a deployment.
 */
export function compareFleet(before: SnapshotStack[], after: SnapshotStack[], options: CompareOptions = {}): Comparison {
    const byName = stacksByName(before);
    const pairs = after.filter(s => byName.has(s.stack)).map(s => ({ after: s, before: byName.get(s.stack)! }));
    return compareChanges(before, after, judgeChanges(pairs, byName), options);
}

/**
 * Runs the checks of {@link compareFleet} on changes taken as given (by URN,
 * e.g. the engine's own steps from `pulumi preview --json`) instead of
 * judging them from the inputs and the replace-on table.
 */
export function compareChanges(
    before: SnapshotStack[],
    after: SnapshotStack[],
    judged: Map<string, ResourceChange>,
    options: CompareOptions = {},
): Comparison {
    const byName = stacksByName(before);
    const fleetPlanGiven = before.some(s => s.format === "plan");
    const stacks: StackComparison[] = after.map(s => {
        const b = byName.get(s.stack);
        if (b === undefined) {
            const status: StackStatus = fleetPlanGiven ? "new" : "not-compared";
            const changes = status === "new" ? s.resources.filter(r => !r.read).map(r => change("create", r)) : [];
            changes.forEach(c => judged.set(c.urn, c));
            return { stack: s.stack, status, changes: sortChanges(changes), unchanged: 0 };
        }
        const changes = [...judged.values()].filter(c => stackOf(c.urn) === s.stack);
        const managed = new Set([...s.resources, ...b.resources].filter(r => !r.read).map(r => r.urn));
        return {
            stack: s.stack,
            status: "compared",
            before: { file: b.file, format: b.format },
            changes: sortChanges(changes),
            unchanged: managed.size - changes.length,
        };
    });
    const context: CompareContext = { before: byName, after, changes: judged, options };
    const order = new Map(after.map((s, i) => [s.stack, i]));
    const flags = [...resourceChecks(context), ...trafficChecks(context), ...landingChecks(context)].sort(
        (a, b) =>
            (order.get(a.stack) ?? 0) - (order.get(b.stack) ?? 0) ||
            compareText(a.urn ?? "", b.urn ?? "") ||
            FlagKinds.indexOf(a.kind) - FlagKinds.indexOf(b.kind) ||
            compareText(a.message, b.message),
    );
    return { stacks, flags };
}

/** The BEFORE stacks by name; throws when two files hold the same stack. */
function stacksByName(before: SnapshotStack[]): Map<string, SnapshotStack> {
    const byName = new Map<string, SnapshotStack>();
    for (const s of before) {
        if (byName.has(s.stack)) {
            throw new Error(`stack ${s.stack} is in two BEFORE files: ${byName.get(s.stack)!.file} and ${s.file}`);
        }
        byName.set(s.stack, s);
    }
    return byName;
}

/** Which URNs of the compared stacks are created, updated, replaced or deleted, iterated until replacements settle. */
function judgeChanges(
    pairs: { before: SnapshotStack; after: SnapshotStack }[],
    before: Map<string, SnapshotStack>,
): Map<string, ResourceChange> {
    let replaced = new Set<string>();
    let result = new Map<string, ResourceChange>();
    for (let round = 0; round < 20; round++) {
        const substitute = substituter(valueSubstitutions(pairs, replaced, before));
        result = new Map();
        for (const { before: b, after: a } of pairs) {
            const eq = equality(b.format === "export" ? a.assumedValues : []);
            const old = new Map(b.resources.filter(r => !r.read).map(r => [r.urn, r]));
            for (const r of a.resources.filter(x => !x.read)) {
                const was = old.get(r.urn);
                if (was === undefined) {
                    result.set(r.urn, change("create", r));
                    continue;
                }
                old.delete(r.urn);
                const judged = judgeUpdate(was, r, substitute(r.inputs), replaced, eq, b.format);
                if (judged !== undefined) {
                    result.set(r.urn, judged);
                }
            }
            for (const r of old.values()) {
                result.set(r.urn, change("delete", r));
            }
        }
        const now = new Set([...result.values()].filter(c => c.kind === "replace").map(c => c.urn));
        if (now.size === replaced.size && [...now].every(u => replaced.has(u))) {
            break;
        }
        replaced = now;
    }
    return result;
}

/** An update or replacement of a resource present on both sides, or undefined when nothing changes. */
function judgeUpdate(
    was: SnapshotResource,
    is: SnapshotResource,
    inputs: Record<string, unknown>,
    replaced: Set<string>,
    eq: Equality,
    format: SnapshotFormat,
): ResourceChange | undefined {
    const provider = is.type.startsWith("pulumi:providers:");
    const [oldInputs, newInputs] = provider ? [stringScalars(was.inputs), stringScalars(inputs)] : [was.inputs, inputs];
    const paths = diffPaths(oldInputs, newInputs, eq, format === "export").filter(
        p => !is.ignoreChanges.some(ignored => pathContains(ignored, p)),
    );
    const replaceOn: string[] = [];
    if (was.provider !== is.provider || (is.provider !== undefined && replaced.has(is.provider))) {
        replaceOn.push("provider");
    }
    const rule = own(ReplaceRules, is.type);
    if (rule !== undefined && rule.kind !== "component") {
        replaceOn.push(...replacingProperties(rule, oldInputs, newInputs, is.replaceOnChanges, (x, y) => eq.same(x, y)));
    } else if (rule === undefined && paths.length > 0) {
        replaceOn.push(...is.replaceOnChanges.filter(r => paths.some(p => pathContains(r, p))));
    }
    if (paths.length === 0 && replaceOn.length === 0) {
        return undefined;
    }
    return { ...change(replaceOn.length > 0 ? "replace" : "update", is), paths, replaceOn };
}

function change(kind: ChangeKind, r: SnapshotResource): ResourceChange {
    return { kind, urn: r.urn, type: r.type, name: r.name, paths: [], replaceOn: [], deleteBeforeReplace: r.deleteBeforeReplace };
}

function sortChanges(changes: ResourceChange[]): ResourceChange[] {
    return [...changes].sort((a, b) => KindOrder[a.kind] - KindOrder[b.kind] || compareText(a.urn, b.urn));
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function stackOf(urn: string): string {
    return urn.split("::")[0].slice("urn:pulumi:".length);
}

// --- Values the plan made up -------------------------------------------------------------------

/** Marks a value that a replacement will change: a deployment only learns it then. */
function unknownAfterReplace(urn: string, path: string): string {
    return `<new ${path} of ${urn}>`;
}

/**
 * What to put in place of planned values in the inputs of AFTER: a
 * resource's provider-computed values (its ID, ARN, ...) stand for the ones
 * it has in BEFORE when it is kept (the plan's fakes, or a real export's
 * values), and become unknown when it is replaced. Stack references read a
 * stack that is not in BEFORE: its ARNs that name the same resource stand for
 * BEFORE's.
 */
function valueSubstitutions(
    pairs: { before: SnapshotStack; after: SnapshotStack }[],
    replaced: Set<string>,
    before: Map<string, SnapshotStack>,
): Map<string, string> {
    const out = new Map<string, string>();
    for (const { before: b, after: a } of pairs) {
        const old = new Map(b.resources.map(r => [r.urn, r]));
        for (const r of a.resources) {
            const was = old.get(r.urn);
            if (was === undefined) {
                continue;
            }
            if (r.type === "pulumi:pulumi:StackReference") {
                const referenced = String(r.inputs.name ?? r.name)
                    .split("/")
                    .pop()!;
                if (!before.has(referenced)) {
                    sameResourceArns(was.outputs.outputs, r.outputs.outputs, out);
                }
                continue;
            }
            if (r.read) {
                continue;
            }
            for (const [path, value] of computedValues(r)) {
                const old = path === "id" ? was.id : valuesAt(was.outputs, path)[0];
                if (replaced.has(r.urn)) {
                    out.set(value, unknownAfterReplace(r.urn, path));
                } else if (typeof old === "string" && old !== value) {
                    out.set(value, old);
                }
            }
        }
    }
    return out;
}

/** A resource's values that its provider computed: output strings (and the ID) that none of its inputs holds. */
function computedValues(r: SnapshotResource): [string, string][] {
    const given = new Set<string>();
    walk(r.inputs, [], (_, v) => {
        if (typeof v === "string") {
            given.add(v);
        }
    });
    const out: [string, string][] = [];
    if (r.id !== undefined && !given.has(r.id)) {
        out.push(["id", r.id]);
    }
    walk(r.outputs, [], (path, v) => {
        if (typeof v === "string" && v.length >= 8 && v !== SecretText && !given.has(v)) {
            out.push([formatPath(path), v]);
        }
    });
    return out.filter(([, v]) => v.length >= 8);
}

/** Pairs ARNs at the same place that name the same resource (all but a random last segment), planned -> before. */
function sameResourceArns(before: unknown, after: unknown, out: Map<string, string>): void {
    const olds = new Map<string, unknown>();
    walk(before, [], (path, v) => olds.set(formatPath(path), v));
    walk(after, [], (path, v) => {
        const old = olds.get(formatPath(path));
        if (typeof v === "string" && typeof old === "string" && v !== old && v.startsWith("arn:") && arnIdentity(v) === arnIdentity(old)) {
            out.set(v, old);
        }
    });
}

function arnIdentity(arn: string): string {
    return arn.replace(/\/[0-9a-f]{8,}$/, "");
}

/** Replaces planned values (whole strings, or inside strings such as policy documents and kubeconfigs). */
function substituter(substitutions: Map<string, string>): (inputs: Record<string, unknown>) => Record<string, unknown> {
    const keys = [...substitutions.keys()].sort((a, b) => b.length - a.length);
    const one = (v: unknown): unknown => {
        if (typeof v === "string") {
            const whole = substitutions.get(v);
            if (whole !== undefined) {
                return whole;
            }
            let s = v;
            for (const k of keys) {
                if (s.includes(k)) {
                    s = s.split(k).join(substitutions.get(k)!);
                }
            }
            return s;
        }
        if (Array.isArray(v)) {
            return v.map(one);
        }
        if (isRecord(v)) {
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(x)]));
        }
        return v;
    };
    return inputs => (keys.length === 0 ? inputs : (one(inputs) as Record<string, unknown>));
}

// --- Equality and differences ------------------------------------------------------------------

interface Equality {
    same(before: unknown, after: unknown): boolean;
}

/**
 * Value equality as the compare sees it: secrets cannot be compared (taken
 * as unchanged), and against a stack export a planned string holding values
 * the plan made up matches any string with other values in their place.
 */
function equality(assumed: string[]): Equality {
    const sorted = [...assumed].filter(a => a.length > 0).sort((a, b) => b.length - a.length);
    const patterns = new Map<string, RegExp | undefined>();
    const pattern = (s: string): RegExp | undefined => {
        if (!patterns.has(s)) {
            const found = sorted.filter(a => s.includes(a));
            let re: RegExp | undefined;
            if (found.length > 0) {
                const escaped = found.map(escapeRegExp);
                const parts = s.split(new RegExp(`(?:${escaped.join("|")})`));
                re = new RegExp(`^${parts.map(escapeRegExp).join("[\\s\\S]+?")}$`);
            }
            patterns.set(s, re);
        }
        return patterns.get(s);
    };
    const same = (b: unknown, a: unknown): boolean => {
        if (b === SecretText || a === SecretText) {
            return true;
        }
        if ((b === undefined || b === null) && (a === undefined || a === null)) {
            return true;
        }
        if (typeof b === "string" && typeof a === "string") {
            return b === a || (pattern(a)?.test(b) ?? false);
        }
        if (Array.isArray(b) && Array.isArray(a)) {
            return b.length === a.length && b.every((x, i) => same(x, a[i]));
        }
        if (isRecord(b) && isRecord(a)) {
            const keys = new Set([...Object.keys(b), ...Object.keys(a)].filter(k => !k.startsWith("__")));
            return [...keys].every(k => same(own(b, k), own(a, k)));
        }
        return b === a;
    };
    return { same };
}

/**
 * The property paths where the inputs differ. Against a stack export, a
 * property only the state has is left out: the provider's `Check` fills in
 * defaults the program never set.
 */
function diffPaths(before: Record<string, unknown>, after: Record<string, unknown>, eq: Equality, lenientRemovals: boolean): string[] {
    const out: string[] = [];
    const visit = (b: unknown, a: unknown, path: (string | number)[]) => {
        if (eq.same(b, a)) {
            return;
        }
        if (Array.isArray(b) && Array.isArray(a) && b.length === a.length) {
            b.forEach((x, i) => visit(x, a[i], [...path, i]));
            return;
        }
        if (isRecord(b) && isRecord(a)) {
            for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
                if (k.startsWith("__") || (lenientRemovals && !Object.hasOwn(a, k))) {
                    continue;
                }
                visit(own(b, k), own(a, k), [...path, k]);
            }
            return;
        }
        out.push(formatPath(path));
    };
    visit(before, after, []);
    return out;
}

/** Provider configuration as strings (the engine stores it so). */
function stringScalars(inputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === "boolean" || typeof v === "number" ? String(v) : v]));
}

function walk(value: unknown, path: (string | number)[], visit: (path: (string | number)[], value: unknown) => void): void {
    if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, [...path, i], visit));
    } else if (isRecord(value)) {
        for (const [k, v] of Object.entries(value)) {
            walk(v, [...path, k], visit);
        }
    } else {
        visit(path, value);
    }
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

// --- Checks on single resources ----------------------------------------------------------------

/** The flags about one resource at a time: the ALB and its security group, bindings, clusters, namespaces, unknown types. */
function resourceChecks(ctx: CompareContext): Flag[] {
    const albSecurityGroups = albSecurityGroupIds(ctx.before);
    const flags: Flag[] = [];
    for (const c of ctx.changes.values()) {
        const stack = stackOf(c.urn);
        const seen: ChangeSeen = { was: ctx.before.get(stack)?.resources.find(r => r.urn === c.urn), albSecurityGroups };
        for (const check of ChangeChecks) {
            const found = check(c, seen);
            if (found !== undefined) {
                flags.push({ stack, urn: c.urn, ...found });
            }
        }
    }
    return flags;
}

/** The IDs of the security groups the ALBs had before. */
function albSecurityGroupIds(before: Map<string, SnapshotStack>): Set<string> {
    const ids = new Set<string>();
    for (const s of before.values()) {
        for (const r of s.resources.filter(x => x.type === "aws:lb/loadBalancer:LoadBalancer")) {
            for (const id of Array.isArray(r.inputs.securityGroups) ? r.inputs.securityGroups : []) {
                ids.add(String(id));
            }
        }
    }
    return ids;
}

/** What a check of one change sees besides the change: the resource before it, and the ALBs' security groups before. */
interface ChangeSeen {
    was: SnapshotResource | undefined;
    albSecurityGroups: Set<string>;
}

/** A flag about one change, before its stack and URN are added. */
type ChangeFlag = Pick<Flag, "kind" | "message" | "reason" | "safe">;

/** One check of one change: the flag it raises, if any. */
type ChangeCheck = (c: ResourceChange, seen: ChangeSeen) => ChangeFlag | undefined;

/** Whether the change replaces or deletes the resource. */
function gone(c: ResourceChange): boolean {
    return c.kind === "replace" || c.kind === "delete";
}

/** The resource and what happens to it: replaced (on which properties) or deleted. */
function what(c: ResourceChange): string {
    return `${label(c)} ${c.kind === "replace" ? `is replaced (${c.replaceOn.join(", ")})` : "is deleted"}`;
}

/** The pet ALB replaced or deleted. */
function loadBalancerGone(c: ResourceChange): ChangeFlag | undefined {
    if (c.type !== "aws:lb/loadBalancer:LoadBalancer" || !gone(c)) {
        return undefined;
    }
    return {
        kind: c.kind === "replace" ? "load-balancer-replaced" : "load-balancer-deleted",
        message: `${what(c)}: the pet ALB`,
        reason:
            c.kind === "replace"
                ? "a new ALB gets a new DNS name and ARN: every DNS alias, CDN origin and partner pointing at the old one breaks, and its listeners and rules are recreated"
                : "every service behind the pet ALB goes down with it (its protect option makes pulumi up refuse while it is set)",
        safe:
            c.kind === "replace"
                ? "keep the ALB's name, scheme (internal) and type; to move to another ALB, create it beside this one, move DNS, then retire this one"
                : "keep the ALB in the network config; to stop managing it, adopt it read-only (loadBalancer.existingArn) instead of removing it",
    };
}

/** The ALB's security group replaced or deleted. */
function albSecurityGroupGone(c: ResourceChange, { was, albSecurityGroups }: ChangeSeen): ChangeFlag | undefined {
    if (c.type !== "aws:ec2/securityGroup:SecurityGroup" || !gone(c) || was?.id === undefined || !albSecurityGroups.has(was.id)) {
        return undefined;
    }
    return {
        kind: c.kind === "replace" ? "alb-security-group-replaced" : "alb-security-group-deleted",
        message: `${what(c)}: the ALB's security group`,
        reason:
            "the ALB moves to a group with a new ID: the clusters' node security group rules allow the old ID until each cluster stack runs again, " +
            "so the targets are unreachable in between",
        safe: "keep the security group's name, description and VPC (its rules change in place); if it must change, add the new group to the ALB beside the old one first",
    };
}

/** A field the controller's webhook keeps immutable, updated in place. */
function immutableFieldUpdated(c: ResourceChange): ChangeFlag | undefined {
    const immutable = own(ImmutableFields, c.type) ?? [];
    const frozen = c.kind === "update" ? c.paths.filter(p => immutable.some(f => pathContains(f, p))) : [];
    if (frozen.length === 0) {
        return undefined;
    }
    return {
        kind: "binding-immutable-field-updated",
        message: `${label(c)} changes ${frozen.join(", ")} in place`,
        reason: `the controller's webhook refuses it ("TargetGroupBinding update may not change these fields"): the cluster stack's pulumi up fails and the binding stays on the old target group`,
        safe: `replace the binding instead: replaceOnChanges on ${immutable.join(", ")} with deleteBeforeReplace (ClusterAttachment sets both)`,
    };
}

/**
 * A Kubernetes object replaced by creating the new one first. The Kubernetes
 * provider deletes first by itself when the object's identity is what changes.
 */
function replacedCreateFirst(c: ResourceChange): ChangeFlag | undefined {
    const identity = own(ReplaceRules, c.type)?.replaceOn ?? [];
    if (!(
        c.kind === "replace" &&
        c.type.startsWith("kubernetes:") &&
        !c.deleteBeforeReplace &&
        c.replaceOn.length > 0 &&
        c.replaceOn.every(p => !identity.includes(p) && p !== "provider")
    )) {
        return undefined;
    }
    return {
        kind: "binding-replaced-create-first",
        message: `${label(c)} is replaced (${c.replaceOn.join(", ")}) by creating the new object before deleting the old`,
        reason: "the new object has the same name and namespace: creating it fails with AlreadyExists",
        safe: "set deleteBeforeReplace on it (ClusterAttachment does on its TargetGroupBindings)",
    };
}

/** An EKS cluster replaced or deleted. */
function eksClusterGone(c: ResourceChange): ChangeFlag | undefined {
    if (c.type !== "eks:index:Cluster" || !gone(c)) {
        return undefined;
    }
    return {
        kind: c.kind === "replace" ? "eks-cluster-replaced" : "eks-cluster-deleted",
        message: `${what(c)}: the EKS cluster`,
        reason: "the cluster and every workload in it are deleted; its target groups lose their targets",
        safe: "add a new cluster key beside it, weight it in, then remove the old one",
    };
}

/** A namespace deleted rather than forgotten. */
function namespaceGone(c: ResourceChange, { was }: ChangeSeen): ChangeFlag | undefined {
    if (c.type !== "kubernetes:core/v1:Namespace" || !gone(c) || was === undefined || was.retainOnDelete) {
        return undefined;
    }
    return {
        kind: "namespace-deleted",
        message: `${what(c)}: a namespace`,
        reason: "deleting a namespace deletes every object in it, the workloads behind the bindings included",
        safe: "keep retainNamespaces on (the default): the stack then forgets the namespace instead of deleting it",
    };
}

/** A change to a resource whose type has no replace-on rule. */
function noReplaceRule(c: ResourceChange): ChangeFlag | undefined {
    if (own(ReplaceRules, c.type) !== undefined || !(c.kind === "update" || c.kind === "replace")) {
        return undefined;
    }
    return {
        kind: "no-replace-rule",
        message: `${label(c)} (${c.type}) changes ${c.paths.join(", ")} and its type has no replace-on rule`,
        reason: "plan --compare cannot tell whether the change replaces it",
        safe: "add the type to the replace-on table (cli/plan/replace-on.ts) with its source, or review the change with pulumi preview",
    };
}

/** The checks of one change, in the order their flags are raised. */
const ChangeChecks: readonly ChangeCheck[] = [
    loadBalancerGone,
    albSecurityGroupGone,
    immutableFieldUpdated,
    replacedCreateFirst,
    eksClusterGone,
    namespaceGone,
    noReplaceRule,
];

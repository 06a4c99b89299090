import * as path from "path";
import { RecordedOptions, RecordedResource } from "./mock-runtime";
import { FleetPlan, StackPlan } from "./fleet";
import { SecretText, ValuePath, redact } from "./secrets";
import { own, isRecord } from "../../components/internal";
import { PrecedenceEntry, precedenceLines, precedenceOf, ListenerPrecedence } from "./overlaps";

/** One resource in `plan --json`. */
export interface JsonResource {
    urn: string;
    type: string;
    name: string;
    /** The (fake) ID of a custom resource; null for components. */
    id: string | null;
    /** Read with `Resource.get`: an existing resource the stack never creates, changes or deletes. */
    read: boolean;
    parent: string | null;
    provider: string | null;
    inputs: unknown;
    outputs: unknown;
    options: RecordedOptions;
}

/** One stack in `plan --json`. */
export interface JsonStack {
    stack: string;
    role: string;
    resources: JsonResource[];
    outputs: unknown;
    /**
     * Values the plan made up answering lookups of existing infrastructure
     * (an existing cluster's endpoint, issuer, CA...): a real deployment has
     * other values there. Sorted.
     */
    assumedValues: string[];
    /** For every two services whose listener rules overlap: a request both match, and the service whose rule answers it first. */
    precedence: PrecedenceEntry[];
}

/** The whole document `plan --json` prints. */
export interface JsonPlan {
    stacks: JsonStack[];
}

/**
 * The plan as `--json` prints it: resources sorted by URN, object keys
 * sorted, secrets as `"[secret]"`, so two runs give identical bytes.
 */
export function toJsonPlan(plan: FleetPlan): JsonPlan {
    return {
        stacks: plan.stacks.map(s => ({
            stack: s.stack,
            role: s.role,
            resources: [...s.resources]
                .sort((a, b) => compare(a.urn, b.urn))
                .map(r => ({
                    urn: r.urn,
                    type: r.type,
                    name: r.name,
                    id: r.id ?? null,
                    read: r.read,
                    parent: r.parent ?? null,
                    provider: r.provider ?? null,
                    inputs: redact(r.inputs),
                    outputs: redact(r.outputs, referenceSecretPaths(s, r)),
                    options: {
                        protect: r.options.protect,
                        dependsOn: [...r.options.dependsOn].sort(),
                        retainOnDelete: r.options.retainOnDelete,
                        deleteBeforeReplace: r.options.deleteBeforeReplace,
                        ignoreChanges: [...r.options.ignoreChanges],
                        replaceOnChanges: [...r.options.replaceOnChanges],
                    },
                })),
            outputs: redact(s.outputs, s.secretOutputPaths),
            assumedValues: [...s.assumedValues],
            precedence: stackPrecedence(s).flatMap(l => l.entries),
        })),
    };
}

/** The overlaps of a stack's listener rules, read from their registered inputs (secrets redacted); an error names the stack. */
export function stackPrecedence(s: StackPlan): ListenerPrecedence[] {
    const routing = s.resources
        .filter(r => r.type === "aws:lb/listener:Listener" || r.type === "aws:lb/listenerRule:ListenerRule")
        .map(r => ({ ...r, inputs: redact(r.inputs) as Record<string, unknown>, outputs: redact(r.outputs) as Record<string, unknown> }));
    try {
        return precedenceOf(routing);
    } catch (e) {
        throw new Error(`stack ${s.stack}: ${(e as Error).message}`);
    }
}

/**
 * For a stack reference, the paths of the referenced stack's secrets in its
 * state: each where the referenced program put it (a cluster's external ID,
 * not the whole `clusters`), as the engine keeps them.
 */
function referenceSecretPaths(s: StackPlan, r: StackPlan["resources"][number]): ValuePath[] {
    if (r.type !== "pulumi:pulumi:StackReference") {
        return [];
    }
    const name = typeof r.inputs.name === "string" ? r.inputs.name : r.name;
    const paths = own(s.referencedSecretPaths, name);
    return paths !== undefined ? paths.map(p => ["outputs", ...p]) : (own(s.referencedSecrets, name) ?? []).map(n => ["outputs", n]);
}

/** `plan --json` output text (with a trailing newline). */
export function renderJson(plan: FleetPlan): string {
    return `${JSON.stringify(toJsonPlan(plan), null, 2)}\n`;
}

/** Inputs worth showing on a tree line, in this order. */
const KeyInputs = [
    "name",
    "namePrefix",
    "internal",
    "loadBalancerType",
    "port",
    "protocol",
    "targetType",
    "priority",
    "fromPort",
    "toPort",
    "ipProtocol",
    "cidrIpv4",
    "chart",
    "version",
    "namespace",
    "weight",
] as const;

/** The short name of a type token: `aws:lb/targetGroup:TargetGroup` -> `TargetGroup`. */
export function shortType(type: string): string {
    if (type.startsWith("pulumi:providers:")) {
        return `provider:${type.slice("pulumi:providers:".length)}`;
    }
    const parts = type.split(":");
    return parts[parts.length - 1];
}

/** `ShortType:name` of a URN (`urn:pulumi:<stack>::<project>::<parent$type>::<name>`). */
export function urnLabel(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return urn;
    }
    const qualified = parts[2].split("$");
    return `${shortType(qualified[qualified.length - 1])}:${parts.slice(3).join("::")}`;
}

/** Types whose description says what they are for (security group rules: which targets a port range serves). */
const DescribedTypes = new Set([
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
]);

/**
 * A compact `key=value` list of a resource's identifying inputs (names,
 * ports, a rule's conditions next to its priority, weights...). `labels`
 * names target groups by ARN in forward actions (`blue:100 green:0`);
 * unlabelled ones show their name.
 */
export function keyInputs(inputs: Record<string, unknown>, type = "", labels: ReadonlyMap<string, string> = new Map()): string[] {
    const shown: string[] = [];
    const clean = redact(inputs) as Record<string, unknown>;
    for (const k of KeyInputs) {
        const v = clean[k];
        if (v !== undefined && v !== null && typeof v !== "object") {
            shown.push(`${k}=${typeof v === "string" && v !== SecretText ? JSON.stringify(v) : String(v)}`);
        }
        if (k === "priority") {
            const when = ruleConditions(clean.conditions);
            if (when !== undefined) {
                shown.push(`when=[${when}]`);
            }
        }
    }
    if (DescribedTypes.has(type) && typeof clean.description === "string") {
        shown.push(`description=${JSON.stringify(clean.description)}`);
    }
    const metadata = clean.metadata;
    if (isRecord(metadata)) {
        if (typeof metadata.namespace === "string") {
            shown.push(`namespace=${JSON.stringify(metadata.namespace)}`);
        }
        if (typeof metadata.name === "string") {
            shown.push(`name=${JSON.stringify(metadata.name)}`);
        }
    }
    const forward = forwardWeights(clean, labels);
    if (forward !== undefined) {
        shown.push(`forward=[${forward}]`);
    }
    const fixed = fixedResponse(clean);
    if (fixed !== undefined) {
        shown.push(`fixed=${fixed}`);
    }
    return shown;
}

/**
 * A listener rule's conditions: `host=a.example.com|b.example.com path=/api/*
 * x-shared-alb-cluster=blue source=203.0.113.0/24`; a secret header value
 * (one carrying the preview token) reads `[secret]`.
 */
function ruleConditions(conditions: unknown): string | undefined {
    if (!Array.isArray(conditions) || conditions.length === 0) {
        return undefined;
    }
    const parts: string[] = [];
    for (const c of conditions) {
        if (!isRecord(c)) {
            continue;
        }
        const values = (x: unknown) => (isRecord(x) && Array.isArray(x.values) ? x.values.map(String).join("|") : "?");
        if (c.hostHeader !== undefined) {
            parts.push(`host=${values(c.hostHeader)}`);
        }
        if (c.pathPattern !== undefined) {
            parts.push(`path=${values(c.pathPattern)}`);
        }
        if (isRecord(c.httpHeader)) {
            parts.push(`${String(c.httpHeader.httpHeaderName)}=${values(c.httpHeader)}`);
        }
        if (c.sourceIp !== undefined) {
            parts.push(`source=${values(c.sourceIp)}`);
        }
    }
    return parts.join(" ");
}

/** Weighted target groups of a listener / rule action, as `label:weight ...` (weight 0 included). */
function forwardWeights(inputs: Record<string, unknown>, labels: ReadonlyMap<string, string>): string | undefined {
    const actions = inputs.actions ?? inputs.defaultActions;
    if (!Array.isArray(actions)) {
        return undefined;
    }
    const parts: string[] = [];
    for (const action of actions) {
        if (!isRecord(action)) {
            continue;
        }
        const forward = action.forward;
        if (isRecord(forward) && Array.isArray(forward.targetGroups)) {
            for (const tg of forward.targetGroups) {
                if (isRecord(tg)) {
                    parts.push(`${labels.get(String(tg.arn)) ?? targetGroupName(tg.arn)}:${tg.weight ?? 1}`);
                }
            }
        } else if (typeof action.targetGroupArn === "string") {
            parts.push(`${labels.get(action.targetGroupArn) ?? targetGroupName(action.targetGroupArn)}:1`);
        }
    }
    return parts.length > 0 ? parts.join(" ") : undefined;
}

function fixedResponse(inputs: Record<string, unknown>): string | undefined {
    const actions = inputs.actions ?? inputs.defaultActions;
    if (!Array.isArray(actions)) {
        return undefined;
    }
    for (const action of actions) {
        if (isRecord(action) && isRecord(action.fixedResponse)) {
            return String(action.fixedResponse.statusCode);
        }
        if (isRecord(action) && isRecord(action.redirect)) {
            return `redirect:${String(action.redirect.port ?? "")}`;
        }
    }
    return undefined;
}

function targetGroupName(arn: unknown): string {
    if (typeof arn !== "string") {
        return "?";
    }
    const m = /:targetgroup\/([^/]+)\//.exec(arn);
    return m ? m[1] : arn;
}

/** The readable tree of one stack, with its summary line. */
export function renderStackTree(s: StackPlan): string[] {
    const lines: string[] = [];
    lines.push(`${s.stack} (${s.role}, account ${s.accountId}, ${s.region}, ${path.basename(s.file)})`);
    if (s.securePaths.length > 0) {
        lines.push(`  note: secure values cannot be decrypted offline; planned with a placeholder: ${s.securePaths.join(", ")}`);
    }
    const { roots, byParent } = resourceTree(s.resources);
    const labels = targetGroupLabels(s);
    const visit = (list: RecordedResource[], prefix: string) => {
        const sorted = treeOrder(list);
        sorted.forEach((r, i) => {
            const last = i === sorted.length - 1;
            lines.push(`${prefix}${last ? "└─ " : "├─ "}${resourceHead(r, labels)}`);
            const children = byParent.get(r.urn);
            if (children) {
                visit(children, `${prefix}${last ? "   " : "│  "}`);
            }
        });
    };
    visit(roots, "  ");
    const outputKeys = Object.keys(s.outputs).sort();
    if (outputKeys.length > 0) {
        lines.push(`  outputs: ${outputKeys.join(", ")}`);
    }
    lines.push(...precedenceLines(stackPrecedence(s)).map(l => `  ${l}`));
    lines.push(`  ${summaryLine(s.stack, [s])}`);
    return lines;
}

/** The stack's resources as a tree: those without a parent in the stack, and each resource's children, by parent URN. */
function resourceTree(resources: RecordedResource[]): { roots: RecordedResource[]; byParent: Map<string, RecordedResource[]> } {
    const byParent = new Map<string, RecordedResource[]>();
    const urns = new Set(resources.map(r => r.urn));
    const roots: RecordedResource[] = [];
    for (const r of resources) {
        if (r.parent !== undefined && urns.has(r.parent)) {
            const list = byParent.get(r.parent) ?? [];
            list.push(r);
            byParent.set(r.parent, list);
        } else {
            roots.push(r);
        }
    }
    return { roots, byParent };
}

/** Rules in evaluation order (by priority), everything else by type and name. */
function treeOrder(list: RecordedResource[]): RecordedResource[] {
    const priorityOf = (r: RecordedResource) => (typeof r.inputs.priority === "number" ? r.inputs.priority : undefined);
    return [...list].sort(
        (a, b) =>
            compare(a.type, b.type) ||
            (priorityOf(a) !== undefined && priorityOf(b) !== undefined ? priorityOf(a)! - priorityOf(b)! : 0) ||
            compare(a.name, b.name),
    );
}

/** One resource's line in the tree: its type and name, the marks of its options, its key inputs and what it comes after. */
function resourceHead(r: RecordedResource, labels: Map<string, string>): string {
    const marks: string[] = [];
    if (r.read) {
        marks.push("[read]");
    }
    if (r.options.protect) {
        marks.push("[protected]");
    }
    if (r.options.retainOnDelete) {
        marks.push("[retain]");
    }
    if (r.options.deleteBeforeReplace) {
        marks.push("[delete-before-replace]");
    }
    if (r.options.replaceOnChanges.length > 0) {
        marks.push(`[replace-on ${r.options.replaceOnChanges.join(" ")}]`);
    }
    const details = [...keyInputs(r.inputs, r.type, labels)];
    if (r.options.dependsOn.length > 0) {
        details.push(`after=[${[...r.options.dependsOn].map(urnLabel).sort().join(" ")}]`);
    }
    return [`${shortType(r.type)} ${r.name}`, ...marks, ...details].join("  ");
}

/**
 * Target group ARNs of a stack named by the cluster they belong to (their
 * `shared-alb:cluster` tag), so a forward reads `blue:100 green:0`.
 */
function targetGroupLabels(s: StackPlan): Map<string, string> {
    const labels = new Map<string, string>();
    for (const r of s.resources) {
        const tags = r.inputs.tags;
        const arn = isRecord(r.outputs) ? r.outputs.arn : undefined;
        if (
            r.type === "aws:lb/targetGroup:TargetGroup" &&
            typeof arn === "string" &&
            isRecord(tags) &&
            typeof tags["shared-alb:cluster"] === "string"
        ) {
            labels.set(arn, tags["shared-alb:cluster"]);
        }
    }
    return labels;
}

/** `<label>: N resources (a Type, b Type...), P protected` */
export function summaryLine(label: string, stacks: readonly StackPlan[]): string {
    const counts = new Map<string, number>();
    let total = 0;
    let protectedCount = 0;
    for (const s of stacks) {
        for (const r of s.resources) {
            total++;
            if (r.options.protect) {
                protectedCount++;
            }
            const t = shortType(r.type);
            counts.set(t, (counts.get(t) ?? 0) + 1);
        }
    }
    const byType = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))
        .map(([t, n]) => `${n} ${t}`)
        .join(", ");
    const stackWord = stacks.length > 1 ? `${stacks.length} stacks, ` : "";
    return `${label}: ${stackWord}${total} resource${total === 1 ? "" : "s"}${byType ? ` (${byType})` : ""}, ${protectedCount} protected`;
}

/** The default `plan` output: every stack's tree, then the fleet summary. */
export function renderTree(plan: FleetPlan): string {
    const out: string[] = [];
    for (const s of plan.stacks) {
        out.push(...renderStackTree(s), "");
    }
    out.push(summaryLine("fleet", plan.stacks));
    return `${out.join("\n")}\n`;
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

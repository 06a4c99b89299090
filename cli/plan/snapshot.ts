/**
 * One stack's resources, from an earlier `plan --json` or from the JSON of
 * `pulumi stack export`, in the one shape `plan --compare` compares. Pure.
 */
import { JsonPlan } from "./render";
import { isDefaultProvider, ReplaceRules } from "./replace-on";
import { SecretText } from "./secrets";
import { DocumentError, hasOwn, isRecord, own, parseJsonData, refuseReservedKeys, ConfigError } from "../../components/internal";

export { isRecord };
import { deploymentProblems, planDocumentProblems } from "./before-shape";

/** One resource of a snapshot. */
export interface SnapshotResource {
    urn: string;
    type: string;
    name: string;
    id?: string;
    parent?: string;
    /** The provider's URN (default providers left out). */
    provider?: string;
    /** An existing resource the stack only reads (`Resource.get`, `external` in a stack export). */
    read: boolean;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    replaceOnChanges: string[];
    ignoreChanges: string[];
}

/** Where a snapshot comes from: `plan --json`, `pulumi stack export`, or one side of `pulumi preview --json` (`shared-alb review`). */
export type SnapshotFormat = "plan" | "export" | "preview";

/** One stack's snapshot. */
export interface SnapshotStack {
    stack: string;
    project: string;
    format: SnapshotFormat;
    /** The file it was read from (empty for the current plan). */
    file: string;
    resources: SnapshotResource[];
    outputs: Record<string, unknown>;
    /** Values the plan made up for existing infrastructure (plans only). */
    assumedValues: string[];
}

/** A BEFORE file that is neither a `plan --json` document nor a `pulumi stack export`. */
export class SnapshotError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SnapshotError";
    }
}

/** Pulumi's signature key, and the signatures of secrets and resource references in state. */
const SigKey = "4dabf18193072939515e22adb298388d";
const SecretSig = "1b47061264138c4ac30d75fd1eb44270";
const ResourceReferenceSig = "5cf8f73096256a8f31e491e813e4eb8e";

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` split up. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.*)$/s.exec(urn);
    if (m === null) {
        return undefined;
    }
    const qualified = m[3].split("$");
    return { stack: m[1], project: m[2], type: qualified[qualified.length - 1], name: m[4] };
}

/** `ShortType name` of a resource, as the plan's tree prints it. */
export function resourceLabel(r: { type: string; name: string }): string {
    const parts = r.type.split(":");
    return `${r.type.startsWith("pulumi:providers:") ? `provider:${parts[2]}` : parts[parts.length - 1]} ${r.name}`;
}

/** The snapshots of the stacks of a `plan --json` document (the current plan, or an earlier one read back). */
export function planSnapshots(plan: JsonPlan, file = ""): SnapshotStack[] {
    return plan.stacks.map(s => ({
        stack: s.stack,
        project: projectOf(s.resources.map(r => r.urn)),
        format: "plan" as const,
        file,
        resources: s.resources.map(r => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            id: r.id ?? undefined,
            parent: r.parent ?? undefined,
            provider: r.provider ?? undefined,
            read: r.read === true || r.type === "pulumi:pulumi:StackReference",
            inputs: asRecord(r.inputs),
            outputs: asRecord(r.outputs),
            protect: r.options.protect,
            retainOnDelete: r.options.retainOnDelete,
            deleteBeforeReplace: r.options.deleteBeforeReplace,
            replaceOnChanges: r.options.replaceOnChanges ?? [],
            ignoreChanges: r.options.ignoreChanges ?? [],
        })),
        outputs: asRecord(s.outputs),
        assumedValues: s.assumedValues ?? [],
    }));
}

/**
 * Reads a BEFORE file: a `plan --json` document (every stack it holds), or
 * the JSON of `pulumi stack export` (one stack, named by its resources' URNs).
 * Secrets become `"[secret]"` as in a plan.
 */
export function readSnapshots(text: string, file: string): SnapshotStack[] {
    let doc: unknown;
    try {
        doc = parseJsonData(text);
        refuseReservedKeys(doc, "", { signatures: "allowed" });
    } catch (e) {
        throw e instanceof DocumentError ? new SnapshotError(`${file}: ${e.message}`) : e;
    }
    if (isRecord(doc) && hasOwn(doc, "stacks")) {
        refuseProblems(file, planDocumentProblems(doc));
        return planSnapshots(doc as unknown as JsonPlan, file);
    }
    if (isRecord(doc) && hasOwn(doc, "deployment")) {
        if (!isRecord(doc.deployment)) {
            refuseProblems(file, [
                new ConfigError("deployment", doc.deployment, "expected the deployment of `pulumi stack export`: an object with resources"),
            ]);
        }
        const deployment = doc.deployment as Record<string, unknown>;
        refuseProblems(file, deploymentProblems(deployment, "deployment"));
        return [exportSnapshot(deployment, file)];
    }
    // A deployment alone (no `deployment` key): recognised by its resources list or its manifest.
    if (isRecord(doc) && (Array.isArray(doc.resources) || isRecord(doc.manifest))) {
        refuseProblems(file, deploymentProblems(doc, ""));
        return [exportSnapshot(doc, file)];
    }
    throw new SnapshotError(
        `${file}: expected the output of \`shared-alb plan --json\` ({ "stacks": [...] }) ` +
            'or of `pulumi stack export` ({ "version": 3, "deployment": { "resources": [...] } })',
    );
}

/** Throws the shape problems of a BEFORE file, if any, as one `SnapshotError` naming the file and each path. */
function refuseProblems(file: string, problems: readonly ConfigError[]): void {
    if (problems.length === 1) {
        throw new SnapshotError(`${file}: ${problems[0].message}`);
    }
    if (problems.length > 1) {
        const shown = problems.slice(0, MaxProblemsShown).map(p => `  - ${p.message}`);
        const more = problems.length > MaxProblemsShown ? [`  (and ${problems.length - MaxProblemsShown} more)`] : [];
        throw new SnapshotError(`${file}: ${problems.length} problems:\n${[...shown, ...more].join("\n")}`);
    }
}

/** How many of a BEFORE file's shape problems are listed. */
const MaxProblemsShown = 20;

/** One stack from a deployment of `pulumi stack export`. */
function exportSnapshot(deployment: Record<string, unknown>, file: string): SnapshotStack {
    const raw = (Array.isArray(deployment.resources) ? deployment.resources : []).filter(isRecord);
    const urns = raw.map(r => String(r.urn ?? ""));
    const parsed = urns.map(parseUrn);
    const stacks = [...new Set(parsed.filter(p => p !== undefined).map(p => p!.stack))];
    if (stacks.length !== 1) {
        throw new SnapshotError(
            `${file}: a stack export holds one stack; its resources name ${stacks.length === 0 ? "none" : stacks.join(", ")}`,
        );
    }
    const byUrn = new Map(raw.map(r => [String(r.urn), r]));
    // Children of a component whose children the offline plan cannot see (a multi-language component).
    const insideOpaque = (r: Record<string, unknown>): boolean => {
        for (let parent = byUrn.get(String(r.parent ?? "")); parent !== undefined; parent = byUrn.get(String(parent.parent ?? ""))) {
            if (own(ReplaceRules, String(parent.type))?.kind === "remote-component") {
                return true;
            }
        }
        return false;
    };
    const stackResource = raw.find(r => r.type === "pulumi:pulumi:Stack");
    const resources: SnapshotResource[] = [];
    for (const r of raw) {
        const type = String(r.type);
        const name = parseUrn(String(r.urn))?.name ?? "";
        if (type === "pulumi:pulumi:Stack" || isDefaultProvider(type, name) || r.delete === true || insideOpaque(r)) {
            continue;
        }
        const provider =
            typeof r.provider === "string" && r.provider !== "" ? r.provider.slice(0, r.provider.lastIndexOf("::")) : undefined;
        const providerName = provider !== undefined ? (parseUrn(provider)?.name ?? "") : "";
        resources.push({
            urn: String(r.urn),
            type,
            name,
            id: typeof r.id === "string" && r.id !== "" ? r.id : undefined,
            parent: typeof r.parent === "string" && r.parent !== "" ? r.parent : undefined,
            provider: provider !== undefined && !isDefaultProvider(parseUrn(provider)?.type ?? "", providerName) ? provider : undefined,
            read: r.external === true || type === "pulumi:pulumi:StackReference",
            inputs: asRecord(plainState(r.inputs)),
            outputs: asRecord(plainState(r.outputs)),
            protect: r.protect === true,
            retainOnDelete: r.retainOnDelete === true,
            // The state does not keep deleteBeforeReplace: it comes from the program.
            deleteBeforeReplace: false,
            replaceOnChanges: stringList(r.replaceOnChanges),
            ignoreChanges: stringList(r.ignoreChanges),
        });
    }
    return {
        stack: stacks[0],
        project: parsed.find(p => p !== undefined)!.project,
        format: "export",
        file,
        resources,
        outputs: asRecord(plainState(stackResource?.outputs)),
        assumedValues: [],
    };
}

/** State values as a plan shows them: secrets as `"[secret]"`, resource references as their URN. */
function plainState(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(plainState);
    }
    if (isRecord(value)) {
        if (value[SigKey] === SecretSig) {
            return SecretText;
        }
        if (value[SigKey] === ResourceReferenceSig) {
            return value.urn;
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainState(v)]));
    }
    return value;
}

function projectOf(urns: string[]): string {
    for (const urn of urns) {
        const p = parseUrn(urn);
        if (p !== undefined) {
            return p.project;
        }
    }
    return "";
}

/** The strings of a JSON list (nothing else: a document read from a file may hold anything). */
export function stringList(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A JSON object, or an empty one for anything else. */
export function asRecord(value: unknown): Record<string, unknown> {
    return isRecord(value) ? value : {};
}

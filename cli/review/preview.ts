/**
 * One stack's `pulumi preview --json` document (the engine's PreviewDigest,
 * pulumi/pulumi pkg/display/json.go) as the two snapshots `plan --compare`
 * compares, BEFORE (the steps' `oldState`) and AFTER (their `newState`), with
 * the changes the engine's step ops say, not derived from the inputs. Pure.
 */
import { ChangeKind, ResourceChange } from "../plan/compare";
import { formatPath, isDefaultProvider, valuesAt } from "../plan/replace-on";
import { SecretText } from "../plan/secrets";
import { asRecord, isRecord, parseUrn, SnapshotResource, SnapshotStack, stringList } from "../plan/snapshot";
import { DocumentError, parseJsonData, PulumiSignatureKey } from "../../components/internal";
import { previewShapeProblems, PreviewStep, ReviewFlags, StepOps } from "./preview-shape";

/** A file that is not a `pulumi preview --json` document this command can judge. */
export class PreviewError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PreviewError";
    }
}

/** The engine's sentinel for a value not known until the update runs (pkg/resource/plugin/rpc.go UnknownStringValue). */
export const UnknownStringValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What an AFTER value the engine does not know yet, and review cannot tie to a resource, reads as. */
export const UnknownText = "[unknown]";

/** A resource reference in serialized state (`4dabf...`: `5cf8f...`); it reads as its URN, as in a stack export. */
const ResourceReferenceSig = "5cf8f73096256a8f31e491e813e4eb8e";

/** One preview document as review compares it. */
export interface PreviewStacks {
    before: SnapshotStack;
    after: SnapshotStack;
    /** Every create, update, replace and delete of the stack, by URN. */
    changes: ResourceChange[];
}

/** Reads one preview file's text; throws `PreviewError` naming `file` when it is not a preview review can judge. */
export function readPreview(text: string, file: string): PreviewStacks {
    let doc: unknown;
    try {
        doc = parseJsonData(text);
    } catch (e) {
        throw e instanceof DocumentError ? new PreviewError(`${file}: ${e.message}`) : e;
    }
    const problems = previewShapeProblems(doc);
    if (typeof problems === "string") {
        throw new PreviewError(`${file}: ${problems}`);
    }
    if (problems.length > 0) {
        const shown = problems.slice(0, 20).map(p => `  - ${p.message}`);
        throw new PreviewError(
            problems.length === 1
                ? `${file}: ${problems[0].message}`
                : `${file}: ${problems.length} problems:\n${shown.join("\n")}${problems.length > 20 ? `\n  (and ${problems.length - 20} more)` : ""}`,
        );
    }
    const steps = (doc as { steps: PreviewStep[] }).steps.map(s => ({
        ...s,
        oldState: s.oldState ?? undefined,
        newState: s.newState ?? undefined,
    }));
    const refused = hiddenSteps(doc as Record<string, unknown>, steps);
    if (refused !== undefined) {
        throw new PreviewError(`${file}: ${refused}`);
    }
    return previewStacks(steps, file);
}

/**
 * Why the document leaves out steps review needs, or undefined. By default
 * `pulumi preview --json` shows neither unchanged resources (`same`, unless
 * `--show-sames`) nor a replacement's create-replacement and delete-replaced
 * steps (unless `--show-replacement-steps`): pkg/backend/display/display.go
 * `shouldShow`.
 */
function hiddenSteps(doc: Record<string, unknown>, steps: PreviewStep[]): string | undefined {
    const summary = doc.changeSummary as Record<string, unknown> | undefined;
    const sameCounted = typeof summary?.same === "number" ? summary.same : 0;
    const sameShown = steps.filter(s => s.op === "same").length;
    if (sameCounted > sameShown) {
        return (
            `the preview leaves out its unchanged resources (changeSummary counts ${sameCounted} same, the steps show ${sameShown}): ` +
            `review needs every resource of the stack; run ${ReviewFlags}`
        );
    }
    const replaced = steps.findIndex(s => s.op === "replace" && !steps.some(o => o.urn === s.urn && o.op === "create-replacement"));
    if (replaced !== -1) {
        return (
            `steps[${replaced}] replaces ${steps[replaced].urn} without its create-replacement and delete-replaced steps: ` +
            `review needs them to tell whether the old resource is deleted first; run ${ReviewFlags}`
        );
    }
    return undefined;
}

/** BEFORE, AFTER and the changes of the steps of one stack (checked by `previewShapeProblems`). */
function previewStacks(steps: PreviewStep[], file: string): PreviewStacks {
    const root = steps.find(s => parseUrn(s.urn)?.type === "pulumi:pulumi:Stack");
    const { stack, project } = parseUrn((root ?? steps[0]).urn)!;
    const byUrn = new Map<string, PreviewStep[]>();
    for (const s of steps) {
        byUrn.set(s.urn, [...(byUrn.get(s.urn) ?? []), s]);
    }
    const sides: Sides = { stack, project, file, before: [], after: [], changes: [], dependencies: new Map() };
    for (const [urn, of] of byUrn) {
        addResource(sides, urn, of, steps);
    }
    const stacks = knownAfter(sides);
    const outputs = asRecord(root?.oldState?.outputs);
    return {
        before: { ...stacks.before, outputs },
        after: { ...stacks.after, outputs: outputsAfter(outputs, stacks.before.resources, sides.changes) },
        changes: sides.changes,
    };
}

/** Adds one URN's resource to BEFORE (its old state) and AFTER (its new state), and its change, from its steps. */
function addResource(sides: Sides, urn: string, of: PreviewStep[], steps: PreviewStep[]): void {
    const old = of.find(s => s.oldState !== undefined && s.oldState.delete !== true)?.oldState;
    const now = of.find(s => s.newState !== undefined)?.newState;
    const type = String((now ?? old ?? of.find(s => s.oldState !== undefined)?.oldState)?.type ?? "");
    if (type === "pulumi:pulumi:Stack" || isDefaultProvider(type, parseUrn(urn)?.name ?? "")) {
        return;
    }
    const kind = changeKind(of);
    // The engine deletes first when it writes the delete-replaced step before the create-replacement one (step_generator.go).
    const dbr = kind === "replace" && indexOfOp(steps, urn, "delete-replaced") < indexOfOp(steps, urn, "create-replacement");
    if (old !== undefined && kind !== "create") {
        sides.before.push(resource(urn, old, dbr));
    }
    if (now !== undefined && kind !== "delete") {
        sides.after.push(resource(urn, now, dbr));
        sides.dependencies.set(urn, dependencyMap(now.propertyDependencies));
    }
    if (kind !== undefined && (old !== undefined || now !== undefined)) {
        const logical = of.find(s => s.op === kind) ?? of[0];
        sides.changes.push({
            kind,
            urn,
            type,
            name: parseUrn(urn)?.name ?? "",
            deleteBeforeReplace: dbr,
            paths: changedPaths(logical),
            replaceOn: kind === "replace" ? [...(logical.replaceReasons ?? [])] : [],
        });
    }
}

function dependencyMap(value: unknown): Record<string, string[]> {
    return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringList(v)])) : {};
}

/** The change the steps of one URN make, from their ops; undefined for an unchanged or read resource. */
function changeKind(steps: PreviewStep[]): ChangeKind | undefined {
    const ops = new Set(steps.map(s => s.op));
    if (ops.has("replace") || ops.has("create-replacement") || ops.has("delete-replaced")) {
        return "replace";
    }
    for (const [op, kind] of [
        ["create", "create"],
        ["import", "create"],
        ["update", "update"],
        ["delete", "delete"],
    ] as const) {
        if (ops.has(op)) {
            return kind;
        }
    }
    return undefined;
}

function indexOfOp(steps: PreviewStep[], urn: string, op: (typeof StepOps)[number]): number {
    return steps.findIndex(s => s.urn === urn && s.op === op);
}

/** The property paths a step changes: its detailed diff's keys, else its diff reasons. */
function changedPaths(step: PreviewStep): string[] {
    const detailed = step.detailedDiff !== undefined && step.detailedDiff !== null ? Object.keys(step.detailedDiff) : [];
    return [...new Set(detailed.length > 0 ? detailed : (step.diffReasons ?? []))].sort();
}

/** One resource of a step's state (`apitype.ResourceV3`) as a snapshot holds it. */
function resource(urn: string, state: NonNullable<PreviewStep["oldState"]>, deleteBeforeReplace: boolean): SnapshotResource {
    const provider =
        typeof state.provider === "string" && state.provider !== "" ? state.provider.slice(0, state.provider.lastIndexOf("::")) : undefined;
    const providerUrn = provider !== undefined ? parseUrn(provider) : undefined;
    return {
        urn,
        type: String(state.type),
        name: parseUrn(urn)?.name ?? "",
        id: typeof state.id === "string" && state.id !== "" ? state.id : undefined,
        parent: typeof state.parent === "string" && state.parent !== "" ? state.parent : undefined,
        provider: provider !== undefined && !isDefaultProvider(providerUrn?.type ?? "", providerUrn?.name ?? "") ? provider : undefined,
        read: state.external === true || state.type === "pulumi:pulumi:StackReference",
        inputs: asRecord(plainValue(state.inputs)),
        outputs: asRecord(plainValue(state.outputs)),
        protect: state.protect === true,
        retainOnDelete: state.retainOnDelete === true,
        deleteBeforeReplace,
        replaceOnChanges: stringList(state.replaceOnChanges),
        ignoreChanges: stringList(state.ignoreChanges),
    };
}

/** State values as a plan shows them: resource references as their URN (secrets are already `"[secret]"` in a preview). */
function plainValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(plainValue);
    }
    if (isRecord(value)) {
        if (value[PulumiSignatureKey] === ResourceReferenceSig) {
            return value.urn;
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
    }
    return value;
}

interface Sides {
    stack: string;
    project: string;
    before: SnapshotResource[];
    after: SnapshotResource[];
    changes: ResourceChange[];
    file: string;
    /** Each AFTER resource's `propertyDependencies`: property -> the URNs its value comes from. */
    dependencies: Map<string, Record<string, string[]>>;
}

/**
 * AFTER with what is known of it. The engine writes a step's new state before
 * the step runs: no ID and no outputs. A kept resource keeps its ID and
 * outputs (BEFORE's); a created or replaced one has none until a value that
 * refers to it is found. An input the engine shows as unknown
 * ({@link UnknownStringValue}) is tied to the resource it comes from: the
 * resource whose ID or output the same place held in BEFORE, else the one
 * created or replaced resource the property depends on
 * (`propertyDependencies`) that no other unknown of the resource is tied
 * to; it then reads `<new arn of URN>` in the input and
 * in that resource's outputs, so rules still name their target groups.
 * Unknowns tied to nothing read {@link UnknownText}.
 */
function knownAfter(sides: Sides): { before: SnapshotStack; after: SnapshotStack } {
    const renewed = new Set(sides.changes.filter(c => c.kind === "replace" || c.kind === "create").map(c => c.urn));
    const old = new Map(sides.before.map(r => [r.urn, r]));
    const producers = valueProducers(sides.before);
    const after = sides.after.map(r => {
        const was = old.get(r.urn);
        return renewed.has(r.urn) || was === undefined ? { ...r, id: undefined, outputs: {} } : { ...r, id: was.id, outputs: was.outputs };
    });
    const byUrn = new Map(after.map(r => [r.urn, r]));
    for (const r of after) {
        const heldBefore = (path: (string | number)[]) => {
            const held = old.has(r.urn) ? valuesAt(old.get(r.urn)!.inputs, formatPath(path))[0] : undefined;
            const from = typeof held === "string" ? producers.get(held) : undefined;
            return from !== undefined && byUrn.has(from.urn) ? from : undefined;
        };
        // First the unknowns whose place held a resource's value in BEFORE, then the rest among the dependencies left.
        const tied = new Set<string>();
        mapUnknowns(r.inputs, path => {
            tied.add(heldBefore(path)?.urn ?? "");
            return "";
        });
        const dependencies = sides.dependencies.get(r.urn) ?? {};
        r.inputs = mapUnknowns(r.inputs, path => {
            const candidates = (dependencies[String(path[0])] ?? []).filter(u => renewed.has(u) && byUrn.has(u) && !tied.has(u));
            const source =
                heldBefore(path) ??
                (candidates.length === 1
                    ? { urn: candidates[0], key: /arn$/i.test(String(path[path.length - 1])) ? "arn" : "id" }
                    : undefined);
            return source === undefined ? UnknownText : newValue(byUrn.get(source.urn)!, source.key);
        });
    }
    const snapshot = (resources: SnapshotResource[]): SnapshotStack => ({
        stack: sides.stack,
        project: sides.project,
        format: "preview",
        file: sides.file,
        resources,
        outputs: {},
        assumedValues: [],
    });
    return { before: snapshot(sides.before), after: snapshot(after) };
}

/** `<new KEY of URN>`, set on the resource (its ID, or its output KEY) where AFTER refers to it. */
function newValue(target: SnapshotResource, key: string): string {
    const value = `<new ${key} of ${target.urn}>`;
    if (key === "id") {
        target.id = value;
    } else {
        target.outputs = { ...target.outputs, [key]: value };
    }
    return value;
}

/**
 * Which resource (and which top-level output, or `id`) computed each string
 * value of BEFORE: a value one of its inputs holds came from elsewhere (a
 * rule's `listenerArn` output is its listener's ARN).
 */
function valueProducers(resources: SnapshotResource[]): Map<string, { urn: string; key: string }> {
    const out = new Map<string, { urn: string; key: string }>();
    for (const r of resources.filter(x => !x.read)) {
        const given = new Set<string>();
        walkStrings(r.inputs, v => given.add(v));
        if (r.id !== undefined && !given.has(r.id)) {
            out.set(r.id, { urn: r.urn, key: "id" });
        }
        for (const [key, value] of Object.entries(r.outputs)) {
            if (typeof value === "string" && value.length >= 8 && value !== SecretText && !given.has(value)) {
                out.set(value, { urn: r.urn, key });
            }
        }
    }
    return out;
}

/** A copy of `value` with each unknown replaced by what `resolve` says for its path. */
function mapUnknowns<T>(value: T, resolve: (path: (string | number)[]) => string, path: (string | number)[] = []): T {
    if (value === UnknownStringValue) {
        return resolve(path) as T;
    }
    if (Array.isArray(value)) {
        return value.map((v, i) => mapUnknowns(v, resolve, [...path, i])) as T;
    }
    if (isRecord(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapUnknowns(v, resolve, [...path, k])])) as T;
    }
    return value;
}

/**
 * AFTER's stack outputs. The preview does not hold them (the engine writes
 * the Stack's new state before the program registers its outputs), so they
 * are BEFORE's, less the clusters whose resources the preview deletes: a
 * cluster key whose values (target group ARNs, registrar role ARN) name
 * resources of BEFORE that are all deleted has left the network stack.
 */
function outputsAfter(before: Record<string, unknown>, resources: SnapshotResource[], changes: ResourceChange[]): Record<string, unknown> {
    if (!isRecord(before.clusters)) {
        return before;
    }
    const producers = valueProducers(resources);
    const deleted = new Set(changes.filter(c => c.kind === "delete").map(c => c.urn));
    const clusters = Object.fromEntries(
        Object.entries(before.clusters).filter(([, entry]) => {
            const owned: string[] = [];
            walkStrings(entry, v => {
                const p = producers.get(v);
                if (p !== undefined) {
                    owned.push(p.urn);
                }
            });
            return owned.length === 0 || owned.some(u => !deleted.has(u));
        }),
    );
    return { ...before, clusters };
}

function walkStrings(value: unknown, visit: (s: string) => void): void {
    if (typeof value === "string") {
        visit(value);
    } else if (Array.isArray(value)) {
        value.forEach(v => walkStrings(v, visit));
    } else if (isRecord(value)) {
        Object.values(value).forEach(v => walkStrings(v, visit));
    }
}

/**
 * The shape of the document `pulumi preview --json` prints, as far as
 * `shared-alb review` reads it, and the problems of a file that is not one.
 * Pure.
 */
import { parseUrn } from "../plan/snapshot";
import { ConfigError, hasOwn, isRecord } from "../../components/internal";

/**
 * The step ops the engine writes (pulumi/pulumi pkg/resource/deploy/step.go,
 * `OpSame` ... `OpExtendParameterize`).
 */
export const StepOps = [
    "same",
    "create",
    "update",
    "delete",
    "replace",
    "create-replacement",
    "delete-replaced",
    "read",
    "read-replacement",
    "refresh",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
    "import",
    "import-replacement",
    "diff",
    "extend-parameterize",
] as const;

/** A resource's state in a step (`apitype.ResourceV3`): the fields review reads. */
export interface PreviewState {
    urn?: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    external?: boolean;
    delete?: boolean;
    provider?: string;
    propertyDependencies?: Record<string, string[]>;
    retainOnDelete?: boolean;
    replaceOnChanges?: string[];
    ignoreChanges?: string[];
}

/** One step (`display.PreviewStep`). */
export interface PreviewStep {
    op: (typeof StepOps)[number];
    urn: string;
    provider?: string;
    oldState?: PreviewState;
    newState?: PreviewState;
    diffReasons?: string[];
    replaceReasons?: string[];
    detailedDiff?: Record<string, { kind: string; inputDiff: boolean }> | null;
}

/** The preview command review needs: every step shown. */
export const ReviewFlags = "pulumi preview --json --show-sames --show-replacement-steps";

const Expected = 'expected the output of `pulumi preview --json` ({ "steps": [{ "op": ..., "urn": ... }, ...], "changeSummary": {...} })';

/**
 * Why `doc` is not a preview document: one sentence when it is another kind
 * of document (or none), else the problems of its steps, each naming its path.
 */
export function previewShapeProblems(doc: unknown): string | ConfigError[] {
    if (!isRecord(doc)) {
        return Expected;
    }
    if (hasOwn(doc, "stacks")) {
        return (
            "this is a `shared-alb plan --json` document, not a preview: compare it with `shared-alb plan --compare` " +
            "(review reads the output of `pulumi preview --json`)"
        );
    }
    if (hasOwn(doc, "deployment") || Array.isArray(doc.resources)) {
        return (
            "this is a `pulumi stack export`, not a preview: compare it with `shared-alb plan --compare` " +
            "(review reads the output of `pulumi preview --json`)"
        );
    }
    if (!Array.isArray(doc.steps) || doc.steps.length === 0) {
        return Expected;
    }
    const problems: ConfigError[] = [];
    let stack: string | undefined;
    doc.steps.forEach((step: unknown, i: number) => {
        const at = `steps[${i}]`;
        if (!isRecord(step)) {
            problems.push(new ConfigError(at, step, "expected a step: an object with op and urn"));
            return;
        }
        if (!(StepOps as readonly unknown[]).includes(step.op)) {
            problems.push(new ConfigError(`${at}.op`, step.op, `expected one of ${StepOps.join(", ")}`));
        }
        const urn = typeof step.urn === "string" ? parseUrn(step.urn) : undefined;
        if (urn === undefined) {
            problems.push(new ConfigError(`${at}.urn`, step.urn, "expected a URN: urn:pulumi:<stack>::<project>::<type>::<name>"));
        } else if (stack !== undefined && urn.stack !== stack) {
            problems.push(
                new ConfigError(`${at}.urn`, step.urn, `a preview is of one stack, and the steps before it are of stack ${stack}`),
            );
        } else {
            stack = urn.stack;
        }
        for (const side of ["oldState", "newState"] as const) {
            const state = step[side];
            if (state !== undefined && state !== null && !(isRecord(state) && typeof state.type === "string")) {
                problems.push(
                    new ConfigError(`${at}.${side}`, state, "expected a resource state: an object with type, inputs and outputs"),
                );
            }
        }
    });
    return problems;
}

/**
 * The shape of a BEFORE file of `plan --compare`, checked before anything
 * reads it: an earlier `plan --json` document, or the deployment of a
 * `pulumi stack export`. Every departure is a `ConfigError` naming its path
 * in the document (`stacks[0].resources[3].options.protect`). Pure.
 */
import {
    ConfigError,
    Problems,
    Reader,
    check,
    trueOrFalse,
    isRecord,
    join,
    list,
    nullAsAbsent,
    object,
    optional,
} from "../../components/internal";

/** `urn:pulumi:<stack>::<project>::<type>::<name>`, as `parseUrn` reads it. */
const UrnPattern = /^urn:pulumi:[^:]+::[^:]+::.+?::.*$/s;

const str = check((v): v is string => typeof v === "string", "expected a string");
const nonEmpty = check((v): v is string => typeof v === "string" && v !== "", "expected a non-empty string");
const urn = check(
    (v): v is string => typeof v === "string" && UrnPattern.test(v),
    "expected a URN: urn:pulumi:<stack>::<project>::<type>::<name>",
);
const strings = list(str, { notList: "expected a list of strings" });
const anObject = check((v): v is Record<string, unknown> => isRecord(v), "expected an object");
/** Absent or `null`: the plan writes `null` for a resource without an ID, parent or provider. */
const maybe = <T>(reader: Reader<T>) => nullAsAbsent(optional(reader));
const open = { otherKeys: "allowed" } as const;

const options = object(
    "expected the resource's options { protect, retainOnDelete, deleteBeforeReplace, ... }",
    {
        protect: trueOrFalse,
        retainOnDelete: trueOrFalse,
        deleteBeforeReplace: trueOrFalse,
        dependsOn: optional(strings),
        ignoreChanges: optional(strings),
        replaceOnChanges: optional(strings),
    },
    open,
);

/** A resource of a planned stack: its URN names that stack. */
function planResource(stack: string | undefined): Reader<unknown> {
    const ofStack: Reader<string> = (p, path, value) => {
        const read = urn(p, path, value);
        return read !== undefined &&
            stack !== undefined &&
            !p.check(
                read.startsWith(`urn:pulumi:${stack}::`),
                path,
                read,
                `expected a URN of stack ${JSON.stringify(stack)}, the stack it is listed under`,
            )
            ? undefined
            : read;
    };
    return object(
        "expected a resource { urn, type, name, inputs, outputs, options, ... }",
        {
            urn: ofStack,
            type: nonEmpty,
            name: str,
            id: maybe(str),
            read: optional(trueOrFalse),
            parent: maybe(urn),
            provider: maybe(urn),
            inputs: anObject,
            outputs: anObject,
            options,
        },
        open,
    );
}

const planStack: Reader<unknown> = (p, path, value) => {
    const stack = isRecord(value) && typeof value.stack === "string" && value.stack !== "" ? value.stack : undefined;
    return object(
        "expected a stack { stack, resources, outputs, ... }",
        {
            stack: nonEmpty,
            resources: list(planResource(stack), { notList: "expected a list of resources" }),
            outputs: optional(anObject),
            assumedValues: optional(strings),
        },
        open,
    )(p, path, value);
};

const exportResource = object(
    "expected a resource { urn, type, ... } of the deployment",
    {
        urn,
        type: nonEmpty,
        id: optional(str),
        parent: optional(str),
        provider: optional(str),
        inputs: optional(anObject),
        outputs: optional(anObject),
        protect: optional(trueOrFalse),
        external: optional(trueOrFalse),
        retainOnDelete: optional(trueOrFalse),
        delete: optional(trueOrFalse),
        replaceOnChanges: optional(strings),
        ignoreChanges: optional(strings),
    },
    open,
);

/** Every departure of a `plan --json` document from its shape. */
export function planDocumentProblems(doc: Record<string, unknown>): readonly ConfigError[] {
    const p = new Problems();
    list(planStack, { notList: "expected a list of stacks" })(p, "stacks", doc.stacks);
    return p.errors;
}

/** Every departure of a deployment (of `pulumi stack export`) from its shape; `at` is its path in the document. */
export function deploymentProblems(deployment: Record<string, unknown>, at: string): readonly ConfigError[] {
    const p = new Problems();
    if (deployment.resources !== undefined) {
        list(exportResource, { notList: "expected a list of resources" })(p, join(at, "resources"), deployment.resources);
    }
    return p.errors;
}

/**
 * A program in another language reaches a component through the plugin's
 * `construct`, where every input may arrive as an Output (a stack
 * reference's, another resource's). The inputs the schema marks plain decide
 * which resources the component creates, so the component reads them when
 * it is built. An Output in a plain place whose value is known (a stack
 * reference's output is, at preview and at update) is resolved here to its
 * value before the component is built; one whose value is not known yet is
 * refused, with every such place named at once, before anything is
 * registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { Problems } from "../internal/errors";
import { join } from "../internal/read";

/** A property of the package schema, as far as resolving needs it. */
export interface SchemaProperty {
    $ref?: string;
    plain?: boolean;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    properties?: Record<string, SchemaProperty>;
}

/** The parts of the package schema resolving reads. */
export interface PackageSchema {
    resources: Record<string, { inputProperties: Record<string, SchemaProperty>; properties: Record<string, SchemaProperty> }>;
    types: Record<string, SchemaProperty>;
}

/** What a plain place given an Output not known yet says. */
export const KnownAtPreview =
    "expected a plain value, or an output known at preview (a stack reference's output is): it decides which resources exist, " +
    "and this output's value is not known yet (it comes from a resource that this update creates or changes)";

/** The walk's state: the schema, the problems found, and the Output a resolved value came from (for the inputs inside it). */
interface Walk {
    schema: PackageSchema;
    problems: Problems;
    from?: pulumi.Output<unknown>;
}

/** The property a `$ref` names, or the property itself. */
function typeOf(schema: PackageSchema, prop: SchemaProperty): SchemaProperty {
    return prop.$ref?.startsWith("#/types/") ? (schema.types[prop.$ref.slice("#/types/".length)] ?? prop) : prop;
}

/** An object literal: not a list, an Output, or a class instance such as a resource. */
function isRecord(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

/** The property of `key` inside a value of type `prop`: an object's own, a map's values', a list's items'. */
function child(schema: PackageSchema, prop: SchemaProperty, key: string | number): SchemaProperty | undefined {
    const type = typeOf(schema, prop);
    if (typeof key === "number") {
        return type.items;
    }
    return type.properties?.[key] ?? type.additionalProperties;
}

/** The value with every known Output in a plain place resolved, and every input place inside a resolved value kept an Output of where it came from. */
async function resolve(w: Walk, prop: SchemaProperty | undefined, value: unknown, path: string): Promise<unknown> {
    if (prop === undefined) {
        return value;
    }
    if (pulumi.Output.isInstance(value)) {
        if (prop.plain !== true) {
            return value;
        }
        const output = value as pulumi.Output<unknown>;
        // isKnown and promise() are the SDK's own way to read an Output inside the runtime (not in its typings).
        if (!(await (Reflect.get(output, "isKnown") as Promise<boolean>))) {
            w.problems.add(path, output, KnownAtPreview);
            return value;
        }
        const known = await (Reflect.get(output, "promise") as () => Promise<unknown>).call(output);
        return resolve({ ...w, from: output }, prop, known, path);
    }
    if (w.from !== undefined && prop.plain !== true && value !== undefined) {
        // An input inside a resolved value stays an Output: it keeps the secrecy and the dependencies of the value it came from.
        return w.from.apply(() => value);
    }
    if (Array.isArray(value)) {
        const items: unknown[] = [];
        for (const [i, v] of value.entries()) {
            items.push(await resolve(w, child(w.schema, prop, i), v, join(path, i)));
        }
        return items;
    }
    return isRecord(value) ? resolveEntries(w, value, k => child(w.schema, prop, k), path) : value;
}

/** Each entry of an object resolved in turn (so problems are listed in the order of the keys). */
async function resolveEntries(
    w: Walk,
    value: Record<string, unknown>,
    propOf: (key: string) => SchemaProperty | undefined,
    path: string,
): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
        out[k] = await resolve(w, propOf(k), v, join(path, k));
    }
    return out;
}

/**
 * The inputs of `construct` for resource `token`, with the plain places'
 * known Outputs resolved to their values; throws every plain place given an
 * Output not known yet, at once.
 */
export async function resolvePlainInputs(schema: PackageSchema, token: string, inputs: pulumi.Inputs): Promise<pulumi.Inputs> {
    const resource = schema.resources[token];
    if (resource === undefined) {
        return inputs;
    }
    const w: Walk = { schema, problems: new Problems() };
    const resolved = await resolveEntries(w, inputs, k => resource.inputProperties[k], "");
    w.problems.throwIfAny();
    return resolved;
}

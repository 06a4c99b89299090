/**
 * The component provider the plugin serves (PulumiPlugin.yaml): the
 * SDK's `ComponentProvider`, with two differences. It serves the schema
 * shipped in `schema.json` at the package's root (derived from the
 * TypeScript sources by `npm run schema`, checked for drift by the tests)
 * instead of compiling every source file to derive it again at each start;
 * and `construct` resolves the known Outputs given to plain inputs
 * (resolve.ts) before it builds the component.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { packageRoot } from "../internal/package-root";
import { resolvePlainInputs, PackageSchema } from "./resolve";

/** The schema file's place in the package. */
export const SchemaFile = "schema.json";

/** A component class as the provider builds it. */
export type ComponentClass = new (name: string, args: never, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;

/** What `construct` answers: the component's URN and its outputs, as the SDK's provider does. */
export interface Constructed {
    urn: pulumi.Output<string>;
    state: Record<string, unknown>;
}

/**
 * Builds component `type` from `inputs` as a program in another language
 * asks: the plain inputs' known Outputs resolved first (or every unknown one
 * refused), then the class's own constructor, whose outputs are the
 * schema's properties of the resource.
 */
export async function constructComponent(
    schemaText: string,
    classes: Record<string, ComponentClass>,
    name: string,
    type: string,
    inputs: pulumi.Inputs,
    options: pulumi.ComponentResourceOptions,
): Promise<Constructed> {
    const schema = JSON.parse(schemaText) as PackageSchema;
    const Class = classes[type.split(":")[2]];
    const resource = schema.resources[type];
    if (Class === undefined || resource === undefined) {
        throw new Error(`unknown resource type ${type}: the package has ${Object.keys(schema.resources).sort().join(", ")}`);
    }
    const resolved = await resolvePlainInputs(schema, type, inputs);
    const instance = new Class(name, resolved as never, options);
    const state = Object.fromEntries(Object.keys(resource.properties).map(k => [k, Reflect.get(instance, k)]));
    return { urn: instance.urn, state };
}

/** The shipped schema's text, or undefined when the package has none (an npm install: only a clone is a plugin). */
export function shippedSchema(root: string = packageRoot()): string | undefined {
    const file = path.join(root, SchemaFile);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

/**
 * The Go argument types of a component, as `pulumi package add` generates
 * them in a Go SDK, derived from the shipped schema.json by the rules of
 * Pulumi's Go code generator (pulumi/pulumi pkg/codegen/go/gen.go: a
 * resource's user-facing Args struct types a plain property with
 * `typeString` and any other with `inputType`; a plain object of an input
 * is the struct `<Name>Args`, an input object the interface `<Name>Input`; fields are the property names with their
 * first letter upper-cased, sorted by name as the schema binder sorts them).
 * docs/multi-language.md shows the result for ClusterAttachment, and
 * tests/cli/go-args.test.ts checks that the block there is this output.
 *
 *   ts-node --transpile-only tools/go-args.ts [Resource]   print the block (default ClusterAttachment)
 */
import * as fs from "fs";
import * as path from "path";

/** A schema property or type, as far as the Go types need it. */
export interface Prop {
    type?: string;
    $ref?: string;
    plain?: boolean;
    optional?: boolean;
    items?: Prop;
    additionalProperties?: Prop;
    properties?: Record<string, Prop>;
    required?: string[];
    enum?: unknown[];
}

export interface Schema {
    name: string;
    resources: Record<string, { inputProperties: Record<string, Prop>; requiredInputs?: string[] }>;
    types: Record<string, Prop>;
}

const Scalars: Record<string, { plain: string; input: string }> = {
    string: { plain: "string", input: "pulumi.String" },
    number: { plain: "float64", input: "pulumi.Float64" },
    integer: { plain: "int", input: "pulumi.Int" },
    boolean: { plain: "bool", input: "pulumi.Bool" },
};

const AnyRef = "pulumi.json#/Any";

/** The Go field name of a property. */
export const goField = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** A referenced type's Go name: an enum keeps its name, an object used as an input gets `Args` appended. */
function refName(schema: Schema, ref: string): { name: string; isEnum: boolean } {
    const token = ref.slice("#/types/".length);
    const name = goField(token.split(":")[2]);
    return schema.types[token].enum !== undefined ? { name, isEnum: true } : { name: `${name}Args`, isEnum: false };
}

/** The input type of a property that takes an Output (`inputType`): `pulumi.StringInput`, `XArgsInput`, `pulumi.StringMapInput`... */
function inputType(schema: Schema, p: Prop, optional: boolean): string {
    const ptr = (base: string): string => (optional ? `${base}PtrInput` : `${base}Input`);
    if (p.$ref === AnyRef) {
        return "pulumi.Input";
    }
    if (p.$ref !== undefined) {
        // An input object's interface is named after the type itself (its plain shape), not its `Args` struct.
        return ptr(goField(p.$ref.slice("#/types/".length).split(":")[2]));
    }
    if (p.additionalProperties !== undefined || p.items !== undefined) {
        const element = inputType(schema, (p.additionalProperties ?? p.items)!, false).replace(/Input$/, "");
        return `${element === "pulumi." ? "pulumi." : element}${p.items ? "Array" : "Map"}Input`;
    }
    return ptr(Scalars[p.type!].input);
}

/** The type of a plain property (`typeString`): Go values, pointers when optional, maps and slices of their elements. */
function plainType(schema: Schema, p: Prop, optional: boolean): string {
    const element = (e: Prop): string => (e.plain === true ? plainType(schema, e, false) : inputType(schema, e, false));
    if (p.additionalProperties !== undefined) {
        return `map[string]${element(p.additionalProperties)}`;
    }
    if (p.items !== undefined) {
        return `[]${element(p.items)}`;
    }
    const base = p.$ref === AnyRef ? "interface{}" : p.$ref !== undefined ? refName(schema, p.$ref).name : Scalars[p.type!].plain;
    return optional && base !== "interface{}" ? `*${base}` : base;
}

/** One struct's lines: each field with its Go type, sorted by name. */
function struct(schema: Schema, name: string, props: Record<string, Prop>, required: string[]): string[] {
    const fields = Object.keys(props)
        .sort()
        .map(k => {
            const p = props[k];
            const optional = !required.includes(k);
            return [goField(k), p.plain === true ? plainType(schema, p, optional) : inputType(schema, p, optional)];
        });
    const width = Math.max(...fields.map(([f]) => f.length));
    return [`type ${name} struct {`, ...fields.map(([f, t]) => `\t${f.padEnd(width)} ${t}`), "}"];
}

/** The object types a property refers to, in the order first met. */
function refsOf(p: Prop): string[] {
    if (p.$ref?.startsWith("#/types/")) {
        return [p.$ref];
    }
    return [...(p.additionalProperties ? refsOf(p.additionalProperties) : []), ...(p.items ? refsOf(p.items) : [])];
}

/**
 * The generator renames a type whose names (`X`, `XInput`, `XOutput`) meet a
 * resource's (`R`, `RInput`, `ROutput`, `RArgs`, `rArgs`, `NewR`) or an
 * earlier type's; the names here would then be wrong, so that is refused.
 */
function refuseRenames(schema: Schema): void {
    const taken = new Set<string>();
    for (const token of Object.keys(schema.resources).sort()) {
        const n = token.split(":")[2];
        [n, `${n}Input`, `${n}Output`, `${n}Args`, `${n.charAt(0).toLowerCase()}${n.slice(1)}Args`, `New${n}`].forEach(x => taken.add(x));
    }
    for (const token of Object.keys(schema.types).sort()) {
        const n = goField(token.split(":")[2]);
        const names = [n, `${n}Input`, `${n}Output`];
        const clash = names.filter(x => taken.has(x));
        if (clash.length > 0) {
            throw new Error(
                `type ${token}: the Go generator renames it (${clash.join(", ")} already taken); tools/go-args.ts does not model renames`,
            );
        }
        names.forEach(x => taken.add(x));
    }
}

/** The Go block: the resource's Args struct, then every object type its inputs reach. */
export function goArgs(schema: Schema, resource: string): string {
    refuseRenames(schema);
    const token = `${schema.name}:index:${resource}`;
    const r = schema.resources[token];
    const blocks = [struct(schema, `${resource}Args`, r.inputProperties, r.requiredInputs ?? [])];
    const queue = Object.values(r.inputProperties).flatMap(refsOf);
    const seen = new Set<string>();
    while (queue.length > 0) {
        const ref = queue.shift()!;
        const type = schema.types[ref.slice("#/types/".length)];
        if (seen.has(ref) || type.enum !== undefined) {
            continue;
        }
        seen.add(ref);
        blocks.push(struct(schema, refName(schema, ref).name, type.properties ?? {}, type.required ?? []));
        queue.push(...Object.values(type.properties ?? {}).flatMap(refsOf));
    }
    return `${blocks.map(b => b.join("\n")).join("\n\n")}\n`;
}

if (require.main === module) {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "schema.json"), "utf8")) as Schema;
    process.stdout.write(goArgs(schema, process.argv[2] ?? "ClusterAttachment"));
}

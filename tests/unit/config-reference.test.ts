import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..", "..");

interface SchemaProperty {
    $ref?: string;
    type?: string;
    properties?: Record<string, SchemaProperty>;
    additionalProperties?: SchemaProperty;
    items?: SchemaProperty;
}

interface Schema {
    resources: Record<string, { inputProperties: Record<string, SchemaProperty> }>;
    types: Record<string, SchemaProperty>;
}

const schema = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")) as Schema;

/** Every argument path of a component (`clusters.<>.weight`: a map's key is `<>`), from the shipped schema. */
function argumentPaths(token: string): string[] {
    const out: string[] = [];
    const walk = (props: Record<string, SchemaProperty>, prefix: string) => {
        for (const [key, prop] of Object.entries(props)) {
            const at = prefix === "" ? key : `${prefix}.${key}`;
            out.push(at);
            expand(prop, at);
        }
    };
    const expand = (prop: SchemaProperty, at: string) => {
        const type = prop.$ref === undefined ? undefined : schema.types[prop.$ref.split("/").pop()!];
        if (type?.properties !== undefined) {
            walk(type.properties, at);
        } else if (prop.additionalProperties !== undefined) {
            out.push(`${at}.<>`);
            expand(prop.additionalProperties, `${at}.<>`);
        } else if (prop.items !== undefined) {
            expand(prop.items, at);
        }
    };
    walk(schema.resources[token].inputProperties, "");
    return out;
}

/** The keys of the table rows (`| \`clusters.<key>.weight\` |`) between two headings of docs/configuration.md, map keys as `<>`. */
function documentedRows(from: string, to: string): string[] {
    const doc = fs.readFileSync(path.join(root, "docs", "configuration.md"), "utf8");
    const section = doc.slice(doc.indexOf(from), doc.indexOf(to));
    return [...section.matchAll(/^\| `([^`]+)`/gm)].map(m => m[1].replace(/<[^>]+>/g, "<>"));
}

/** The paths no row documents: a row of the path itself, of an object holding it, or of a key inside it. */
function undocumented(paths: string[], rows: string[]): string[] {
    return paths.filter(p => !rows.some(r => r === p || p.startsWith(`${r}.`) || r.startsWith(`${p}.`)));
}

describe("docs/configuration.md documents every argument of the components (schema.json)", () => {
    const cases: [string, string, string][] = [
        ["shared-alb:index:SharedAlb", "## Network stack config", "## VPC sharing"],
        ["shared-alb:index:ClusterAttachment", "## `ClusterAttachment`", "## Cluster stack config"],
    ];
    for (const [token, from, to] of cases) {
        it(`has a row for every argument of ${token.split(":").pop()}`, () => {
            const paths = argumentPaths(token);
            expect(paths.length).to.be.above(40);
            expect(undocumented(paths, documentedRows(from, to))).to.deep.equal([]);
        });
    }

    it("finds an argument without a row", () => {
        expect(
            undocumented(
                ["accountId", "loadBalancer.name", "loadBalancer.newKey", "clusters.<>.weight"],
                ["accountId", "loadBalancer.name", "clusters.<>"],
            ),
        ).to.deep.equal(["loadBalancer.newKey"]);
    });
});

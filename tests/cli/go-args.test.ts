import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Prop, Schema, goArgs } from "../../tools/go-args";

/**
 * The Go argument types docs/multi-language.md shows are those the shipped
 * schema gives, by the Go code generator's rules (tools/go-args.ts), so the
 * block cannot drift from the components.
 */

const root = path.resolve(__dirname, "..", "..");
const shipped = JSON.parse(fs.readFileSync(path.join(root, "schema.json"), "utf8")) as Schema;

/** The ```go block right after `<!-- go: <name> -->` in a Markdown file. */
function goBlock(file: string, name: string): string | undefined {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const at = text.indexOf(`<!-- go: ${name} -->\n\`\`\`go\n`);
    if (at === -1) {
        return undefined;
    }
    const start = text.indexOf("\n", text.indexOf("```go", at)) + 1;
    return text.slice(start, text.indexOf("```", start));
}

/** A one-resource schema with the given inputs (all optional unless `required`), and the types they use. */
function schemaWith(inputs: Record<string, Prop>, required: string[] = [], types: Record<string, Prop> = {}): Schema {
    return { name: "p", resources: { "p:index:R": { inputProperties: inputs, requiredInputs: required } }, types };
}

describe("docs/multi-language.md's Go argument types, from schema.json", () => {
    it("the ClusterAttachment block is what the shipped schema gives", () => {
        const block = goBlock("docs/multi-language.md", "ClusterAttachment");
        expect(block, "the <!-- go: ClusterAttachment --> block").to.not.equal(undefined);
        expect(block).to.equal(goArgs(shipped, "ClusterAttachment"));
    });

    it("a plain property is a Go value (a pointer when optional); an input takes an output", () => {
        const obj: Prop = { type: "object", properties: { a: { type: "string", plain: true } }, required: ["a"] };
        const schema = schemaWith(
            {
                s: { type: "string" },
                sp: { type: "string", plain: true },
                n: { type: "number" },
                np: { type: "number", plain: true },
                b: { type: "boolean", plain: true },
                m: { type: "object", additionalProperties: { type: "string" } },
                mp: { type: "object", plain: true, additionalProperties: { type: "string", plain: true } },
                l: { type: "array", items: { type: "string" } },
                lp: { type: "array", plain: true, items: { type: "number" } },
                o: { $ref: "#/types/p:index:Obj" },
                op: { $ref: "#/types/p:index:Obj", plain: true },
                e: { $ref: "#/types/p:index:Mode", plain: true },
                ei: { $ref: "#/types/p:index:Mode" },
                any: { type: "object", plain: true, additionalProperties: { $ref: "pulumi.json#/Any" } },
                rs: { type: "string" },
                rop: { $ref: "#/types/p:index:Obj", plain: true },
            },
            ["rs", "rop"],
            { "p:index:Obj": obj, "p:index:Mode": { type: "string", enum: [{ value: "x" }] } },
        );
        expect(goArgs(schema, "R")).to.equal(
            [
                "type RArgs struct {",
                "\tAny map[string]pulumi.Input",
                "\tB   *bool",
                "\tE   *Mode",
                "\tEi  ModePtrInput",
                "\tL   pulumi.StringArrayInput",
                "\tLp  []pulumi.Float64Input",
                "\tM   pulumi.StringMapInput",
                "\tMp  map[string]string",
                "\tN   pulumi.Float64PtrInput",
                "\tNp  *float64",
                "\tO   ObjPtrInput",
                "\tOp  *ObjArgs",
                "\tRop ObjArgs",
                "\tRs  pulumi.StringInput",
                "\tS   pulumi.StringPtrInput",
                "\tSp  *string",
                "}",
                "",
                "type ObjArgs struct {",
                "\tA string",
                "}",
                "",
            ].join("\n"),
        );
    });

    it("refuses a schema whose type names the generator would rename", () => {
        const schema = schemaWith({ a: { type: "string" } }, [], { "p:index:RArgs": { type: "object", properties: {} } });
        expect(() => goArgs(schema, "R")).to.throw(
            "type p:index:RArgs: the Go generator renames it (RArgs already taken); tools/go-args.ts does not model renames",
        );
    });
});

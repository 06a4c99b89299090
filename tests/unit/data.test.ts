import { expect } from "chai";
import * as fc from "fast-check";
import {
    DocumentError,
    DocumentLimits,
    PulumiSignatureKey,
    dataMap,
    hasOwn,
    isDataMap,
    isPulumiReservedKey,
    jsonTooDeep,
    own,
    parseJsonData,
    pathsOfKey,
    refuseReservedKeys,
    toData,
} from "../../components/internal/data";
import { parseYamlData, yamlTooDeep } from "../../cli/input-files";

/** The message a document function throws for `text`, or "" when it reads it. */
function refusal(read: (text: string) => unknown, text: string): string {
    try {
        read(text);
        return "";
    } catch (e) {
        expect(e).to.be.instanceOf(DocumentError);
        return (e as Error).message;
    }
}

const PrototypeKeys = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf", "toLocaleString"];

describe("internal/data: documents read as data", () => {
    describe("a data map holds only its own keys", () => {
        for (const key of PrototypeKeys) {
            it(`a map without ${key} reads it as absent; a map with ${key} reads it as data`, () => {
                const empty = dataMap();
                expect(empty[key]).to.equal(undefined);
                expect(own(empty, key)).to.equal(undefined);
                const held = dataMap([[key, "x"]]);
                expect(Object.keys(held)).to.deep.equal([key]);
                expect(held[key]).to.equal("x");
                expect(own(held, key)).to.equal("x");
                expect(JSON.stringify(held)).to.equal(`{${JSON.stringify(key)}:"x"}`);
                // The Pulumi SDK renders every resource input with a template string.
                expect(`${held as unknown as string}`).to.equal("[object Object]");
            });
        }
        it("own() reads a plain object's own keys only, never what Object.prototype has", () => {
            const plain: Record<string, string> = { web: "a" };
            expect(own(plain, "web")).to.equal("a");
            expect(own(plain, "constructor")).to.equal(undefined);
            expect(own(plain, "toString")).to.equal(undefined);
            expect(own(undefined, "web")).to.equal(undefined);
            expect(hasOwn(plain, "constructor")).to.equal(false);
            expect(isDataMap(plain)).to.equal(false);
            expect(isDataMap(dataMap())).to.equal(true);
        });
        it("keeps any key as its own (property)", () => {
            fc.assert(
                fc.property(fc.uniqueArray(fc.oneof(fc.string(), fc.constantFrom(...PrototypeKeys)), { maxLength: 8 }), keys => {
                    const m = dataMap(keys.map((k, i) => [k, i] as const));
                    // Object.keys puts integer-like keys first, as for any object.
                    expect([...Object.keys(m)].sort()).to.deep.equal([...keys].sort());
                    keys.forEach((k, i) => expect(own(m, k)).to.equal(i));
                }),
            );
        });
    });

    describe("toData: a parsed document as data, checked before anything recurses", () => {
        it("copies every object as a data map, lists as lists, __proto__ as a key", () => {
            const parsed = JSON.parse('{"__proto__": {"a": [1, {"constructor": true}]}, "b": null}') as unknown;
            const data = toData(parsed) as Record<string, Record<string, unknown[]>>;
            expect(isDataMap(data)).to.equal(true);
            expect(Object.keys(data)).to.deep.equal(["__proto__", "b"]);
            expect(isDataMap(data["__proto__"])).to.equal(true);
            expect(isDataMap(data["__proto__"].a[1])).to.equal(true);
            expect(JSON.stringify(data)).to.equal('{"__proto__":{"a":[1,{"constructor":true}]},"b":null}');
        });
        it("refuses a list or map that contains itself, naming the path", () => {
            const loop: Record<string, unknown> = { a: { b: [1] } };
            (loop.a as Record<string, unknown[]>).b.push(loop.a);
            expect(() => toData(loop)).to.throw(
                DocumentError,
                "a.b[1]: refers to a list or map that contains it (a recursive YAML alias); expected data without cycles",
            );
        });
        it("refuses nesting beyond the limit, naming the path, and reads the limit itself", () => {
            const nest = (n: number): unknown => {
                let v: unknown = "x";
                for (let i = 1; i < n; i++) {
                    v = { k: v };
                }
                return v;
            };
            expect(() => toData(nest(DocumentLimits.maxDepth))).not.to.throw();
            expect(() => toData(nest(DocumentLimits.maxDepth + 2))).to.throw(
                DocumentError,
                `${Array(DocumentLimits.maxDepth).fill("k").join(".")}: nested more than 100 levels deep; expected at most 100 levels of lists and maps`,
            );
        });
        it("finds every key of a name at any depth, with its path", () => {
            const doc = toData(JSON.parse('{"a": [{"__proto__": 1}], "b": {"c": {"__proto__": {}}}}'));
            expect(pathsOfKey(doc, "__proto__", "x")).to.deep.equal(["x.a[0].__proto__", "x.b.c.__proto__"]);
        });
        it("refuses the keys the Pulumi SDK reserves, at the first one's path", () => {
            expect(
                [
                    PulumiSignatureKey,
                    "__pulumiOutput",
                    "__pulumiResource",
                    "__pulumiAsset",
                    "__pulumi",
                    "_pulumiOutput",
                    "pulumi",
                    "__proto__",
                ].map(isPulumiReservedKey),
            ).to.deep.equal([true, true, true, true, true, false, false, false]);
            const doc = toData(JSON.parse(`{"a": {"b": [{"${PulumiSignatureKey}": "x"}]}, "c": {"__pulumiOutput": true}}`));
            expect(() => refuseReservedKeys(doc)).to.throw(
                DocumentError,
                `a.b[0].${PulumiSignatureKey}: a key the Pulumi SDK reserves ` +
                    "(it would read this map as a secret, asset, Output or resource); expected plain data",
            );
            expect(() => refuseReservedKeys(toData({ a: { __proto__x: 1 } }))).not.to.throw();
        });
    });

    describe("JSON and YAML texts: nesting, aliases and cycles refused with what was expected", () => {
        const deepJson = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
        const table: [string, (t: string) => unknown, string, string][] = [
            ["JSON at the depth limit", parseJsonData, deepJson(100), ""],
            [
                "JSON one level deeper",
                parseJsonData,
                deepJson(101),
                "nested more than 100 levels deep (line 1, column 101); expected at most 100 levels of lists and maps",
            ],
            [
                "JSON 100,000 deep",
                parseJsonData,
                deepJson(100000),
                "nested more than 100 levels deep (line 1, column 101); expected at most 100 levels of lists and maps",
            ],
            ["brackets inside JSON strings do not count", parseJsonData, `{"a": "${"[".repeat(500)}\\"{"}`, ""],
            ["JSON truncated", parseJsonData, '{"a": [1, 2', `not JSON (${jsonMessage('{"a": [1, 2')})`],
            [
                "YAML flow nesting 100,000 deep",
                parseYamlData,
                `a: ${deepJson(100000)}\n`,
                "nested more than 100 levels deep (line 1, column 103); expected at most 100 levels of lists and maps",
            ],
            [
                "YAML block nesting",
                parseYamlData,
                Array.from({ length: 120 }, (_, i) => `${" ".repeat(i)}k:\n`).join(""),
                "nested more than 100 levels deep (line 101, column 101); expected at most 100 levels of lists and maps",
            ],
            [
                "a recursive YAML alias (sequence)",
                parseYamlData,
                "a: &x [1, *x]\n",
                "a[1]: refers to a list or map that contains it (a recursive YAML alias); expected data without cycles",
            ],
            [
                "a recursive YAML alias (map)",
                parseYamlData,
                "a: &x\n  b: *x\n",
                "a.b: refers to a list or map that contains it (a recursive YAML alias); expected data without cycles",
            ],
            [
                "a YAML alias bomb",
                parseYamlData,
                `a: &a [${Array(10).fill("x").join(", ")}]\nb: &b [${Array(10).fill("*a").join(", ")}]\nc: [${Array(10).fill("*b").join(", ")}]\n`,
                "its aliases expand to too many nodes; expected at most 100 nodes reached through aliases",
            ],
            ["YAML aliases within the limit", parseYamlData, "a: &a {x: 1}\nb: *a\nc: *a\n", ""],
            [
                "a YAML key twice",
                parseYamlData,
                "a: 1\na: 2\n",
                "not valid YAML: Map keys must be unique at line 2, column 1:\n\na: 1\na: 2\n^",
            ],
        ];
        for (const [what, read, text, message] of table) {
            it(what, () => expect(refusal(read, text)).to.equal(message));
        }
        it("YAML keys named like Object.prototype's members are data", () => {
            const doc = parseYamlData("constructor: 1\n__proto__: {toString: 2}\nhasOwnProperty: 3\n") as Record<string, unknown>;
            expect(Object.keys(doc)).to.deep.equal(["constructor", "__proto__", "hasOwnProperty"]);
            expect(JSON.stringify(doc)).to.equal('{"constructor":1,"__proto__":{"toString":2},"hasOwnProperty":3}');
        });
        it("depth scans give the place it first goes too deep", () => {
            expect(jsonTooDeep("[[[]]]", 2)).to.deep.equal({ line: 1, column: 3 });
            expect(jsonTooDeep("[[]]", 2)).to.equal(undefined);
            expect(yamlTooDeep("a:\n  b:\n    c: 1\n", 2)).to.deep.equal({ line: 3, column: 5 });
            expect(yamlTooDeep("a:\n  b: 1\n", 2)).to.equal(undefined);
        });
    });
});

function jsonMessage(text: string): string {
    try {
        JSON.parse(text);
    } catch (e) {
        return (e as Error).message;
    }
    return "";
}

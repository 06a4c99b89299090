import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ConfigErrors, Problems } from "../../components/internal/errors";
import {
    KnownNow,
    Reader,
    check,
    trueOrFalse,
    input,
    integer,
    join,
    keysOf,
    list,
    map,
    nonEmpty,
    nullAsAbsent,
    object,
    objectFields,
    oneOf,
    optional,
    orThrow,
    readOrThrow,
    text,
    withDefault,
} from "../../components/internal/read";

/** What `reader` gives for `value` at `path`, and the messages it recorded. */
function read<T>(reader: Reader<T>, value: unknown, path = "a.b"): { value: T | undefined; messages: string[] } {
    const p = new Problems();
    const out = reader(p, path, value);
    return { value: out, messages: p.errors.map(e => e.message) };
}

const port = integer(1, 65535, "an integer port");
const kind = oneOf(["ip", "instance"]);
const name = text(/^[a-z]+$/, "expected lower-case letters");

describe("internal/read: typed readers", () => {
    describe("each kind of reader gives the typed value, or records a path-named error", () => {
        const table: [string, Reader<unknown>, unknown, unknown, string[]][] = [
            ["text", name, "web", "web", []],
            ["text refused", name, "Web", undefined, ['a.b: got "Web"; expected lower-case letters']],
            ["integer", port, 8080, 8080, []],
            ["integer out of range", port, 0, undefined, ["a.b: got 0; expected an integer port from 1 to 65535"]],
            ["integer, not whole", integer(0, 9), 1.5, undefined, ["a.b: got 1.5; expected an integer from 0 to 9"]],
            ["trueOrFalse", trueOrFalse, false, false, []],
            ["trueOrFalse refused", trueOrFalse, "yes", undefined, ['a.b: got "yes"; expected true or false']],
            ["closed set", kind, "ip", "ip", []],
            ["closed set refused", kind, "pod", undefined, ['a.b: got "pod"; expected one of "ip", "instance"']],
            [
                "custom check, allowed from the value",
                check(
                    (v): v is 7 => v === 7,
                    v => `expected 7, not ${typeof v}`,
                ),
                "7",
                undefined,
                ['a.b: got "7"; expected 7, not string'],
            ],
            ["optional, absent", optional(port), undefined, undefined, []],
            ["optional, present and refused", optional(port), -1, undefined, ["a.b: got -1; expected an integer port from 1 to 65535"]],
            ["default, absent", withDefault(port, 80), undefined, 80, []],
            ["default, null refused", withDefault(port, 80), null, undefined, ["a.b: got null; expected an integer port from 1 to 65535"]],
            ["default, null as absent", nullAsAbsent(withDefault(port, 80)), null, 80, []],
            ["an Output where a plain value is needed", port, pulumi.output(80), undefined, [`a.b: got an Output; ${KnownNow}`]],
            ["input: an Output is left for later", input(port), pulumi.output(80), undefined, []],
            ["input: a known value is read now", input(port), 0, undefined, ["a.b: got 0; expected an integer port from 1 to 65535"]],
        ];
        for (const [what, reader, value, want, messages] of table) {
            it(what, () => expect(read(reader, value)).to.deep.equal({ value: want, messages }));
        }
    });

    describe("list", () => {
        const ports = list(port, { notList: "expected a list of ports", unique: true });
        it("gives the items, checked at their index", () => {
            expect(read(ports, [80, 443])).to.deep.equal({ value: [80, 443], messages: [] });
        });
        it("refuses what is not a list, each bad item at its index, and a repeat; then gives nothing", () => {
            expect(read(ports, 80)).to.deep.equal({ value: undefined, messages: ["a.b: got 80; expected a list of ports"] });
            expect(read(ports, [80, 0, "x", 80])).to.deep.equal({
                value: undefined,
                messages: [
                    "a.b[1]: got 0; expected an integer port from 1 to 65535",
                    'a.b[2]: got "x"; expected an integer port from 1 to 65535',
                    "a.b[3]: got 80; expected no duplicates",
                ],
            });
        });
        it("compares repeats by the key given", () => {
            const hosts = list(name, { notList: "", unique: h => h.slice(0, 1) });
            expect(read(hosts, ["ab", "ac"]).messages).to.deep.equal(['a.b[1]: got "ac"; expected no duplicates']);
        });
        it("nonEmpty refuses an empty list with its own words", () => {
            expect(read(nonEmpty(ports, "expected at least one port"), [])).to.deep.equal({
                value: undefined,
                messages: ["a.b: got []; expected at least one port"],
            });
        });
    });

    describe("map", () => {
        const weights = map(() => integer(0, 999), {
            notMap: "expected { <cluster>: weight }",
            key: { pattern: /^[a-z]+$/, allowed: "expected a cluster key" },
        });
        it("gives the entries whose key and value passed, and records the others at their key", () => {
            expect(read(weights, { blue: 1, Green: 2, red: 1000, "a b": 3 })).to.deep.equal({
                value: { blue: 1 },
                messages: [
                    'a.b.Green: got "Green"; expected a cluster key',
                    "a.b.red: got 1000; expected an integer from 0 to 999",
                    'a.b["a b"]: got "a b"; expected a cluster key',
                ],
            });
        });
        it("refuses what is not an object, and an empty one when it must have an entry", () => {
            expect(read(weights, [1]).messages).to.deep.equal(["a.b: got [1]; expected { <cluster>: weight }"]);
            expect(
                read(
                    map(() => trueOrFalse, { notMap: "expected at least one", nonEmpty: true }),
                    {},
                ).messages,
            ).to.deep.equal(["a.b: got {}; expected at least one"]);
        });
    });

    describe("object", () => {
        interface Service {
            port: number;
            protocol?: string;
            hosts: string[];
        }
        const fields = {
            port,
            protocol: optional(oneOf(["HTTP", "HTTPS"])),
            hosts: withDefault(list(name, { notList: "expected a list" }), []),
        };
        const service = object<Service>("expected { port, protocol?, hosts? }", fields);
        it("gives the object with its defaults; an absent optional field stays absent", () => {
            const got = read(service, { port: 80 });
            expect(got).to.deep.equal({ value: { port: 80, hosts: [] }, messages: [] });
            expect(got.value).to.not.have.property("protocol");
        });
        it("refuses an unknown key, listing the known ones in their declared order, and still reads the rest", () => {
            expect(read(service, { prot: "HTTP", port: 80 })).to.deep.equal({
                value: { port: 80, hosts: [] },
                messages: ['a.b.prot: got "HTTP"; unknown key; expected one of port, protocol, hosts'],
            });
        });
        it("gives nothing when a field is refused, after reading every field", () => {
            expect(read(service, { port: 0, protocol: "TCP" })).to.deep.equal({
                value: undefined,
                messages: [
                    "a.b.port: got 0; expected an integer port from 1 to 65535",
                    'a.b.protocol: got "TCP"; expected one of "HTTP", "HTTPS"',
                ],
            });
        });
        it("passes a field that gave its value though something inside it was refused (a nested unknown key)", () => {
            const outer = object<{ inner: Service }>("expected { inner }", { inner: service });
            expect(read(outer, { inner: { port: 80, zz: 1 } })).to.deep.equal({
                value: { inner: { port: 80, hosts: [] } },
                messages: ["a.b.inner.zz: got 1; unknown key; expected one of port, protocol, hosts"],
            });
        });
        it("objectFields gives the fields that passed when another did not, for the checks across them", () => {
            const p = new Problems();
            const got = objectFields<Service>("expected { port, protocol?, hosts? }", fields)(p, "s", { port: "80", hosts: ["web"] });
            expect(got).to.deep.equal({ fields: { hosts: ["web"] }, whole: undefined });
        });
        it("echoes the object received in its own key order, and refuses it when it is not an object", () => {
            expect(read(service, ["x"]).messages).to.deep.equal(['a.b: got ["x"]; expected { port, protocol?, hosts? }']);
            expect(read(trueOrFalse, { b: 1, a: 2 }).messages).to.deep.equal(['a.b: got {"b":1,"a":2}; expected true or false']);
        });
        it("allows other keys when told (a contract that may grow)", () => {
            expect(
                read(object<{ a: boolean }>("expected { a }", { a: trueOrFalse }, { otherKeys: "allowed" }), { a: true, later: 1 }),
            ).to.deep.equal({ value: { a: true }, messages: [] });
        });
    });

    it("join quotes keys that are not plain", () => {
        expect([join("", "a"), join("a", "b"), join("a", 0), join("a", "x.y"), join("", "x y")]).to.deep.equal([
            "a",
            "a.b",
            "a[0]",
            'a["x.y"]',
            '"x y"',
        ]);
    });

    it("keysOf lists an interface's keys in their declared order", () => {
        expect(keysOf<{ b?: number; a: string }>({ b: true, a: true })).to.deep.equal(["b", "a"]);
    });

    it("orThrow and readOrThrow throw every problem recorded at once", () => {
        const p = new Problems();
        const value = port(p, "x", 0);
        expect(() => orThrow(p, value)).to.throw(ConfigErrors, "x: got 0; expected an integer port from 1 to 65535");
        expect(orThrow(new Problems(), 5)).to.equal(5);
        expect(() => readOrThrow(list(port, { notList: "expected a list" }), "ports", [0, 70000])).to.throw(
            ConfigErrors,
            "2 configuration errors:\n  - ports[0]: got 0; expected an integer port from 1 to 65535\n  - ports[1]: got 70000; expected an integer port from 1 to 65535",
        );
        expect(readOrThrow(port, "p", 80)).to.equal(80);
    });
});

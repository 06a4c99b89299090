import { expect } from "chai";
import fc from "fast-check";
import { globIntersection, globMatch, literalCount, wildcardCount } from "../../components/shared-alb/glob";

const cs = { caseInsensitive: false };

describe("glob patterns", () => {
    const matches: [string, string, boolean, boolean][] = [
        // pattern, value, case-insensitive, matches
        ["*.example.com", "shop.example.com", true, true],
        ["*.example.com", "example.com", true, false],
        ["*.example.com", ".example.com", true, true],
        ["shop.example.com", "SHOP.Example.com", true, true],
        ["/Api/*", "/api/x", false, false],
        ["/api/*", "/api/", false, true],
        ["/api/?", "/api/", false, false],
        ["/api/?", "/api/ab", false, false],
        ["/a*b*c", "/axxbyyc", false, true],
        ["/a*b*c", "/axxbyyc/", false, false],
    ];
    for (const [pattern, value, insensitive, want] of matches) {
        it(`${pattern} ${want ? "matches" : "does not match"} ${value}`, () => {
            expect(globMatch(pattern, value, { caseInsensitive: insensitive })).to.equal(want);
        });
    }

    const intersections: [string, string, boolean, string | undefined][] = [
        ["*.example.com", "shop.example.com", true, "shop.example.com"],
        ["*.example.com", "*.example.com", true, "x.example.com"],
        ["*.example.com", "SHOP.EXAMPLE.COM", true, "shop.example.com"],
        ["a*", "*b", false, "ab"],
        ["/api/*", "/checkout/*", false, undefined],
        ["/api/*", "/API/*", false, undefined],
        ["/a?c", "/*b*", false, "/abc"],
        ["/v?/*", "/v1/orders", false, "/v1/orders"],
        ["shop.example.com", "*.shop.example.com", true, undefined],
    ];
    for (const [a, b, insensitive, want] of intersections) {
        it(`${a} and ${b} ${want === undefined ? "never match one value" : `both match ${want}`}`, () => {
            expect(globIntersection(a, b, { caseInsensitive: insensitive })).to.equal(want);
            expect(globIntersection(b, a, { caseInsensitive: insensitive }) === undefined).to.equal(want === undefined);
        });
    }

    it("intersect exactly when some value matches both (property, against a brute-force search)", () => {
        const pattern = fc.array(fc.constantFrom("a", "b", "*", "?"), { maxLength: 4 }).map(cs => cs.join(""));
        const values: string[] = [""];
        for (let len = 1; len <= 8; len++) {
            for (const v of values.filter(x => x.length === len - 1)) {
                for (const c of ["a", "b", "x"]) {
                    values.push(v + c);
                }
            }
        }
        fc.assert(
            fc.property(pattern, pattern, (a, b) => {
                const witness = globIntersection(a, b, cs);
                const brute = values.find(v => globMatch(a, v, cs) && globMatch(b, v, cs));
                expect(witness === undefined, `${a} & ${b}: witness ${witness}, brute force ${brute}`).to.equal(brute === undefined);
                if (witness !== undefined) {
                    expect(globMatch(a, witness, cs) && globMatch(b, witness, cs)).to.equal(true);
                }
            }),
            { numRuns: 500 },
        );
    });

    it("counts literal characters and wildcards", () => {
        expect([literalCount("*.example.com"), wildcardCount("*.example.com")]).to.deep.equal([12, 1]);
        expect([literalCount("/v?/*"), wildcardCount("/v?/*")]).to.deep.equal([3, 2]);
    });
});

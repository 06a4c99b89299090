import { expect } from "chai";
import fc from "fast-check";
import {
    LevelCount,
    PriorityLayout,
    defaultActionPreviewPriority,
    preferredPreviewSlot,
    preferredPriority,
    describeLevel,
    pairLevel,
    precedenceConflicts,
    previewPriority,
    ruleLevel,
} from "../../components/shared-alb/precedence";

describe("priority layout", () => {
    it("bands host and path before path only before host only, more literal characters first", () => {
        const order = [
            pairLevel("shop.example.com", "/checkout/*"),
            pairLevel("*.example.com", "/checkout/*"),
            pairLevel("shop.example.com", "/api/*"),
            pairLevel("shop.example.com", "/"),
            pairLevel(undefined, "/api/v1/orders/*"),
            pairLevel(undefined, "/api/v1/*"),
            pairLevel(undefined, "/api/*"),
            pairLevel(undefined, "/a"),
            pairLevel("checkout.shop.example.com", undefined),
            pairLevel("shop.example.com", undefined),
            pairLevel("*.example.com", undefined),
        ];
        expect(order).to.deep.equal([3, 4, 9, 12, 18, 22, 25, 28, 31, 35, 37]);
        expect(describeLevel(3)).to.equal("host and path: path 10-14 literal characters, exact host");
        expect(describeLevel(4)).to.equal("host and path: path 10-14 literal characters, wildcard host with 12+ literal characters");
        expect(describeLevel(29)).to.equal("path only: 1 literal character");
        expect(describeLevel(39)).to.equal("host only: up to 8 literal characters");
        expect(LevelCount).to.equal(40);
    });

    it("ranks a rule by its least specific values", () => {
        expect(ruleLevel(["shop.example.com", "*.example.com"], [])).to.equal(pairLevel("*.example.com", undefined));
        expect(ruleLevel([], ["/api/v1/*", "/a"])).to.equal(pairLevel(undefined, "/a"));
    });

    it("prefers blocks of ten: the rule on the multiple of ten, preview slots 1..9 below it, default-action previews last", () => {
        const web = preferredPriority(["shop.example.com"], [], "web");
        const api = preferredPriority([], ["/api/*"], "api");
        expect([web, api]).to.deep.equal([44020, 31750]);
        expect([preferredPreviewSlot("blue"), preferredPreviewSlot("green")]).to.deep.equal([3, 4]);
        expect([previewPriority(web, 3), previewPriority(web, 4), previewPriority(web, 1), previewPriority(web, 9)]).to.deep.equal([
            44013, 44014, 44011, 44019,
        ]);
        expect(defaultActionPreviewPriority(3)).to.equal(49993);
    });

    it("keeps every preferred priority a multiple of ten in 1010..49800, more specific levels lower (property)", () => {
        const value = fc.stringMatching(/^\/[a-z*?/]{0,20}$/);
        const host = fc.stringMatching(/^[a-z*?.]{0,20}\.com$/);
        const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
        fc.assert(
            fc.property(fc.option(host, { nil: undefined }), fc.option(value, { nil: undefined }), name, name, (h, p, a, b) => {
                fc.pre(h !== undefined || p !== undefined);
                const hosts = h === undefined ? [] : [h];
                const paths = p === undefined ? [] : [p];
                const priority = preferredPriority(hosts, paths, a);
                expect(priority % PriorityLayout.blockSize).to.equal(0);
                expect(priority).to.be.within(PriorityLayout.firstDerived, 49800);
                expect(previewPriority(priority, 1)).to.be.above(PriorityLayout.explicitMax);
                // A more specific value pair always gets a lower priority, whatever the names.
                if (h !== undefined && p !== undefined) {
                    expect(preferredPriority(hosts, paths, a)).to.be.below(preferredPriority([], paths, b));
                    expect(preferredPriority([], paths, a)).to.be.below(preferredPriority(hosts, [], b));
                }
            }),
        );
    });
});

describe("precedence conflicts", () => {
    const ranked = (service: string, hosts: string[], paths: string[], explicit?: number) => ({
        service,
        hosts,
        paths,
        explicit: explicit !== undefined,
        priority: explicit ?? preferredPriority(hosts, paths, service),
        shadows: [] as string[],
    });

    it("reports overlapping rules at one level, with a request both match", () => {
        expect(
            precedenceConflicts([
                ranked("a", ["shop.example.com"], []),
                ranked("b", ["*.example.com"], ["/x*"]),
                ranked("c", ["sh?p.example.com"], []),
            ]),
        ).to.deep.equal([
            {
                kind: "tie",
                first: "c",
                second: "a",
                witness: { host: "shop.example.com", path: undefined },
                firstLevel: 35,
                secondLevel: 35,
            },
        ]);
    });

    it("reports a rule ranked first by its least specific value whose other value is not more specific than the later rule's", () => {
        // b ranks by "*.com" (up to 8 literals) after a ("*.example.com", 12 literals), yet b's "xy.example.com" (14) is more specific than a's value.
        expect(precedenceConflicts([ranked("a", ["*.example.com"], []), ranked("b", ["xy.example.com", "*.com"], [])])).to.deep.equal([
            {
                kind: "shadowing",
                first: "a",
                second: "b",
                witness: { host: "xy.example.com", path: undefined },
                firstLevel: 37,
                secondLevel: 36,
            },
        ]);
        // Here the more specific rule ranks first by its least specific value: no conflict.
        expect(precedenceConflicts([ranked("a", ["*.example.com", "*.io"], []), ranked("b", ["x.example.com"], [])])).to.deep.equal([]);
        const clash = precedenceConflicts([
            ranked("a", ["*.eu.example.com", "*.io"], []),
            ranked("b", ["ab.example.com", "*.example.com"], []),
        ]);
        expect(clash.map(c => [c.first, c.second, c.witness.host])).to.deep.equal([["b", "a", "x.eu.example.com"]]);
    });

    it("leaves explicit priorities (the user's order) and disjoint rules alone", () => {
        expect(precedenceConflicts([ranked("a", ["shop.example.com"], [], 10), ranked("b", ["sh?p.example.com"], [])])).to.deep.equal([]);
        expect(precedenceConflicts([ranked("a", [], ["/api/*"]), ranked("b", [], ["/img/*"])])).to.deep.equal([]);
    });
});

import { expect } from "chai";
import * as fc from "fast-check";
import { ConditionInput, conditionsMatch } from "../../components/shared-alb/evaluate";
import { matchesPlainRequests, overlapRequests, ruleValues, RuleValues, witnessRequests } from "../../components/shared-alb/witness";

/** A rule's host and path conditions, as the evaluator reads them. */
function conditions(r: RuleValues): ConditionInput[] {
    return [
        ...(r.hosts.length > 0 ? [{ hostHeader: { values: [...r.hosts] } }] : []),
        ...(r.paths.length > 0 ? [{ pathPattern: { values: [...r.paths] } }] : []),
    ];
}

// Hosts under shared domains and paths with wildcards, from few enough pieces that rules often overlap.
const hostPattern = fc
    .tuple(
        fc.constantFrom("shop", "api", "*", "sh?p", "*-admin", "billing"),
        fc.constantFrom(".example.com", ".example.org", "*", ".*.com"),
    )
    .map(([a, b]) => `${a}${b}`);
const pathPattern = fc
    .array(fc.constantFrom("api", "v1", "*", "?", "checkout", "a*b"), { minLength: 1, maxLength: 3 })
    .map(s => `/${s.join("/")}`);
const rule: fc.Arbitrary<RuleValues> = fc.record({
    hosts: fc.uniqueArray(hostPattern, { maxLength: 3 }),
    paths: fc.uniqueArray(pathPattern, { maxLength: 2 }),
});
/** A concrete value a pattern matches: each `*` and `?` filled from `fill`. */
const instance = (pattern: string, fill: string[]): string => {
    let i = 0;
    return pattern.replace(/[*?]/g, c => {
        const f = fill[i++ % fill.length];
        return c === "?" ? (f[0] ?? "q") : f;
    });
};

describe("witness requests", () => {
    it("a request of every overlap matches both rules, as the evaluator judges them", () => {
        fc.assert(
            fc.property(rule, rule, (a, b) => {
                for (const { request } of overlapRequests(a, b)) {
                    expect(conditionsMatch(conditions(a), request), `${request.host} ${request.path} vs ${JSON.stringify(a)}`).to.equal(
                        true,
                    );
                    expect(conditionsMatch(conditions(b), request), `${request.host} ${request.path} vs ${JSON.stringify(b)}`).to.equal(
                        true,
                    );
                }
            }),
            { numRuns: 400 },
        );
    });

    it("finds an overlap whenever some request matches both rules (one made from the first rule's values, the second matching it)", () => {
        const fill = fc.array(fc.constantFrom("", "x", "shop", "api", "v1", "a/b", "q.example"), { minLength: 1, maxLength: 4 });
        fc.assert(
            fc.property(rule, rule, fill, fc.nat(), (a, b, f, pick) => {
                const host = a.hosts.length > 0 ? instance(a.hosts[pick % a.hosts.length], f) : "any.example.net";
                const path = a.paths.length > 0 ? instance(a.paths[pick % a.paths.length], f) : "/anything";
                const request = { host, path };
                if (conditionsMatch(conditions(a), request) && conditionsMatch(conditions(b), request)) {
                    expect(overlapRequests(a, b), `${host} ${path}`).to.not.deep.equal([]);
                }
            }),
            { numRuns: 400 },
        );
    });

    it("covers every host and path value pair of every rule, and every overlap of two rules; each request matches a rule", () => {
        fc.assert(
            fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), rules => {
                const requests = witnessRequests(rules);
                for (const r of rules) {
                    for (const host of r.hosts.length > 0 ? r.hosts : [undefined]) {
                        for (const path of r.paths.length > 0 ? r.paths : [undefined]) {
                            const one = conditions({ hosts: host === undefined ? [] : [host], paths: path === undefined ? [] : [path] });
                            expect(
                                requests.some(q => conditionsMatch(one, q)),
                                `${String(host)} ${String(path)}`,
                            ).to.equal(true);
                        }
                    }
                }
                for (const [i, a] of rules.entries()) {
                    for (const b of rules.slice(i + 1)) {
                        const both = requests.filter(q => conditionsMatch(conditions(a), q) && conditionsMatch(conditions(b), q));
                        expect(both.length > 0).to.equal(overlapRequests(a, b).length > 0);
                    }
                }
                for (const q of requests) {
                    expect(rules.some(r => conditionsMatch(conditions(r), q))).to.equal(true);
                }
                expect(new Set(requests.map(q => `${q.host} ${q.path}`)).size).to.equal(requests.length);
            }),
            { numRuns: 200 },
        );
    });

    it("fills each wildcard both patterns leave open with x, an open host with x and an open path with /", () => {
        const cases: [RuleValues, RuleValues, string[]][] = [
            [{ hosts: ["shop.example.com"], paths: [] }, { hosts: [], paths: ["/api/*"] }, ["shop.example.com /api/x"]],
            [{ hosts: ["*.example.com"], paths: [] }, { hosts: ["shop.example.com"], paths: [] }, ["shop.example.com /"]],
            [{ hosts: [], paths: ["/api/*"] }, { hosts: [], paths: ["/api/v?/*"] }, ["x /api/vx/x"]],
            [
                { hosts: ["a.example.com", "b.example.com"], paths: [] },
                { hosts: ["*"], paths: ["/x/*"] },
                ["a.example.com /x/x", "b.example.com /x/x"],
            ],
            [{ hosts: ["billing.example.com"], paths: [] }, { hosts: ["catalog.example.com"], paths: [] }, []],
            [{ hosts: [], paths: ["/v1/svc1/*"] }, { hosts: [], paths: ["/v1/svc2/*"] }, []],
        ];
        for (const [a, b, expected] of cases) {
            expect(
                overlapRequests(a, b).map(o => `${o.request.host} ${o.request.path}`),
                JSON.stringify([a, b]),
            ).to.deep.equal(expected);
        }
        expect(
            witnessRequests([
                { hosts: ["shop.example.com"], paths: [] },
                { hosts: [], paths: ["/api/*"] },
            ]).map(q => `${q.host} ${q.path}`),
        ).to.deep.equal(["shop.example.com /", "shop.example.com /api/x", "x /api/x"]);
    });

    it("reads a rule's host and path values, and whether plain requests (no header, no listed source) can match it", () => {
        const preview: ConditionInput[] = [
            { hostHeader: { values: ["shop.example.com"] } },
            { pathPattern: { values: ["/api/*", "/v2/*"] } },
            { httpHeader: { httpHeaderName: "x-shared-alb-cluster", values: ["green"] } },
        ];
        expect(ruleValues(preview)).to.deep.equal({ hosts: ["shop.example.com"], paths: ["/api/*", "/v2/*"] });
        expect([
            matchesPlainRequests(preview),
            matchesPlainRequests(preview.slice(0, 2)),
            matchesPlainRequests([{ sourceIp: { values: ["203.0.113.0/24"] } }]),
        ]).to.deep.equal([false, true, false]);
    });
});

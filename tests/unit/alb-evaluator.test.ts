import { expect } from "chai";
import {
    AlbRequest,
    ListenerInput,
    RuleInput,
    checkListener,
    forwardedTo,
    receivers,
    routeRequest,
} from "../../components/shared-alb/evaluate";

const forward = (...tgs: [string, number][]) => [
    { type: "forward", forward: { targetGroups: tgs.map(([arn, weight]) => ({ arn, weight })) } },
];
const fixed = (statusCode: string) => [{ type: "fixed-response", fixedResponse: { statusCode } }];
const rule = (priority: number, conditions: RuleInput["conditions"], target: string): RuleInput => ({
    priority,
    conditions,
    actions: forward([target, 1]),
});

describe("ALB evaluator", () => {
    const listener: ListenerInput = {
        rules: [
            rule(30, [{ hostHeader: { values: ["*.example.com"] } }], "wildcard-host"),
            rule(10, [{ hostHeader: { values: ["Shop.Example.com"] } }, { pathPattern: { values: ["/api/*", "/v?/*"] } }], "shop-api"),
            rule(20, [{ pathPattern: { values: ["/Img/*"] } }], "images"),
            rule(
                5,
                [
                    { hostHeader: { values: ["shop.example.com"] } },
                    { httpHeader: { httpHeaderName: "X-Shared-Alb-Cluster", values: ["gr*n"] } },
                ],
                "preview",
            ),
        ],
        defaultActions: fixed("404"),
    };
    const answer = (request: AlbRequest) => {
        const a = routeRequest(listener, request);
        return [a.rule, a.action.forward?.targetGroups[0].arn ?? a.action.fixedResponse?.statusCode];
    };

    const table: [string, AlbRequest, unknown[]][] = [
        ["rules in ascending priority, the first match wins", { host: "shop.example.com", path: "/api/x" }, [10, "shop-api"]],
        ["hosts compare case-insensitively", { host: "SHOP.example.COM", path: "/api/x" }, [10, "shop-api"]],
        ["every condition must match (AND), any value of one (OR)", { host: "shop.example.com", path: "/v2/orders" }, [10, "shop-api"]],
        ["? stands for exactly one character", { host: "shop.example.com", path: "/v22/orders" }, [30, "wildcard-host"]],
        ["path patterns are case-sensitive", { host: "other.test", path: "/img/a.png" }, ["default", "404"]],
        ["path patterns match the whole path", { host: "other.test", path: "/x/Img/a.png" }, ["default", "404"]],
        ["a path pattern's * may stand for nothing", { host: "other.test", path: "/Img/" }, [20, "images"]],
        ["a host's * may span dots", { host: "a.b.example.com", path: "/" }, [30, "wildcard-host"]],
        ["a host pattern matches the whole host", { host: "example.com.evil.test", path: "/" }, ["default", "404"]],
        [
            "header names compare case-insensitively, values too, with wildcards",
            { host: "shop.example.com", path: "/api/x", headers: { "x-shared-alb-cluster": "GREEN" } },
            [5, "preview"],
        ],
        [
            "a repeated header matches when any occurrence does",
            { host: "shop.example.com", path: "/", headers: { "x-shared-alb-cluster": ["blue", "green"] } },
            [5, "preview"],
        ],
        [
            "a header value that does not match",
            { host: "shop.example.com", path: "/", headers: { "x-shared-alb-cluster": "blue" } },
            [30, "wildcard-host"],
        ],
        ["nothing matches: the default action", { host: "other.test", path: "/" }, ["default", "404"]],
    ];
    for (const [what, request, want] of table) {
        it(what, () => expect(answer(request)).to.deep.equal(want));
    }

    it("matches a source-ip condition on the address that connects, inside any of its CIDRs, never without one", () => {
        const sources: ListenerInput = {
            rules: [
                rule(
                    1,
                    [
                        { httpHeader: { httpHeaderName: "x-shared-alb-cluster", values: ["green"] } },
                        { sourceIp: { values: ["203.0.113.0/24", "198.51.100.7/32"] } },
                    ],
                    "preview",
                ),
            ],
            defaultActions: fixed("404"),
        };
        const from = (sourceIp?: string) =>
            routeRequest(sources, { host: "a.test", path: "/", headers: { "x-shared-alb-cluster": "green" }, sourceIp }).rule;
        expect([from("203.0.113.0"), from("203.0.113.255"), from("198.51.100.7")]).to.deep.equal([1, 1, 1]);
        expect([from("203.0.114.0"), from("198.51.100.6"), from("198.51.100.8"), from(undefined), from("not-an-ip")]).to.deep.equal(
            Array(5).fill("default"),
        );
        // Sources forwarded in X-Forwarded-For do not count.
        expect(
            routeRequest(sources, {
                host: "a.test",
                path: "/",
                headers: { "x-shared-alb-cluster": "green", "x-forwarded-for": "203.0.113.9" },
                sourceIp: "192.0.2.1",
            }).rule,
        ).to.equal("default");
    });

    it("returns the forward's target groups with their weights; only those above 0 receive requests", () => {
        const a = routeRequest(
            {
                rules: [{ priority: 1, conditions: [{ pathPattern: { values: ["/a"] } }], actions: forward(["blue", 100], ["green", 0]) }],
                defaultActions: fixed("404"),
            },
            { host: "x.test", path: "/a" },
        );
        expect(forwardedTo(a)).to.deep.equal({ blue: 100, green: 0 });
        expect(receivers(a)).to.deep.equal(["blue"]);
    });

    const refusals: [string, ListenerInput, string][] = [
        [
            "two rules with one priority",
            {
                rules: [rule(7, [{ pathPattern: { values: ["/a"] } }], "a"), rule(7, [{ pathPattern: { values: ["/b"] } }], "b")],
                defaultActions: fixed("404"),
            },
            "rule 7: PriorityInUse (two rules have priority 7)",
        ],
        [
            "four values in one condition",
            { rules: [rule(1, [{ hostHeader: { values: ["a.io", "b.io", "c.io", "d.io"] } }], "a")], defaultActions: fixed("404") },
            "rule 1: a condition takes 1 to 3 values, got 4",
        ],
        [
            "six condition values",
            {
                rules: [
                    rule(
                        1,
                        [
                            { hostHeader: { values: ["a.io", "b.io", "c.io"] } },
                            { pathPattern: { values: ["/a", "/b"] } },
                            { httpHeader: { httpHeaderName: "x", values: ["y"] } },
                        ],
                        "a",
                    ),
                ],
                defaultActions: fixed("404"),
            },
            "rule 1: 6 condition values; a rule takes at most 5",
        ],
        [
            "six wildcards",
            {
                rules: [rule(1, [{ hostHeader: { values: ["*.?.*.io"] } }, { pathPattern: { values: ["/*/?/*"] } }], "a")],
                defaultActions: fixed("404"),
            },
            "rule 1: 6 wildcards; a rule takes at most 5",
        ],
        [
            "six target groups in a forward",
            {
                rules: [
                    {
                        priority: 1,
                        conditions: [{ pathPattern: { values: ["/a"] } }],
                        actions: forward(["1", 1], ["2", 1], ["3", 1], ["4", 1], ["5", 1], ["6", 1]),
                    },
                ],
                defaultActions: fixed("404"),
            },
            "rule 1: a forward takes 1 to 5 target groups, got 6",
        ],
        [
            "a priority of 50001",
            { rules: [rule(50001, [{ pathPattern: { values: ["/a"] } }], "a")], defaultActions: fixed("404") },
            "rule 50001: priority must be an integer from 1 to 50000",
        ],
        [
            "six condition values, source CIDRs counted",
            {
                rules: [
                    rule(
                        1,
                        [
                            { hostHeader: { values: ["a.io", "b.io"] } },
                            { httpHeader: { httpHeaderName: "x", values: ["y"] } },
                            { sourceIp: { values: ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"] } },
                        ],
                        "a",
                    ),
                ],
                defaultActions: fixed("404"),
            },
            "rule 1: 6 condition values; a rule takes at most 5",
        ],
        [
            "two source-ip conditions",
            {
                rules: [rule(1, [{ sourceIp: { values: ["203.0.113.0/24"] } }, { sourceIp: { values: ["198.51.100.0/24"] } }], "a")],
                defaultActions: fixed("404"),
            },
            "rule 1: at most one host-header, one path-pattern and one source-ip condition per rule",
        ],
    ];
    for (const [what, l, message] of refusals) {
        it(`refuses ${what}, as the ALB API would`, () => expect(() => checkListener(l)).to.throw(message));
    }
});

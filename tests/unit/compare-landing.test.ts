import { expect } from "chai";
import { compareFleet, Flag } from "../../cli/plan/compare";
import { SnapshotResource, SnapshotStack } from "../../cli/plan/snapshot";

const T = {
    tg: "aws:lb/targetGroup:TargetGroup",
    rule: "aws:lb/listenerRule:ListenerRule",
    listener: "aws:lb/listener:Listener",
};
const listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop/0a0a0a0a0a0a0a0a/1b1b1b1b1b1b1b1b";
const tgArn = (cluster: string, service: string) =>
    `arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/${cluster}-${service}/0123456789abcdef`;

/** One service of a hand-made network stack. */
interface ServiceSpec {
    hosts?: string[];
    paths?: string[];
    priority: number;
    /** Cluster -> weight; all 0 (or none): the rule answers a fixed 503, as a service without weight does. */
    weights: Record<string, number>;
    /** No service rule: only a preview rule (a header condition) forwards to its target groups. */
    previewOnly?: boolean;
}

/** A network stack: an HTTPS listener (default: fixed 404), per service a target group per cluster (tagged) and its rule. */
function network(services: Record<string, ServiceSpec>): SnapshotStack {
    const resources: SnapshotResource[] = [];
    const add = (type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}) =>
        resources.push({
            urn: `urn:pulumi:network::alb-fleet::${type}::${name}`,
            type,
            name,
            id: `id-${name}`,
            read: false,
            inputs,
            outputs: { ...inputs, ...outputs },
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            replaceOnChanges: [],
            ignoreChanges: [],
        });
    add(
        T.listener,
        "https",
        { port: 443, defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404" } }] },
        { arn: listenerArn },
    );
    for (const [service, s] of Object.entries(services)) {
        for (const cluster of Object.keys(s.weights)) {
            add(
                T.tg,
                `tg-${cluster}-${service}`,
                { port: 8080, tags: { "shared-alb:service": service, "shared-alb:cluster": cluster } },
                { arn: tgArn(cluster, service) },
            );
        }
        const conditions = [
            ...(s.hosts ? [{ hostHeader: { values: s.hosts } }] : []),
            ...(s.paths ? [{ pathPattern: { values: s.paths } }] : []),
        ];
        const forward = (weights: Record<string, number>) => ({
            type: "forward",
            forward: { targetGroups: Object.entries(weights).map(([c, w]) => ({ arn: tgArn(c, service), weight: w })) },
        });
        if (s.previewOnly) {
            const [cluster] = Object.keys(s.weights);
            add(T.rule, `preview-${service}-${cluster}`, {
                listenerArn,
                priority: s.priority - 1,
                conditions: [...conditions, { httpHeader: { httpHeaderName: "x-shared-alb-cluster", values: [cluster] } }],
                actions: [forward({ [cluster]: 1 })],
                tags: { "shared-alb:service": service },
            });
            continue;
        }
        const weighted = Object.values(s.weights).some(w => w > 0);
        add(T.rule, `rule-${service}`, {
            listenerArn,
            priority: s.priority,
            conditions,
            actions: [weighted ? forward(s.weights) : { type: "fixed-response", fixedResponse: { statusCode: "503" } }],
            tags: { "shared-alb:service": service },
        });
    }
    return { stack: "network", project: "alb-fleet", format: "plan", file: "before.json", resources, outputs: {}, assumedValues: [] };
}

const flagsOf = (before: Record<string, ServiceSpec>, after: Record<string, ServiceSpec>): Flag[] =>
    compareFleet([network(before)], [{ ...network(after), file: "" }]).flags;
const landing = (before: Record<string, ServiceSpec>, after: Record<string, ServiceSpec>): [string, string][] =>
    flagsOf(before, after)
        .filter(f => f.kind === "request-destination-changed")
        .map(f => [f.kind, f.message]);

const web: ServiceSpec = { hosts: ["shop.example.com"], priority: 2000, weights: { blue: 100 } };
const checkout = (weights: Record<string, number>, extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
    hosts: ["shop.example.com"],
    paths: ["/checkout/*"],
    priority: 1000,
    weights,
    ...extra,
});

describe("compare: where requests land (request-destination-changed)", () => {
    it("(a) a rule given a priority before a more specific one takes that service's requests", () => {
        const billing = (priority: number): ServiceSpec => ({ hosts: ["billing.example.com"], priority, weights: { blue: 100 } });
        const billingApi: ServiceSpec = { hosts: ["billing.example.com"], paths: ["/api/*"], priority: 1000, weights: { blue: 100 } };
        expect(
            flagsOf({ billing: billing(2000), "billing-api": billingApi }, { billing: billing(100), "billing-api": billingApi }).map(f => [
                f.kind,
                f.message,
            ]),
        ).to.deep.equal([
            [
                "request-destination-changed",
                "request billing.example.com /api/x moves from service billing-api (ListenerRule rule-billing-api, priority 1000: " +
                    "tg-blue-billing-api) to service billing (ListenerRule rule-billing, priority 100: tg-blue-billing)",
            ],
            ["rule-priority-changed", "ListenerRule rule-billing moves from priority 2000 to 100"],
        ]);
    });

    it("(b) a service added at weight 0 whose rule answers 503 takes the requests of the service under the same host", () => {
        expect(landing({ web }, { web, checkout: checkout({ blue: 0 }) })).to.deep.equal([
            [
                "request-destination-changed",
                "request shop.example.com /checkout/x moves from service web (ListenerRule rule-web, priority 2000: tg-blue-web) " +
                    "to a fixed 503 response (ListenerRule rule-checkout, priority 1000)",
            ],
        ]);
    });

    it("(b) a weighted service removed: its requests fall to the listener's default 404", () => {
        const api: ServiceSpec = { paths: ["/api/*"], priority: 1500, weights: { blue: 100 } };
        expect(landing({ web, api }, { web })).to.deep.equal([
            [
                "request-destination-changed",
                "request x /api/x moves from service api (ListenerRule rule-api, priority 1500: tg-blue-api) " +
                    "to a fixed 404 response (the default action of Listener https)",
            ],
            // Under web's host, web answers /api/* after: another service.
            [
                "request-destination-changed",
                "request shop.example.com /api/x moves from service api (ListenerRule rule-api, priority 1500: tg-blue-api) " +
                    "to service web (ListenerRule rule-web, priority 2000: tg-blue-web)",
            ],
        ]);
    });

    it("(c) a service added with weight reaches a target group created in the update, under an existing host and on a new one", () => {
        expect(landing({ web }, { web, checkout: checkout({ blue: 100 }) })).to.deep.equal([
            [
                "request-destination-changed",
                "request shop.example.com /checkout/x moves from service web (ListenerRule rule-web, priority 2000: tg-blue-web) " +
                    "to service checkout (ListenerRule rule-checkout, priority 1000: tg-blue-checkout), created in this update (tg-blue-checkout)",
            ],
        ]);
        const blog: ServiceSpec = { hosts: ["blog.example.com"], priority: 3000, weights: { blue: 100 } };
        expect(landing({ web }, { web, blog })).to.deep.equal([
            [
                "request-destination-changed",
                "request blog.example.com / moves from a fixed 404 response (the default action of Listener https) " +
                    "to service blog (ListenerRule rule-blog, priority 3000: tg-blue-blog), created in this update (tg-blue-blog)",
            ],
        ]);
    });

    it("says why and the safe way for each case", () => {
        const [other] = flagsOf(
            { web, checkout: checkout({ blue: 100 }, { priority: 3000 }) },
            { web, checkout: checkout({ blue: 100 }, { priority: 1000 }) },
        ).filter(f => f.kind === "request-destination-changed");
        const [fixed] = flagsOf({ web }, { web, checkout: checkout({ blue: 0 }) });
        const [created] = flagsOf({ web }, { web, checkout: checkout({ blue: 100 }) });
        expect([other, fixed, created].map(f => [f.reason, f.safe])).to.deep.equal([
            [
                "after the update another service answers these requests: a rule created or changed (its priority, hosts or paths) comes first for them, " +
                    "and that service's pods get requests they may not serve",
                "keep each request with the service that answers it: give the rule hosts, paths or a priority that leave these requests where they are " +
                    "(shared-alb plan lists which service comes first where two overlap); to hand them to a new service on purpose, add it at weight 0 " +
                    "first and weight it in in a later update (a service that had no weight before is not flagged for the requests its weight-in moves)",
            ],
            [
                "these requests were forwarded to targets before and get a fixed response or the listener's default action after: a rule without a " +
                    "weighted target group comes first for them, or the rule that forwarded them is gone",
                "keep the rule that forwards them until another service with healthy targets answers them, or until their clients no longer send them " +
                    "(a service being removed: check that it gets no requests first); a service without weight must not come first for another service's requests",
            ],
            [
                "a target group created in this update has no targets until its cluster stack binds it: these requests fail (503) until then",
                "add the service or cluster at weight 0 first (its target groups are created and health-checked while they get no requests), run its " +
                    "cluster stacks and check its targets are healthy (doctor, the preview route), then give it weight in a later update",
            ],
        ]);
        expect(other.urn).to.equal("urn:pulumi:network::alb-fleet::aws:lb/listenerRule:ListenerRule::rule-checkout");
    });

    it("groups the requests of one move into one flag, naming three and the count", () => {
        const shop: ServiceSpec = {
            hosts: ["a.example.com", "b.example.com", "*.shop.example.com"],
            paths: ["/v1/*", "/v1/*/items"],
            priority: 2000,
            weights: { blue: 100 },
        };
        const other: ServiceSpec = { hosts: ["c.example.com"], priority: 2010, weights: { blue: 100 } };
        const v1: ServiceSpec = { paths: ["/v1/*"], priority: 1000, weights: { blue: 0 } };
        expect(landing({ shop, other }, { shop, other, v1 })).to.deep.equal([
            [
                "request-destination-changed",
                "6 requests (a.example.com /v1/x, a.example.com /v1/x/items, b.example.com /v1/x, ...) move from service shop " +
                    "(ListenerRule rule-shop, priority 2000: tg-blue-shop) to a fixed 503 response (ListenerRule rule-v1, priority 1000)",
            ],
            [
                "request-destination-changed",
                "request c.example.com /v1/x moves from service other (ListenerRule rule-other, priority 2010: tg-blue-other) " +
                    "to a fixed 503 response (ListenerRule rule-v1, priority 1000)",
            ],
        ]);
    });

    const safe: [string, Record<string, ServiceSpec>, Record<string, ServiceSpec>][] = [
        [
            "a service weighted in that had target groups and no weight (only its preview rule) takes its requests: the second step of adding it",
            { web, checkout: checkout({ blue: 0 }, { previewOnly: true }) },
            { web, checkout: checkout({ blue: 10 }) },
        ],
        [
            "a service at weight 0 on a host no rule had: its 503 replaces the default 404",
            { web },
            { web, blog: { hosts: ["blog.example.com"], priority: 3000, weights: { blue: 0 } } },
        ],
        [
            "a cluster weighted in on a target group created in an earlier update",
            { web: { ...web, weights: { blue: 100, green: 0 } } },
            { web: { ...web, weights: { blue: 100, green: 10 } } },
        ],
        [
            "a cluster weighted out, another carrying the service",
            { web: { ...web, weights: { blue: 100, green: 100 } } },
            { web: { ...web, weights: { blue: 0, green: 100 } } },
        ],
        [
            "a rule moved to a priority that keeps its order",
            { web, checkout: checkout({ blue: 100 }) },
            { web, checkout: checkout({ blue: 100 }, { priority: 1500 }) },
        ],
    ];
    for (const [what, before, after] of safe) {
        it(`no flag: ${what}`, () => {
            expect(landing(before, after)).to.deep.equal([]);
        });
    }

    it("a created target group in a rule that already forwarded is left to new-target-group-weighted", () => {
        expect(flagsOf({ web }, { web: { ...web, weights: { blue: 100, purple: 10 } } }).map(f => f.kind)).to.deep.equal([
            "new-target-group-weighted",
        ]);
    });

    it("refuses a BEFORE whose rules the ALB API would refuse, naming the file, stack and listener", () => {
        const bad = network({ web, checkout: checkout({ blue: 100 }, { priority: 2000 }) });
        expect(() => compareFleet([bad], [network({ web })])).to.throw(
            "before.json: stack network: Listener https: its rules cannot be evaluated: rule 2000: PriorityInUse (two rules have priority 2000)",
        );
    });
});

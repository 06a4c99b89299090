import { expect } from "chai";
import { ResourceView } from "../../cli/plan/listeners";
import { precedenceLines, precedenceOf } from "../../cli/plan/overlaps";

const listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop/0a0a0a0a0a0a0a0a/1b1b1b1b1b1b1b1b";

/** A rule of a service: [hosts, paths, priority], optionally a preview rule (a header condition). */
type RuleSpec = [string[], string[], number, { preview?: boolean; untagged?: boolean }?];

/** An HTTPS listener (default 404) and the rules of the services, forwarding to a target group each. */
function stack(services: Record<string, RuleSpec[]>): ResourceView[] {
    const out: ResourceView[] = [
        {
            urn: "urn:pulumi:network::alb-fleet::aws:lb/listener:Listener::https",
            type: "aws:lb/listener:Listener",
            name: "https",
            inputs: { defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404" } }] },
            outputs: { arn: listenerArn },
        },
    ];
    for (const [service, rules] of Object.entries(services)) {
        for (const [i, [hosts, paths, priority, opts]] of rules.entries()) {
            const name = `rule-${service}-${i}`;
            out.push({
                urn: `urn:pulumi:network::alb-fleet::aws:lb/listenerRule:ListenerRule::${name}`,
                type: "aws:lb/listenerRule:ListenerRule",
                name,
                outputs: {},
                inputs: {
                    listenerArn,
                    priority,
                    conditions: [
                        ...(hosts.length > 0 ? [{ hostHeader: { values: hosts } }] : []),
                        ...(paths.length > 0 ? [{ pathPattern: { values: paths } }] : []),
                        ...(opts?.preview ? [{ httpHeader: { httpHeaderName: "x-shared-alb-cluster", values: ["[secret]"] } }] : []),
                    ],
                    actions: [{ type: "forward", forward: { targetGroups: [{ arn: `arn:tg/${service}`, weight: 1 }] } }],
                    tags: opts?.untagged ? {} : { "shared-alb:service": service },
                },
            });
        }
    }
    return out;
}

const lines = (services: Record<string, RuleSpec[]>) => precedenceLines(precedenceOf(stack(services)));

describe("plan: precedence of overlapping services", () => {
    it("names a request each pair of overlapping services both match, and the service whose rule comes first", () => {
        expect(
            lines({
                api: [[[], ["/api/*"], 1010]],
                web: [[["shop.example.com"], [], 2040]],
                "web-preview": [[["shop.example.com"], [], 5, { preview: true }]],
                admin: [[["*.example.com"], ["/admin/*"], 1500]],
                docs: [[["docs.example.org"], [], 3000]],
            }),
        ).to.deep.equal([
            "precedence (Listener https):",
            "  shop.example.com /api/x → api (priority 1010) before web (priority 2040)",
            "  docs.example.org /api/x → api (priority 1010) before docs (priority 3000)",
            "  shop.example.com /admin/x → admin (priority 1500) before web (priority 2040)",
        ]);
    });

    it("an explicit priority that puts a host-only service before a more specific one on its host", () => {
        const found = precedenceOf(
            stack({
                billing: [[["billing.example.com"], [], 100]],
                "billing-api": [[["billing.example.com"], ["/api/*"], 1010]],
            }),
        );
        expect(found).to.deep.equal([
            {
                label: "Listener https",
                services: 2,
                entries: [
                    {
                        listener: "https",
                        request: { host: "billing.example.com", path: "/api/x" },
                        winner: "billing",
                        loser: "billing-api",
                        winnerPriority: 100,
                        loserPriority: 1010,
                        shadowedBy: null,
                    },
                ],
            },
        ]);
        expect(precedenceLines(found)).to.deep.equal([
            "precedence (Listener https):",
            "  billing.example.com /api/x → billing (priority 100) before billing-api (priority 1010)",
        ]);
    });

    it("any host when neither rule names one; the service answering before both when it takes every request of the overlap", () => {
        expect(
            lines({
                orders: [[[], ["/api/*/orders/*"], 1010]],
                reports: [[[], ["/api/orders/*"], 1020]],
                gateway: [[[], ["/api/*"], 500]],
            }),
        ).to.deep.equal([
            "precedence (Listener https):",
            "  (any host) /api/x/orders/x → gateway (priority 500) before orders (priority 1010)",
            "  (any host) /api/orders/x → gateway (priority 500) before reports (priority 1020)",
            "  (any host) /api/orders/orders/x → orders (priority 1010) before reports (priority 1020); gateway (priority 500) answers it before both",
        ]);
    });

    it("prefers a request the listener gives to the winner when the overlap has several", () => {
        expect(
            lines({
                a: [[["a.example.com", "b.example.com"], [], 1000]],
                both: [[["*.example.com"], [], 2000]],
                first: [[["a.example.com"], [], 10]],
            }),
        ).to.deep.equal([
            "precedence (Listener https):",
            "  a.example.com (any path) → first (priority 10) before a (priority 1000)",
            "  a.example.com (any path) → first (priority 10) before both (priority 2000)",
            // a.example.com goes to first: b.example.com shows a before both.
            "  b.example.com (any path) → a (priority 1000) before both (priority 2000)",
        ]);
    });

    it("says so when no two services overlap; nothing for one service; a rule without a service tag is its own service", () => {
        expect(lines({ billing: [[["billing.example.com"], [], 1010]], catalog: [[["catalog.example.com"], [], 1020]] })).to.deep.equal([
            "precedence (Listener https): no request matches the rules of two services",
        ]);
        expect(
            lines({
                web: [
                    [["shop.example.com"], [], 1010],
                    [["shop.example.com"], ["/a/*"], 1000],
                ],
            }),
        ).to.deep.equal([]);
        expect(lines({ web: [[["shop.example.com"], [], 1010]], legacy: [[[], ["/old/*"], 20, { untagged: true }]] })).to.deep.equal([
            "precedence (Listener https):",
            "  shop.example.com /old/x → rule-legacy-0 (priority 20) before web (priority 1010)",
        ]);
    });
});

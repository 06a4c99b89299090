import { expect } from "chai";
import { readListeners, ResourceView, UnknownDefault } from "../../cli/plan/listeners";

const arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop/0a0a0a0a0a0a0a0a/1b1b1b1b1b1b1b1b";
const rule = (name: string, inputs: Record<string, unknown>): ResourceView => ({
    urn: `urn:pulumi:network::alb-fleet::aws:lb/listenerRule:ListenerRule::${name}`,
    type: "aws:lb/listenerRule:ListenerRule",
    name,
    outputs: {},
    inputs: { listenerArn: arn, actions: [{ type: "fixed-response", fixedResponse: { statusCode: "503" } }], ...inputs },
});

describe("listener rules read from registered inputs", () => {
    it("names a listener the stack does not own by its ARN, with a default action it does not know; reads the answering (last) action", () => {
        const [l] = readListeners([
            rule("web", {
                priority: 10,
                conditions: [{ hostHeader: { values: ["shop.example.com"] }, pathPattern: null }],
                actions: [
                    { type: "authenticate-oidc", authenticateOidc: {} },
                    { type: "forward", forward: { targetGroups: [{ arn: "arn:tg/web" }] } },
                ],
                tags: { "shared-alb:service": "web" },
            }),
        ]);
        expect([l.key, l.label, l.defaultActions]).to.deep.equal([arn, `listener ${arn}`, [UnknownDefault]]);
        expect(l.rules.map(r => [r.rule, r.service, r.plain])).to.deep.equal([
            [
                {
                    priority: 10,
                    conditions: [{ hostHeader: { values: ["shop.example.com"] } }],
                    actions: [{ type: "forward", forward: { targetGroups: [{ arn: "arn:tg/web", weight: 1 }] } }],
                },
                "web",
                true,
            ],
        ]);
    });

    it("leaves out a rule with a condition the evaluator does not model (method, query string, regex values)", () => {
        const [l] = readListeners([
            rule("method", { priority: 1, conditions: [{ httpRequestMethod: { values: ["GET"] } }] }),
            rule("query", { priority: 2, conditions: [{ queryStrings: [{ key: "a", value: "b" }] }] }),
            rule("regex", { priority: 3, conditions: [{ hostHeader: { regexValues: ["^shop\\..*$"] } }] }),
            rule("kept", { priority: 4, conditions: [{ pathPattern: { values: ["/api/*"] } }] }),
        ]);
        expect(l.rules.map(r => r.resource.name)).to.deep.equal(["kept"]);
    });

    const refused: [string, Record<string, unknown>, string][] = [
        ["no priority", { conditions: [] }, "ListenerRule r: priority: got nothing; expected a number"],
        ["no action", { priority: 1, actions: [] }, "ListenerRule r: actions: expected an action, got none"],
        [
            "a condition of two kinds",
            { priority: 1, conditions: [{ hostHeader: { values: ["a.example.com"] }, pathPattern: { values: ["/a"] } }] },
            "ListenerRule r: conditions[0]: expected one of hostHeader, pathPattern, httpHeader, sourceIp, got hostHeader, pathPattern",
        ],
        [
            "values that are not strings",
            { priority: 1, conditions: [{ pathPattern: { values: [1] } }] },
            "ListenerRule r: conditions[0].pathPattern: expected { values: [strings] }",
        ],
        [
            "a host longer than the ALB takes",
            { priority: 1, conditions: [{ hostHeader: { values: [`${"a".repeat(125)}.com`] } }] },
            "ListenerRule r: conditions[0].hostHeader: a value of 129 characters; the ALB takes at most 128",
        ],
        [
            "a priority the ALB refuses",
            { priority: 0, conditions: [] },
            `listener ${arn}: its rules cannot be evaluated: rule 0: priority must be an integer from 1 to 50000`,
        ],
    ];
    for (const [what, inputs, message] of refused) {
        it(`refuses ${what}`, () => {
            expect(() => readListeners([rule("r", inputs)])).to.throw(message);
        });
    }
});

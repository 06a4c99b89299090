import { expect } from "chai";
import { exampleFleet, FleetConfigs, Lifecycle, summarize } from "./lifecycle";

const network = (c: FleetConfigs) => c.network["alb-fleet:network"];

/** The example fleet before green joins: blue alone, at weight 100. */
function blueOnly(): FleetConfigs {
    const c = exampleFleet();
    delete network(c).clusters.green;
    delete c["cluster-green"];
    return c;
}

describe("lifecycle: add a cluster and weight it in, each step planned and compared with the previous (--max-shift 25)", function () {
    this.timeout(120_000);
    const fleet = new Lifecycle(blueOnly(), { maxShift: 25 });
    const greenStack = exampleFleet()["cluster-green"];

    before(async () => {
        await fleet.begin();
    });

    it("adds green at weight 0: its target groups, preview rules and cluster stack are created, the rules attach it at weight 0, nothing flagged", async () => {
        const step = await fleet.step("add green at weight 0", c => {
            network(c).clusters.green = { accountId: "111111111111", weight: 0 };
            c["cluster-green"] = structuredClone(greenStack);
        });
        const report = summarize(step.comparison);
        expect(report.flags).to.deep.equal([]);
        expect(report.changes.network).to.deep.equal([
            "create ListenerRule shared-alb-preview-api-green",
            "create ListenerRule shared-alb-preview-web-green",
            "create TargetGroup shared-alb-tg-green-api",
            "create TargetGroup shared-alb-tg-green-web",
            "update ListenerRule shared-alb-rule-api",
            "update ListenerRule shared-alb-rule-web",
        ]);
        expect(report.changes["cluster-blue"]).to.deep.equal([]);
        expect(step.comparison.stacks.find(s => s.stack === "cluster-green")!.status).to.equal("new");
        expect(report.changes["cluster-green"]).to.include.members([
            "create TargetGroupBinding green-api", "create TargetGroupBinding green-web", "create Release green-controller",
        ]);
    });

    for (const [weight, green, blue] of [[10, "9.1%", "90.9%"], [50, "33.3%", "66.7%"], [100, "50%", "50%"]] as const) {
        it(`weights green to ${weight}: the two listener rules move green to ${green}, nothing else changes, nothing flagged`, async () => {
            const step = await fleet.step(`green ${weight}`, c => { network(c).clusters.green.weight = weight; });
            const report = summarize(step.comparison);
            expect(report.flags).to.deep.equal([]);
            expect(report.changes).to.deep.equal({
                network: ["update ListenerRule shared-alb-rule-api", "update ListenerRule shared-alb-rule-web"],
                "cluster-blue": [],
                "cluster-green": [],
            });
            // The weights the ALB will apply, read back from the planned rule.
            const rule = step.plan.stacks[0].resources.find(r => r.name === "shared-alb-rule-web")!;
            const targets = (rule.inputs as any).actions[0].forward.targetGroups as { arn: string; weight: number }[];
            const total = targets.reduce((s, t) => s + t.weight, 0);
            const share = (cluster: string) => {
                const t = targets.find(x => x.arn.includes(`:targetgroup/${cluster}-web-`))!;
                const p = (100 * t.weight) / total;
                return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
            };
            expect([share("green"), share("blue")]).to.deep.equal([green, blue]);
        });
    }

    it("the shortcut 0 -> 100 in one step is flagged with the shift and the safe way", async () => {
        const greenAtZero = blueOnly();
        network(greenAtZero).clusters.green = { accountId: "111111111111", weight: 0 };
        greenAtZero["cluster-green"] = structuredClone(greenStack);
        const lifecycle = new Lifecycle(greenAtZero, { maxShift: 25 });
        await lifecycle.begin();
        const step = await lifecycle.shortcut("green 0 -> 100", c => { network(c).clusters.green.weight = 100; });
        expect(step.comparison.flags.map(f => [f.kind, f.message, f.safe])).to.deep.equal([
            ["weight-shift", "ListenerRule shared-alb-rule-api moves more than 25 points of traffic at once: "
                + "shared-alb-tg-blue-api 100% -> 50%, shared-alb-tg-green-api 0% -> 50%",
            "move the weights in steps of at most 25 points, checking health between steps"],
            ["weight-shift", "ListenerRule shared-alb-rule-web moves more than 25 points of traffic at once: "
                + "shared-alb-tg-blue-web 100% -> 50%, shared-alb-tg-green-web 0% -> 50%",
            "move the weights in steps of at most 25 points, checking health between steps"],
        ]);
    });

    it("the shortcut of changing api's port while both clusters carry it is flagged; the bindings are replaced, deleted first", async () => {
        const step = await fleet.shortcut("api port 9000 -> 9100", c => { network(c).services.api.port = 9100; });
        const report = summarize(step.comparison);
        expect(report.flags).to.deep.equal([
            ["weighted-target-group-replaced", "TargetGroup shared-alb-tg-blue-api is replaced (name, port) while it carries 50% of ListenerRule shared-alb-rule-api's traffic"],
            ["weighted-target-group-replaced", "TargetGroup shared-alb-tg-green-api is replaced (name, port) while it carries 50% of ListenerRule shared-alb-rule-api's traffic"],
        ]);
        expect(step.comparison.flags[0].reason).to.equal("its replacement is a new, empty target group: the rule forwards to it at once, and its "
            + "targets are registered only when the cluster stack runs again (its binding is replaced then), so that share of requests fails (503) in between");
        expect(report.changes.network).to.deep.equal([
            "create SecurityGroupEgressRule shared-alb-out-9100",
            "update RolePolicy shared-alb-registrar-blue",
            "update ListenerRule shared-alb-preview-api-blue",
            "update ListenerRule shared-alb-preview-api-green",
            "update ListenerRule shared-alb-rule-api",
            "replace TargetGroup shared-alb-tg-blue-api",
            "replace TargetGroup shared-alb-tg-green-api",
            "delete SecurityGroupEgressRule shared-alb-out-9000",
        ]);
        for (const [stack, key] of [["cluster-blue", "blue"], ["cluster-green", "green"]] as const) {
            const binding = step.comparison.stacks.find(s => s.stack === stack)!.changes.find(x => x.name === `${key}-api`)!;
            expect([binding.kind, binding.replaceOn, binding.deleteBeforeReplace]).to.deep.equal(["replace", ["spec.targetGroupARN"], true]);
        }
    });
});

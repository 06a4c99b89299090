import { expect } from "chai";
import { compareFleet } from "../../cli/plan/compare";
import { planFleet } from "../../cli/plan/fleet";
import { JsonPlan, toJsonPlan } from "../../cli/plan/render";
import { planSnapshots, readSnapshots, SnapshotStack } from "../../cli/plan/snapshot";
import { deployedValues, stackExport } from "../fixtures/stack-export";
import { exampleFleet, writeFleet } from "./lifecycle";

/** The example fleet as deployed: one `pulumi stack export` per stack, with deployed IDs, ARNs and cluster facts. */
function exportsOf(plan: JsonPlan): SnapshotStack[] {
    const deployed = deployedValues(plan.stacks);
    return plan.stacks.flatMap(s => readSnapshots(JSON.stringify(stackExport(s, deployed)), `${s.stack}.export.json`));
}

describe("compare against pulumi stack export (the example fleet, deployed with other IDs than the plan's)", function () {
    this.timeout(60_000);
    let plan: JsonPlan;
    let exports: SnapshotStack[];
    before(async () => {
        plan = toJsonPlan(await planFleet({ configDir: writeFleet(exampleFleet()) }));
        exports = exportsOf(plan);
    });

    it("reads each export as one stack named by its URNs, without the engine's Stack, default providers and the EKS component's children", () => {
        expect(exports.map(s => [s.stack, s.project, s.format])).to.deep.equal([
            ["network", "alb-fleet", "export"],
            ["cluster-blue", "alb-fleet", "export"],
            ["cluster-green", "alb-fleet", "export"],
        ]);
        const blue = exports[1];
        expect(blue.resources.map(r => r.type)).to.not.include.members([
            "pulumi:pulumi:Stack",
            "pulumi:providers:aws",
            "aws:eks/cluster:Cluster",
        ]);
        expect(blue.resources.length).to.equal(plan.stacks[1].resources.length);
        const tgb = blue.resources.find(r => r.name === "blue-web")!;
        expect(tgb.provider).to.equal(plan.stacks[1].resources.find(r => r.name === "blue-web")!.provider);
        expect(blue.outputs.kubeconfig).to.equal("[secret]");
        expect(blue.resources.find(r => r.type === "pulumi:pulumi:StackReference")!.read).to.equal(true);
    });

    it("finds nothing to change in a plan of the same configs, though every ID and ARN and the existing cluster's facts differ", () => {
        const c = compareFleet(exports, planSnapshots(plan));
        expect(c.stacks.map(s => [s.stack, s.status, s.changes.map(x => `${x.kind} ${x.name} ${x.paths.join(",")}`)])).to.deep.equal([
            ["network", "compared", []],
            ["cluster-blue", "compared", []],
            ["cluster-green", "compared", []],
        ]);
        expect(c.flags).to.deep.equal([]);
    });

    it("without the plan's list of assumed values the existing cluster's provider would look replaced (the list matters)", () => {
        const blind = planSnapshots(plan).map(s => ({ ...s, assumedValues: [] }));
        const green = compareFleet(exports, blind).stacks.find(s => s.stack === "cluster-green")!;
        expect(green.changes.find(x => x.name === "green")).to.deep.include({ kind: "replace", replaceOn: ["kubeconfig"] });
    });

    it("flags a weighted target group replaced by a port change, found through the deployed ARNs", async () => {
        const configs = exampleFleet();
        configs.network["alb-fleet:network"].services.web.port = 8081;
        const changed = toJsonPlan(await planFleet({ configDir: writeFleet(configs) }));
        const c = compareFleet(exports, planSnapshots(changed));
        expect(c.flags.map(f => [f.kind, f.message])).to.deep.equal([
            [
                "weighted-target-group-replaced",
                "TargetGroup shared-alb-tg-blue-web is replaced (name, port) while it carries 100% of ListenerRule shared-alb-rule-web's traffic",
            ],
        ]);
        const blue = c.stacks.find(s => s.stack === "cluster-blue")!;
        expect(blue.changes.map(x => `${x.kind} ${x.name}`)).to.deep.equal([
            // The admission policy follows the new target group ARN.
            "create blue-alb-nodes-8081",
            "update blue-tgb-policy",
            "replace blue-web",
            "delete blue-alb-nodes-8080",
        ]);
    });

    it("compares the cluster stacks alone: the network's ARNs match by name; its security group ID, which names nothing, shows as changed", () => {
        const c = compareFleet(
            exports.filter(s => s.stack !== "network"),
            planSnapshots(plan),
        );
        expect(c.stacks.map(s => [s.stack, s.status, s.changes.map(x => `${x.kind} ${x.name} ${x.paths.join(",")}`)])).to.deep.equal([
            ["network", "not-compared", []],
            [
                "cluster-blue",
                "compared",
                ["update blue-alb-nodes-8080 referencedSecurityGroupId", "update blue-alb-nodes-9000 referencedSecurityGroupId"],
            ],
            [
                "cluster-green",
                "compared",
                [
                    "update green-alb-sg-0c0c0c0c0c0c0c0c0-8080 referencedSecurityGroupId",
                    "update green-alb-sg-0c0c0c0c0c0c0c0c0-9000 referencedSecurityGroupId",
                ],
            ],
        ]);
        expect(c.flags).to.deep.equal([]);
    });
});

describe("compare: reading BEFORE files", () => {
    it("refuses what is neither a plan nor a stack export", () => {
        expect(() => readSnapshots("{ nope", "x.json")).to.throw(/^x\.json: not JSON/);
        expect(() => readSnapshots('{"resources": 3}', "x.json")).to.throw(
            'x.json: expected the output of `shared-alb plan --json` ({ "stacks": [...] }) ' +
                'or of `pulumi stack export` ({ "version": 3, "deployment": { "resources": [...] } })',
        );
    });

    it("refuses an export holding two stacks", () => {
        const doc = {
            version: 3,
            deployment: {
                manifest: {},
                resources: [
                    { urn: "urn:pulumi:a::p::pulumi:pulumi:Stack::p-a", type: "pulumi:pulumi:Stack" },
                    { urn: "urn:pulumi:b::p::pulumi:pulumi:Stack::p-b", type: "pulumi:pulumi:Stack" },
                ],
            },
        };
        expect(() => readSnapshots(JSON.stringify(doc), "two.json")).to.throw(
            "two.json: a stack export holds one stack; its resources name a, b",
        );
    });

    it("reads the deployment alone (the `deployment` object of an export) too", () => {
        const doc = {
            manifest: {},
            resources: [
                {
                    urn: "urn:pulumi:network::alb-fleet::pulumi:pulumi:Stack::alb-fleet-network",
                    type: "pulumi:pulumi:Stack",
                    outputs: { accountId: "1" },
                },
            ],
        };
        expect(readSnapshots(JSON.stringify(doc), "d.json").map(s => [s.stack, s.outputs])).to.deep.equal([
            ["network", { accountId: "1" }],
        ]);
    });
});

import { expect } from "chai";
import * as path from "path";
import { PlanFailure } from "../../cli/plan/fleet";
import { documentedOutputs, showsExactLines } from "./documented";
import { compareText, exampleFleet, FleetConfigs, Lifecycle, StepResult, summarize } from "./lifecycle";

const network = (c: FleetConfigs) => c.network["alb-fleet:network"];

/** The example fleet before green joins: blue alone, at weight 100. */
function blueOnly(): FleetConfigs {
    const c = exampleFleet();
    delete network(c).clusters.green;
    delete c["cluster-green"];
    return c;
}

/** Each cluster's share of a planned rule's traffic (`blue: "50%"`), read back from its forward action. */
function shares(step: StepResult, rule: string): Record<string, string> {
    const planned = step.plan.stacks[0].resources.find(r => r.name === rule)!;
    const targets = (planned.inputs as any).actions[0].forward.targetGroups as { arn: string; weight: number }[];
    const total = targets.reduce((s, t) => s + t.weight, 0);
    return Object.fromEntries(
        targets.map(t => {
            const cluster = /:targetgroup\/([a-z]+)-/.exec(t.arn)![1];
            const p = (100 * t.weight) / total;
            return [cluster, `${Number.isInteger(p) ? p : p.toFixed(1)}%`];
        }),
    );
}

const outputsOf = (step: StepResult) => step.plan.stacks[0].outputs as any;

/** The `plan --compare` outputs the README and docs/day-2.md show, by step. */
const Docs = ["README.md", "docs/day-2.md"].map(file => ({
    file,
    blocks: documentedOutputs(path.join(__dirname, "..", "..", file), "plan --compare"),
}));
const documentedSteps = new Set<string>();

/** Every line the docs show for this step is a line of its real output, in order. */
function expectDocumented(id: string, step: StepResult): void {
    const text = compareText(step);
    for (const { file, blocks } of Docs) {
        for (const shown of blocks.get(id) ?? []) {
            expect(showsExactLines(shown, text), `${file}, output of ${id}:\n${text}`).to.deep.equal({ ok: true });
        }
    }
    documentedSteps.add(id);
}

/** Nothing but the rules that carry the weights changes. */
const rulesOnly = (...rules: string[]) => ({
    network: rules.map(r => `update ListenerRule shared-alb-rule-${r}`),
    "cluster-blue": [],
    "cluster-green": [],
});

/**
 * The day-2 life of the example fleet, as an operator runs it: every step is
 * a config edit, planned and compared with the plan of the step before
 * (`shared-alb plan --compare before.json --max-shift 50`). The safe path
 * flags nothing; each unsafe shortcut is flagged with its reason.
 */
describe("lifecycle: add a cluster, weight it in, change a port cluster by cluster, retire and remove a cluster (--max-shift 50)", function () {
    this.timeout(180_000);
    const fleet = new Lifecycle(blueOnly(), { maxShift: 50 });
    const greenStack = exampleFleet()["cluster-green"];

    before(async () => {
        await fleet.begin();
    });

    it("adds green at weight 0: its target groups, preview rules and cluster stack are created, the rules attach it at weight 0, nothing flagged", async () => {
        const step = await fleet.step("add green at weight 0", c => {
            network(c).clusters.green = { accountId: "111111111111", weight: 0 };
            c["cluster-green"] = structuredClone(greenStack);
        });
        expectDocumented("add-green", step);
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
            "create TargetGroupBinding green-api",
            "create TargetGroupBinding green-web",
            "create Release green-controller",
        ]);
        expect(shares(step, "shared-alb-rule-web")).to.deep.equal({ blue: "100%", green: "0%" });
    });

    for (const [weight, green, blue] of [
        [10, "9.1%", "90.9%"],
        [50, "33.3%", "66.7%"],
        [100, "50%", "50%"],
    ] as const) {
        it(`weights green to ${weight}: the two listener rules move green to ${green}, nothing else changes, nothing flagged`, async () => {
            const step = await fleet.step(`green ${weight}`, c => {
                network(c).clusters.green.weight = weight;
            });
            expectDocumented(`green-${weight}`, step);
            const report = summarize(step.comparison);
            expect(report.flags).to.deep.equal([]);
            expect(report.changes).to.deep.equal(rulesOnly("api", "web"));
            expect(shares(step, "shared-alb-rule-web")).to.deep.equal({ blue, green });
        });
    }

    it("the shortcut of adding a service with weight at once is flagged: its requests reach target groups created in the same update", async () => {
        const step = await fleet.shortcut("add checkout with weight", c => {
            network(c).services.checkout = {
                port: 8081,
                hosts: ["shop.example.com"],
                paths: ["/checkout/*"],
                healthCheck: { path: "/healthz" },
            };
            for (const stack of ["cluster-blue", "cluster-green"]) {
                c[stack]["alb-fleet:cluster"].bindings.checkout = { namespace: "shop", service: "checkout", port: 80 };
            }
        });
        expectDocumented("shortcut-service-weighted", step);
        const priority = (rule: string) => (step.plan.stacks[0].resources.find(r => r.name === rule)!.inputs as any).priority as number;
        expect(step.comparison.flags.map(f => [f.kind, f.message, f.reason, f.safe])).to.deep.equal([
            [
                "request-destination-changed",
                `request shop.example.com /checkout/x moves from service web (ListenerRule shared-alb-rule-web, priority ${priority("shared-alb-rule-web")}: ` +
                    "shared-alb-tg-blue-web, shared-alb-tg-green-web) to service checkout (ListenerRule shared-alb-rule-checkout, priority " +
                    `${priority("shared-alb-rule-checkout")}: shared-alb-tg-blue-checkout, shared-alb-tg-green-checkout), created in this update ` +
                    "(shared-alb-tg-blue-checkout, shared-alb-tg-green-checkout)",
                "a target group created in this update has no targets until its cluster stack binds it: these requests fail (503) until then",
                "add the service or cluster at weight 0 first (its target groups are created and health-checked while they get no requests), run its " +
                    "cluster stacks and check its targets are healthy (doctor, the preview route), then give it weight in a later update",
            ],
        ]);
    });

    it("the shortcut of changing api's port on green while it carries half of api is flagged with the reason and the safe way", async () => {
        const step = await fleet.shortcut("api port 9100 on weighted green", c => {
            network(c).clusters.green.serviceOverrides = { api: { port: 9100 } };
        });
        expectDocumented("shortcut-port-weighted", step);
        expect(step.comparison.flags.map(f => [f.kind, f.message, f.reason, f.safe])).to.deep.equal([
            [
                "weighted-target-group-replaced",
                "TargetGroup shared-alb-tg-green-api is replaced (name, port) while it carries 50% of ListenerRule shared-alb-rule-api's traffic",
                "its replacement is a new, empty target group: the rule forwards to it at once, and its targets are registered only when the cluster stack " +
                    "runs again (its binding is replaced then), so that share of requests fails (503) in between",
                "change it on one cluster at a time (clusters.<key>.serviceOverrides.<service>): weight that cluster to 0 for the service first (plan, up), " +
                    "make the change and run its cluster stack, check its targets through its preview route, then weight it back in",
            ],
        ]);
    });

    it("takes green out of api (services.api.weights.green: 0): only api's rule changes, blue carries all of api, web stays 50/50", async () => {
        const step = await fleet.step("green out of api", c => {
            network(c).services.api.weights = { green: 0 };
        });
        expectDocumented("green-out-of-api", step);
        expect(summarize(step.comparison)).to.deep.equal({ changes: rulesOnly("api"), flags: [] });
        expect([shares(step, "shared-alb-rule-api"), shares(step, "shared-alb-rule-web")]).to.deep.equal([
            { blue: "100%", green: "0%" },
            { blue: "50%", green: "50%" },
        ]);
    });

    it("changes api's port on green alone (serviceOverrides): green's target group and binding are replaced at weight 0, its admission policy follows, nothing flagged", async () => {
        const step = await fleet.step("api port 9100 on green", c => {
            network(c).clusters.green.serviceOverrides = { api: { port: 9100 } };
        });
        expectDocumented("green-port", step);
        expect(summarize(step.comparison)).to.deep.equal({
            changes: {
                network: [
                    "create SecurityGroupEgressRule shared-alb-out-9100",
                    "update ListenerRule shared-alb-preview-api-green",
                    "update ListenerRule shared-alb-rule-api",
                    "update SecurityGroupEgressRule shared-alb-out-9000",
                    "replace TargetGroup shared-alb-tg-green-api",
                ],
                "cluster-blue": [],
                "cluster-green": [
                    "create SecurityGroupIngressRule green-alb-sg-0c0c0c0c0c0c0c0c0-9100",
                    "update RolePolicy green-controller",
                    // The admission policy now pins the new target group's ARN to the binding's namespace.
                    "update ValidatingAdmissionPolicy green-tgb-policy",
                    "replace TargetGroupBinding green-api",
                    "delete SecurityGroupIngressRule green-alb-sg-0c0c0c0c0c0c0c0c0-9000",
                ],
            },
            flags: [],
        });
        const binding = step.comparison.stacks.find(s => s.stack === "cluster-green")!.changes.find(x => x.name === "green-api")!;
        expect([binding.replaceOn, binding.deleteBeforeReplace]).to.deep.equal([["spec.targetGroupARN"], true]);
        // The preview route reaches green's new target group; the outputs carry each cluster's own port.
        const out = outputsOf(step);
        expect([out.services.api.port, out.clusters.blue.targetGroups.api.port, out.clusters.green.targetGroups.api.port]).to.deep.equal([
            9000, 9000, 9100,
        ]);
        const preview = step.plan.stacks[0].resources.find(r => r.name === "shared-alb-preview-api-green")!;
        expect((preview.inputs as any).actions[0].forward.targetGroups).to.deep.equal([
            { arn: out.clusters.green.targetGroups.api.arn, weight: 1 },
        ]);
    });

    it("weights green back into api once its preview route answers: only api's rule changes", async () => {
        const step = await fleet.step("green back into api", c => {
            delete network(c).services.api.weights;
        });
        expectDocumented("green-into-api", step);
        expect(summarize(step.comparison)).to.deep.equal({ changes: rulesOnly("api"), flags: [] });
        expect(shares(step, "shared-alb-rule-api")).to.deep.equal({ blue: "50%", green: "50%" });
    });

    it("takes blue out of api before its own change: only api's rule changes", async () => {
        const step = await fleet.step("blue out of api", c => {
            network(c).services.api.weights = { blue: 0 };
        });
        expectDocumented("blue-out-of-api", step);
        expect(summarize(step.comparison)).to.deep.equal({ changes: rulesOnly("api"), flags: [] });
        expect(shares(step, "shared-alb-rule-api")).to.deep.equal({ blue: "0%", green: "100%" });
    });

    it("moves the port to the service (services.api.port: 9100, green's override dropped): only blue's target group and binding are replaced (its admission policy follows), green is untouched", async () => {
        const step = await fleet.step("api port 9100 on every cluster", c => {
            network(c).services.api.port = 9100;
            delete network(c).clusters.green.serviceOverrides;
        });
        expectDocumented("blue-port", step);
        expect(summarize(step.comparison)).to.deep.equal({
            changes: {
                network: [
                    "update RolePolicy shared-alb-registrar-blue",
                    "update ListenerRule shared-alb-preview-api-blue",
                    "update ListenerRule shared-alb-rule-api",
                    "update SecurityGroupEgressRule shared-alb-out-9100",
                    "replace TargetGroup shared-alb-tg-blue-api",
                    "delete SecurityGroupEgressRule shared-alb-out-9000",
                ],
                "cluster-blue": [
                    "create SecurityGroupIngressRule blue-alb-nodes-9100",
                    "update ValidatingAdmissionPolicy blue-tgb-policy",
                    "replace TargetGroupBinding blue-api",
                    "delete SecurityGroupIngressRule blue-alb-nodes-9000",
                ],
                "cluster-green": [],
            },
            flags: [],
        });
    });

    it("weights blue back into api: only api's rule changes", async () => {
        const step = await fleet.step("blue back into api", c => {
            delete network(c).services.api.weights;
        });
        expectDocumented("blue-into-api", step);
        expect(summarize(step.comparison)).to.deep.equal({ changes: rulesOnly("api"), flags: [] });
        expect(shares(step, "shared-alb-rule-api")).to.deep.equal({ blue: "50%", green: "50%" });
    });

    it("weights blue to 0 everywhere: the two rules move all traffic to green, nothing flagged", async () => {
        const step = await fleet.step("blue to 0", c => {
            network(c).clusters.blue.weight = 0;
        });
        expectDocumented("blue-0", step);
        expect(summarize(step.comparison)).to.deep.equal({ changes: rulesOnly("api", "web"), flags: [] });
        expect(shares(step, "shared-alb-rule-web")).to.deep.equal({ blue: "0%", green: "100%" });
    });

    it("the shortcut of removing blue without retiring it is flagged: its registrar role would go while its bindings exist", async () => {
        const step = await fleet.shortcut("remove blue without retiring", c => {
            delete network(c).clusters.blue;
            delete c["cluster-blue"];
        });
        expectDocumented("shortcut-remove", step);
        expect(step.comparison.flags.map(f => [f.kind, f.message, f.reason, f.safe])).to.deep.equal([
            [
                "cluster-removed-without-retiring",
                'cluster "blue" leaves the network stack without having been retiring',
                "its target groups and registrar role are deleted while its cluster stack's TargetGroupBindings still exist: the controller can no longer " +
                    "deregister targets (AssumeRole is denied), the bindings' finalizers stay, and the cluster stack's destroy hangs",
                "retire it in two steps: set clusters.blue.retiring: true (with weight 0) and pulumi up -s network, which keeps its target groups and " +
                    "registrar role, then pulumi destroy -s cluster-blue (its bindings deregister their targets while both exist); only then remove the key " +
                    "and pulumi up -s network",
            ],
        ]);
    });

    it("refuses to retire a cluster that still has weight, before anything is planned", async () => {
        const retireWeighted = new Lifecycle(fleet.current(), { maxShift: 50 });
        await retireWeighted.begin();
        const error = await retireWeighted
            .shortcut("retire blue at 100", c => {
                network(c).clusters.blue = { ...network(c).clusters.blue, weight: 100, retiring: true };
            })
            .then(
                () => undefined,
                (e: unknown) => e,
            );
        expect(error).to.be.instanceOf(PlanFailure);
        expect((error as PlanFailure).problems.map(p => p.message)).to.deep.include(
            "clusters.blue.weight: got 100; clusters.blue is retiring and takes no traffic: expected 0 (or leave weight out)",
        );
    });

    it("retires blue: only its preview rules go; its target groups and registrar role stay, and the outputs say retiring", async () => {
        const step = await fleet.step("retire blue", c => {
            network(c).clusters.blue.retiring = true;
        });
        expectDocumented("retire-blue", step);
        expect(summarize(step.comparison)).to.deep.equal({
            changes: {
                network: ["delete ListenerRule shared-alb-preview-api-blue", "delete ListenerRule shared-alb-preview-web-blue"],
                "cluster-blue": [],
                "cluster-green": [],
            },
            flags: [],
        });
        expect(outputsOf(step).clusters.blue).to.deep.include({
            retiring: true,
            weight: 0,
            registrarRoleArn: "arn:aws:iam::111111111111:role/shop-edge-registrar-blue",
        });
    });

    it("removes blue once its cluster stack is destroyed: its target groups, registrar role, external ID and RAM principal go, nothing flagged", async () => {
        const step = await fleet.step("remove blue", c => {
            delete network(c).clusters.blue;
            delete c["cluster-blue"];
        });
        expectDocumented("remove-blue", step);
        expect(summarize(step.comparison)).to.deep.equal({
            changes: {
                network: [
                    "update ListenerRule shared-alb-rule-api",
                    "update ListenerRule shared-alb-rule-web",
                    "delete Role shared-alb-registrar-blue",
                    "delete RolePolicy shared-alb-registrar-blue",
                    "delete TargetGroup shared-alb-tg-blue-api",
                    "delete TargetGroup shared-alb-tg-blue-web",
                    "delete PrincipalAssociation shared-alb-share-222222222222",
                    // Its external ID goes with its registrar role; no other cluster's changes.
                    "delete RandomPassword shared-alb-external-id-blue",
                ],
                "cluster-green": [],
            },
            flags: [],
        });
        expect(shares(step, "shared-alb-rule-api")).to.deep.equal({ green: "100%" });
    });

    it("the README and docs/day-2.md show outputs of these steps only, and docs/day-2.md shows every step but green 50 and 100", () => {
        const shown = Docs.flatMap(d => [...d.blocks.keys()].map(id => `${d.file}: ${id}`));
        expect(shown.filter(s => !documentedSteps.has(s.split(": ")[1]))).to.deep.equal([]);
        expect([...Docs[1].blocks.keys()].sort()).to.deep.equal([...documentedSteps].filter(id => !/^green-(50|100)$/.test(id)).sort());
    });
});

describe("lifecycle shortcuts with --max-shift 25", function () {
    this.timeout(120_000);
    const greenStack = exampleFleet()["cluster-green"];

    it("weighting green from 0 to 100 in one step is flagged with the shift and the safe way", async () => {
        const greenAtZero = blueOnly();
        network(greenAtZero).clusters.green = { accountId: "111111111111", weight: 0 };
        greenAtZero["cluster-green"] = structuredClone(greenStack);
        const lifecycle = new Lifecycle(greenAtZero, { maxShift: 25 });
        await lifecycle.begin();
        const step = await lifecycle.shortcut("green 0 -> 100", c => {
            network(c).clusters.green.weight = 100;
        });
        expect(step.comparison.flags.map(f => [f.kind, f.message, f.safe])).to.deep.equal([
            [
                "weight-shift",
                "ListenerRule shared-alb-rule-api moves more than 25 points of traffic at once: " +
                    "shared-alb-tg-blue-api 100% -> 50%, shared-alb-tg-green-api 0% -> 50%",
                "move the weights in steps of at most 25 points, checking health between steps",
            ],
            [
                "weight-shift",
                "ListenerRule shared-alb-rule-web moves more than 25 points of traffic at once: " +
                    "shared-alb-tg-blue-web 100% -> 50%, shared-alb-tg-green-web 0% -> 50%",
                "move the weights in steps of at most 25 points, checking health between steps",
            ],
        ]);
        // Changing the service's port while both clusters carry it replaces both target groups under traffic.
        const both = await lifecycle.shortcut("api port 9000 -> 9100 on green at 0 and blue at 100", c => {
            network(c).services.api.port = 9100;
        });
        expect(summarize(both.comparison).flags).to.deep.equal([
            [
                "weighted-target-group-replaced",
                "TargetGroup shared-alb-tg-blue-api is replaced (name, port) while it carries 100% of ListenerRule shared-alb-rule-api's traffic",
            ],
        ]);
        for (const [stack, key] of [
            ["cluster-blue", "blue"],
            ["cluster-green", "green"],
        ] as const) {
            const binding = both.comparison.stacks.find(s => s.stack === stack)!.changes.find(x => x.name === `${key}-api`)!;
            expect([binding.kind, binding.replaceOn, binding.deleteBeforeReplace]).to.deep.equal([
                "replace",
                ["spec.targetGroupARN"],
                true,
            ]);
        }
    });
});

import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { main } from "../../cli/plan/command";
import { FlagKinds } from "../../cli/plan/compare";
import { JsonComparison } from "../../cli/plan/compare-output";
import { planFleet } from "../../cli/plan/fleet";
import { ReplaceRules } from "../../cli/plan/replace-on";
import { clusterProgram } from "../../stacks/cluster";
import { exampleNetworkOutputs, NetworkAccount } from "../component/cluster-attachment-fixtures";
import { exampleStackConfig } from "../fixtures/stack-config";
import { run } from "../harness";
import { captureIo, clusterYaml, configDir, fakeRunRole, networkYaml } from "./helpers";
import { exampleFleet, writeFleet } from "./lifecycle";

async function plan(argv: string[]) {
    const io = captureIo();
    const code = await main(argv, io, { program: fakeRunRole });
    return { code, out: io.out(), err: io.err() };
}

/** The small fleet of the fake programs, with green's weight and the web port as given. */
function fleet(greenWeight = 0, port = 8080): string {
    return configDir({
        network: networkYaml().replace("weight: 0", `weight: ${greenWeight}`).replace("port: 8080", `port: ${port}`),
        "cluster-blue": clusterYaml("blue", "222222222222"),
        "cluster-green": clusterYaml("green", "111111111111"),
    });
}

async function beforeFile(dir: string): Promise<string> {
    const r = await plan(["--config-dir", dir, "--json"]);
    const file = path.join(dir, "before.json");
    fs.writeFileSync(file, r.out);
    return file;
}

describe("shared-alb plan --compare", () => {
    it("exit 0 and every stack unchanged when the configs did not change", async () => {
        const dir = fleet();
        const before = await beforeFile(dir);
        const r = await plan(["--config-dir", dir, "--compare", before]);
        expect([r.code, r.err]).to.deep.equal([0, ""]);
        expect(r.out).to.equal(`before: ${before} (plan --json: network, cluster-blue, cluster-green)

network (against ${before})
  network: 0 to create, 0 to update, 0 to replace, 0 to delete, 5 unchanged

cluster-blue (against ${before})
  cluster-blue: 0 to create, 0 to update, 0 to replace, 0 to delete, 2 unchanged

cluster-green (against ${before})
  cluster-green: 0 to create, 0 to update, 0 to replace, 0 to delete, 2 unchanged

fleet: 0 to create, 0 to update, 0 to replace, 0 to delete, 9 unchanged; nothing flagged
`);
    });

    it("exit 3 with the changes per stack and each flag's reason and safe way", async () => {
        const before = await beforeFile(fleet());
        const r = await plan(["--config-dir", fleet(100, 9000), "--compare", before, "--max-shift", "25"]);
        expect([r.code, r.err]).to.deep.equal([3, ""]);
        expect(r.out).to.equal(`before: ${before} (plan --json: network, cluster-blue, cluster-green)

network (against ${before})
  ~  ListenerRule shop-web  actions[0].forward.targetGroups[0].arn, actions[0].forward.targetGroups[1].arn, actions[0].forward.targetGroups[1].weight
  +- TargetGroup shop-blue-web  replaces on port
  +- TargetGroup shop-green-web  replaces on port
  network: 0 to create, 1 to update, 2 to replace, 0 to delete, 2 unchanged

cluster-blue (against ${before})
  ~  TargetGroupBinding blue-web  spec.targetGroupARN
  cluster-blue: 0 to create, 1 to update, 0 to replace, 0 to delete, 1 unchanged

cluster-green (against ${before})
  ~  TargetGroupBinding green-web  spec.targetGroupARN
  cluster-green: 0 to create, 1 to update, 0 to replace, 0 to delete, 1 unchanged

flagged (5):
  ✗ network: ListenerRule shop-web moves more than 25 points of traffic at once: shop-blue-web 100% -> 50%, shop-green-web 0% -> 50%
      why: a larger step sends more requests at once to targets that have not carried them (cold caches and pools, autoscaling lag)
      safe way: move the weights in steps of at most 25 points, checking health between steps
  ✗ network: TargetGroup shop-blue-web is replaced (port) while it carries 100% of ListenerRule shop-web's traffic
      why: its replacement is a new, empty target group: the rule forwards to it at once, and its targets are registered only when the cluster stack runs again (its binding is replaced then), so that share of requests fails (503) in between
      safe way: change it on one cluster at a time (clusters.<key>.serviceOverrides.<service>): weight that cluster to 0 for the service first (plan, up), make the change and run its cluster stack, check its targets through its preview route, then weight it back in
  ✗ network: TargetGroup shop-green-web is replaced (port) and gets 50% of ListenerRule shop-web's traffic in the same step
      why: its replacement is a new, empty target group: the rule forwards to it at once, and its targets are registered only when the cluster stack runs again (its binding is replaced then), so that share of requests fails (503) in between
      safe way: change it on one cluster at a time (clusters.<key>.serviceOverrides.<service>): weight that cluster to 0 for the service first (plan, up), make the change and run its cluster stack, check its targets through its preview route, then weight it back in
  ✗ cluster-blue: TargetGroupBinding blue-web changes spec.targetGroupARN in place
      why: the controller's webhook refuses it ("TargetGroupBinding update may not change these fields"): the cluster stack's pulumi up fails and the binding stays on the old target group
      safe way: replace the binding instead: replaceOnChanges on spec.targetGroupARN, spec.targetType, spec.ipAddressType, spec.vpcID with deleteBeforeReplace (ClusterAttachment sets both)
  ✗ cluster-green: TargetGroupBinding green-web changes spec.targetGroupARN in place
      why: the controller's webhook refuses it ("TargetGroupBinding update may not change these fields"): the cluster stack's pulumi up fails and the binding stays on the old target group
      safe way: replace the binding instead: replaceOnChanges on spec.targetGroupARN, spec.targetType, spec.ipAddressType, spec.vpcID with deleteBeforeReplace (ClusterAttachment sets both)

fleet: 0 to create, 3 to update, 2 to replace, 0 to delete, 4 unchanged; 5 flagged
`);
    });

    it("--json prints the comparison document, with the same exit code", async () => {
        const before = await beforeFile(fleet());
        const r = await plan(["--config-dir", fleet(10), "--compare", before, "--json"]);
        expect([r.code, r.err]).to.deep.equal([0, ""]);
        const doc = JSON.parse(r.out) as JsonComparison;
        expect(Object.keys(doc)).to.deep.equal(["before", "stacks", "flags", "summary"]);
        expect(doc.before).to.deep.equal([{ file: before, format: "plan", stacks: ["network", "cluster-blue", "cluster-green"] }]);
        expect(doc.stacks[0]).to.deep.equal({
            stack: "network",
            status: "compared",
            before,
            created: [],
            replaced: [],
            deleted: [],
            unchanged: 4,
            updated: [
                {
                    urn: "urn:pulumi:network::alb-fleet::shared-alb:index:SharedAlb$aws:lb/listenerRule:ListenerRule::shop-web",
                    type: "aws:lb/listenerRule:ListenerRule",
                    name: "shop-web",
                    paths: ["actions[0].forward.targetGroups[1].weight"],
                },
            ],
        });
        expect(doc.summary).to.deep.equal({ created: 0, updated: 1, replaced: 0, deleted: 0, flagged: 0 });
    });

    it("reads several BEFORE files, one per stack, and leaves a stack without one uncompared", async () => {
        const dir = fleet();
        const full = JSON.parse(fs.readFileSync(await beforeFile(dir), "utf8")) as { stacks: unknown[] };
        const files = [0, 1].map(i => {
            const f = path.join(dir, `before-${i}.json`);
            fs.writeFileSync(f, JSON.stringify({ stacks: [full.stacks[i]] }));
            return f;
        });
        const r = await plan(["--config-dir", dir, "--compare", files[0], "--compare", files[1], "--json"]);
        const doc = JSON.parse(r.out) as JsonComparison;
        expect(doc.stacks.map(s => [s.stack, s.status, s.before])).to.deep.equal([
            ["network", "compared", files[0]],
            ["cluster-blue", "compared", files[1]],
            ["cluster-green", "new", null],
        ]);
    });

    const usage: [string, string[], string][] = [
        ["--max-shift without --compare", ["--max-shift", "10"], "shared-alb plan: --max-shift needs --compare"],
        [
            "a --max-shift that is not a number of points",
            ["--compare", "x.json", "--max-shift", "lots"],
            'shared-alb plan: --max-shift expects percentage points (a number from 0 to 100), got "lots"',
        ],
        [
            "a --max-shift over 100",
            ["--compare", "x.json", "--max-shift", "150"],
            'shared-alb plan: --max-shift expects percentage points (a number from 0 to 100), got "150"',
        ],
        ["--compare without a file", ["--compare"], "shared-alb plan: --compare needs a value (BEFORE.json)"],
    ];
    for (const [what, argv, message] of usage) {
        it(`exit 2 for ${what}`, async () => {
            const r = await plan(argv);
            expect([r.code, r.out, r.err.split("\n")[0]]).to.deep.equal([2, "", message]);
        });
    }

    it("exit 1 and nothing on stdout for a BEFORE file that cannot be read or is of another project", async () => {
        const dir = fleet();
        const missing = await plan(["--config-dir", dir, "--compare", path.join(dir, "nope.json")]);
        expect([missing.code, missing.out]).to.deep.equal([1, ""]);
        expect(missing.err).to.equal(
            `shared-alb plan: --compare: cannot read ${JSON.stringify(path.join(dir, "nope.json"))}: no such file\n`,
        );
        const other = path.join(dir, "other.json");
        fs.writeFileSync(
            other,
            JSON.stringify({
                version: 3,
                deployment: {
                    resources: [{ urn: "urn:pulumi:network::shop::pulumi:pulumi:Stack::shop-network", type: "pulumi:pulumi:Stack" }],
                },
            }),
        );
        const foreign = await plan(["--config-dir", dir, "--compare", other]);
        expect([foreign.code, foreign.out, foreign.err]).to.deep.equal([
            1,
            "",
            `shared-alb plan: --compare: ${other}: stack network is of project shop, the plan is of project alb-fleet\n`,
        ]);
    });
});

describe("replace-on table: covers every type the stacks register", function () {
    this.timeout(60_000);

    it("the example fleet, a network with a second certificate and a web ACL, and a cluster stack that creates its OIDC provider: no type missing, none extra", async () => {
        const types = new Set<string>();
        const configs = exampleFleet();
        configs.network["alb-fleet:network"].loadBalancer.certificateArns.push(
            "arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-0000-1111-2222-333344445555",
        );
        configs.network["alb-fleet:network"].loadBalancer.webAclArn =
            "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/shop-edge/a1b2c3d4-5678-90ab-cdef-0123456789ab";
        for (const s of (await planFleet({ configDir: writeFleet(configs) })).stacks) {
            s.resources.forEach(r => types.add(r.type));
        }
        const oidc = await run(clusterProgram, {
            accountId: NetworkAccount,
            stack: "cluster-green",
            oidcProviders: {},
            config: exampleStackConfig("cluster-green", c => {
                c.eks.createOidcProvider = true;
            }),
            stackOutputs: { network: exampleNetworkOutputs() as unknown as Record<string, unknown> },
        });
        oidc.resources.forEach(r => types.add(r.type));
        expect([...types].sort()).to.deep.equal(Object.keys(ReplaceRules).sort());
    });
});

describe("shared-alb plan --compare on the example fleet: retiring a cluster and adding one in the same update", function () {
    this.timeout(120_000);

    async function planExample(argv: string[]) {
        const io = captureIo();
        const code = await main(argv, io);
        return { code, out: io.out(), err: io.err() };
    }

    /** The example fleet's configs (a temp copy of stacks/config) with the network stack's clusters (and services) edited. */
    function exampleWith(
        edit: (clusters: Record<string, Record<string, unknown>>) => void,
        editServices: (services: Record<string, Record<string, unknown>>) => void = () => undefined,
    ): string {
        const configs = exampleFleet();
        edit(configs.network["alb-fleet:network"].clusters);
        editServices(configs.network["alb-fleet:network"].services);
        return writeFleet(configs);
    }

    async function beforeOf(dir: string): Promise<string> {
        const r = await planExample(["--config-dir", dir, "--json"]);
        const file = path.join(dir, "before.json");
        fs.writeFileSync(file, r.out);
        return file;
    }

    const retireGreen = (c: Record<string, Record<string, unknown>>) => {
        c.green.retiring = true;
    };
    const addRed = (c: Record<string, Record<string, unknown>>) => {
        c.red = { accountId: "111111111111", weight: 0 };
    };
    const urn = (name: string) =>
        `urn:pulumi:network::alb-fleet::shared-alb:index:SharedAlb$aws:lb/listenerRule:ListenerRule::shared-alb-${name}`;
    it("flags nothing: planned with BEFORE as the deployed state, red takes a preview slot no deployed cluster holds", async () => {
        const before = await beforeOf(exampleWith(() => undefined));
        const dir = exampleWith(c => {
            retireGreen(c);
            addRed(c);
        });
        const tree = await planExample(["--config-dir", dir, "--compare", before]);
        expect([tree.code, tree.err, tree.out.split("\n").at(-2)]).to.deep.equal([
            0,
            "",
            "fleet: 4 to create, 2 to update, 0 to replace, 2 to delete, 49 unchanged; nothing flagged",
        ]);
        // Green (slot 4, retiring) keeps its slot; red's digest also picks 4, so it takes the lowest free one.
        const after = await planExample(["--config-dir", dir, "--json"]);
        const rules = (
            JSON.parse(after.out) as { stacks: { resources: { type: string; name: string; inputs: { priority?: number } }[] }[] }
        ).stacks[0].resources
            .filter(r => r.type === "aws:lb/listenerRule:ListenerRule" && r.name.endsWith("-red"))
            .map(r => [r.name, r.inputs.priority]);
        expect(rules).to.deep.equal([
            ["shared-alb-preview-api-red", 31741],
            ["shared-alb-preview-web-red", 44011],
        ]);
        // Without BEFORE as the deployed state (a stack never deployed), red's digest pick is free too: the plan alone differs from what pulumi up gives.
        expect((await planExample(["--config-dir", dir])).out).to.contain("priority=31741");
    });

    it("exit 3: explicit priorities that move one rule onto another's in one update (rule-priority-in-use)", async () => {
        const explicit = (api: number, web: number) => (s: Record<string, Record<string, unknown>>) => {
            s.api.priority = api;
            s.web.priority = web;
        };
        const before = await beforeOf(exampleWith(() => undefined, explicit(500, 600)));
        const dir = exampleWith(() => undefined, explicit(600, 700));
        const json = await planExample(["--config-dir", dir, "--compare", before, "--json"]);
        const doc = JSON.parse(json.out) as JsonComparison;
        expect(json.code).to.equal(3);
        expect(doc.flags.filter(f => f.urn === urn("rule-api")).map(f => [f.kind, f.message])).to.deep.include([
            "rule-priority-in-use",
            "ListenerRule shared-alb-rule-api moves from priority 500 to 600 on Listener shared-alb-https, which ListenerRule shared-alb-rule-web still holds until it moves to priority 700",
        ]);
    });

    it("the two-step way flags nothing: retire green in one update, add red in the next", async () => {
        const before = await beforeOf(exampleWith(() => undefined));
        const retiredDir = exampleWith(retireGreen);
        const retired = await planExample(["--config-dir", retiredDir, "--compare", before]);
        expect([retired.code, retired.out.split("\n").at(-2)]).to.deep.equal([
            0,
            "fleet: 0 to create, 0 to update, 0 to replace, 2 to delete, 51 unchanged; nothing flagged",
        ]);
        const added = await planExample([
            "--config-dir",
            exampleWith(c => {
                retireGreen(c);
                addRed(c);
            }),
            "--compare",
            await beforeOf(retiredDir),
        ]);
        expect([added.code, added.out.split("\n").at(-2)]).to.deep.equal([
            0,
            "fleet: 4 to create, 2 to update, 0 to replace, 0 to delete, 49 unchanged; nothing flagged",
        ]);
    });
});

describe("docs/cli.md: the flags of plan --compare", () => {
    it("the table names every kind of flag, and no other", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "cli.md"), "utf8");
        const table = text.slice(text.indexOf("What is flagged (`kind` in `--json`):"));
        const lines = table.split("\n");
        const start = lines.indexOf("| Kind | When |") + 2;
        const end = lines.findIndex((l, i) => i >= start && !l.startsWith("|"));
        const rows = lines.slice(start, end).map(l => l.split(" | ")[0]);
        const kinds = rows.flatMap(cell => [...cell.matchAll(/`([a-z-]+)`/g)].map(m => m[1]));
        expect(kinds).to.deep.equal([...FlagKinds]);
    });
});

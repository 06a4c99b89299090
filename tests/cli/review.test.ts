import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { compareFleet, CompareOptions, FlagKind } from "../../cli/plan/compare";
import { JsonComparison, toJsonComparison } from "../../cli/plan/compare-output";
import { planFleet } from "../../cli/plan/fleet";
import { JsonPlan, JsonResource, toJsonPlan } from "../../cli/plan/render";
import { planSnapshots } from "../../cli/plan/snapshot";
import { main } from "../../cli/review/command";
import { UnknownStringValue } from "../../cli/review/preview";
import { previewDigests, PreviewShown } from "../fixtures/preview";
import { documentedOutputs, showsExactLines } from "./documented";
import { captureIo } from "./helpers";
import { exampleFleet, FleetConfigs, writeFleet } from "./lifecycle";

const network = (c: FleetConfigs) => c.network["alb-fleet:network"];

/** One update of the example fleet: both plans and what `plan --compare` finds. */
interface Update {
    before: JsonPlan;
    plan: JsonPlan;
    options: CompareOptions;
}

async function planOf(configs: FleetConfigs): Promise<JsonPlan> {
    return toJsonPlan(await planFleet({ configDir: writeFleet(configs) }));
}

/** The example fleet as planned once (each case edits a copy). */
let examplePlan: JsonPlan;

/** The update from `start` (default: the example fleet) to its configs edited by `edit`, with the AFTER plan then edited by `alter`. */
async function update(
    edit: (c: FleetConfigs) => void,
    options: CompareOptions = {},
    alter: (plan: JsonPlan) => void = () => undefined,
    start?: (c: FleetConfigs) => void,
): Promise<Update> {
    const base = exampleFleet();
    start?.(base);
    const before = start === undefined ? examplePlan : await planOf(base);
    edit(base);
    const plan = await planOf(base);
    alter(plan);
    return { before, plan, options };
}

/** Writes the engine's preview of each stack of the update (`<stack>.json`) into a fresh directory; returns the files. */
function writePreviews(u: Update, shown: PreviewShown = {}): string[] {
    const comparison = compareFleet(planSnapshots(u.before, "before.json"), planSnapshots(u.plan), u.options);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-review-"));
    return [...previewDigests(u.before, u.plan, comparison, shown)].map(([stack, doc]) => {
        const file = path.join(dir, `${stack}.json`);
        fs.writeFileSync(file, `${JSON.stringify(doc, null, 4)}\n`);
        return file;
    });
}

async function review(argv: string[], cwd?: string) {
    const io = captureIo(cwd);
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
}

/** Reviews the previews of the update with `--json`; returns the exit code and the document. */
async function reviewJson(u: Update): Promise<{ code: number; doc: JsonComparison; err: string }> {
    const shift = u.options.maxShift === undefined ? [] : ["--max-shift", String(u.options.maxShift)];
    const r = await review([...writePreviews(u), ...shift, "--json"]);
    return { code: r.code, doc: JSON.parse(r.out || "null") as JsonComparison, err: r.err };
}

/** Review flags exactly what plan --compare flags for the update, and the changes per stack are the same. */
async function expectSameFlags(u: Update, kinds: FlagKind[]): Promise<JsonComparison> {
    const compared = compareFleet(planSnapshots(u.before, "before.json"), planSnapshots(u.plan), u.options);
    const r = await reviewJson(u);
    const flags = toJsonComparison(compared, []).flags;
    expect([r.code, r.err]).to.deep.equal([flags.length > 0 ? 3 : 0, ""]);
    expect(r.doc.flags).to.deep.equal(flags);
    expect([...new Set(r.doc.flags.map(f => f.kind))]).to.deep.equal(kinds);
    const changes = (s: { stack: string; created: unknown; updated: unknown; replaced: unknown; deleted: unknown; unchanged: number }) => ({
        stack: s.stack,
        created: s.created,
        updated: s.updated,
        replaced: s.replaced,
        deleted: s.deleted,
        unchanged: s.unchanged,
    });
    expect(r.doc.stacks.map(changes)).to.deep.equal(toJsonComparison(compared, []).stacks.map(changes));
    return r.doc;
}

describe("shared-alb review: flags on the engine's preview what plan --compare flags on plans", function () {
    this.timeout(240_000);

    before(async () => {
        examplePlan = await planOf(exampleFleet());
    });

    it("the example fleet's weight step (green 0 -> 20, --max-shift 25): the rules update, nothing flagged, exit 0", async () => {
        const doc = await expectSameFlags(
            await update(
                c => {
                    network(c).clusters.green.weight = 20;
                },
                { maxShift: 25 },
            ),
            [],
        );
        expect(doc.stacks.map(s => [s.stack, s.updated.map(x => x.name)])).to.deep.equal([
            ["network", ["shared-alb-rule-api", "shared-alb-rule-web"]],
            ["cluster-blue", []],
            ["cluster-green", []],
        ]);
    });
    it("a weight move over --max-shift (green 0 -> 100, --max-shift 25): weight-shift on both rules", async () => {
        await expectSameFlags(
            await update(
                c => {
                    network(c).clusters.green.weight = 100;
                },
                { maxShift: 25 },
            ),
            ["weight-shift"],
        );
    });

    it("api's port changed while both clusters carry it: the weighted target groups are replaced (the rule's new ARNs unknown, tied to them by URN)", async () => {
        const u = await update(
            c => {
                network(c).services.api.port = 9100;
            },
            {},
            () => undefined,
            c => {
                network(c).clusters.green.weight = 50;
            },
        );
        const doc = await expectSameFlags(u, ["weighted-target-group-replaced"]);
        expect(doc.flags.map(f => f.message)).to.deep.equal([
            "TargetGroup shared-alb-tg-blue-api is replaced (name, port) while it carries 66.7% of ListenerRule shared-alb-rule-api's traffic",
            "TargetGroup shared-alb-tg-green-api is replaced (name, port) while it carries 33.3% of ListenerRule shared-alb-rule-api's traffic",
        ]);
        // The engine's document holds the unknown sentinel where the rule names the new target groups.
        const preview = JSON.parse(fs.readFileSync(writePreviews(u)[0], "utf8")) as {
            steps: { op: string; urn: string; newState?: { inputs: any } }[];
        };
        const rule = preview.steps.find(x => x.op === "update" && x.urn.endsWith("::shared-alb-rule-api"))!;
        expect(rule.newState!.inputs.actions[0].forward.targetGroups.map((t: { arn: string }) => t.arn)).to.deep.equal([
            UnknownStringValue,
            UnknownStringValue,
        ]);
    });

    it("green added with weight at once: new-target-group-weighted (the new target groups' unknown ARNs tied by propertyDependencies)", async () => {
        await expectSameFlags(
            await update(
                c => {
                    network(c).clusters.green = { accountId: "111111111111", weight: 50 };
                    c["cluster-green"] = exampleFleet()["cluster-green"];
                },
                {},
                () => undefined,
                c => {
                    delete network(c).clusters.green;
                    delete c["cluster-green"];
                },
            ),
            ["new-target-group-weighted"],
        );
    });

    it("the pet ALB renamed: load-balancer-replaced, and the security group and target groups named after it replaced too", async () => {
        await expectSameFlags(
            await update(c => {
                network(c).loadBalancer.name = "shop-edge-2";
            }),
            ["alb-security-group-replaced", "load-balancer-replaced", "weighted-target-group-replaced"],
        );
    });

    it("the pet ALB and its security group deleted: alb-security-group-deleted, load-balancer-deleted", async () => {
        const gone = (plan: JsonPlan) => {
            plan.stacks[0].resources = plan.stacks[0].resources.filter(r => !["shared-alb-alb", "shared-alb-sg"].includes(r.name));
        };
        await expectSameFlags(await update(() => undefined, {}, gone), ["alb-security-group-deleted", "load-balancer-deleted"]);
    });

    it("the ALB's security group replaced (its description changed): alb-security-group-replaced", async () => {
        const described = (plan: JsonPlan) => {
            const sg = plan.stacks[0].resources.find(r => r.name === "shared-alb-sg")!;
            sg.inputs = { ...(sg.inputs as object), description: "another description" };
        };
        await expectSameFlags(await update(() => undefined, {}, described), ["alb-security-group-replaced"]);
    });

    it("a weighted target group deleted: weighted-target-group-deleted, and the requests it answered change destination (request-destination-changed)", async () => {
        const gone = (plan: JsonPlan) => {
            plan.stacks[0].resources = plan.stacks[0].resources.filter(r => r.name !== "shared-alb-tg-blue-api");
        };
        const doc = await expectSameFlags(await update(() => undefined, {}, gone), [
            "request-destination-changed",
            "weighted-target-group-deleted",
        ]);
        expect(doc.flags.map(f => f.urn!.split("::").pop())).to.deep.equal(["shared-alb-rule-api", "shared-alb-tg-blue-api"]);
    });

    it("a change to a type outside the replace-on table: plan --compare flags no-replace-rule, review (the engine decided) flags nothing", async () => {
        const bucket = (tag: string) => (plan: JsonPlan) => {
            const sg = plan.stacks[0].resources.find(r => r.name === "shared-alb-sg")!;
            plan.stacks[0].resources.push({
                ...sg,
                type: "aws:s3/bucket:Bucket",
                name: "logs",
                urn: "urn:pulumi:network::alb-fleet::aws:s3/bucket:Bucket::logs",
                id: "shop-logs-0a1b2c3d",
                parent: null,
                inputs: { bucket: "shop-logs-0a1b2c3d", tags: { owner: tag } },
                outputs: { arn: "arn:aws:s3:::shop-logs-0a1b2c3d" },
            });
        };
        const u = await update(
            () => undefined,
            {},
            bucket("platform"),
            () => undefined,
        );
        bucket("edge")(u.before);
        const compared = compareFleet(planSnapshots(u.before, "before.json"), planSnapshots(u.plan), {});
        expect(compared.flags.map(f => [f.kind, f.message])).to.deep.equal([
            ["no-replace-rule", "Bucket logs (aws:s3/bucket:Bucket) changes tags.owner and its type has no replace-on rule"],
        ]);
        const r = await reviewJson(u);
        expect([r.code, r.doc.flags, r.doc.stacks[0].updated.map(x => [x.name, x.paths])]).to.deep.equal([
            0,
            [],
            [["logs", ["tags.owner"]]],
        ]);
    });

    it("a TargetGroupBinding's target group changed in place (no replaceOnChanges): binding-immutable-field-updated", async () => {
        const inPlace = (plan: JsonPlan) => {
            for (const r of plan.stacks.flatMap(x => x.resources).filter(x => x.type.endsWith(":TargetGroupBinding"))) {
                r.options = { ...r.options, replaceOnChanges: [], deleteBeforeReplace: false };
            }
        };
        const noReplace = (c: FleetConfigs) => c;
        const u = await update(
            c => {
                network(c).services.api.port = 9100;
            },
            {},
            inPlace,
            noReplace,
        );
        inPlace(u.before);
        await expectSameFlags(u, ["weighted-target-group-replaced", "binding-immutable-field-updated"]);
    });

    it("a cluster removed without retiring: cluster-removed-without-retiring, judged from the network stack's deletes", async () => {
        const doc = await expectSameFlags(
            await update(c => {
                delete network(c).clusters.green;
                delete c["cluster-green"];
            }),
            ["cluster-removed-without-retiring"],
        );
        expect(doc.flags.map(f => [f.stack, f.message])).to.deep.equal([
            ["network", 'cluster "green" leaves the network stack without having been retiring'],
        ]);
    });

    it("a created rule taking the priority a deleted one holds: rule-priority-in-use", async () => {
        const renamed = (plan: JsonPlan) => {
            const rules = plan.stacks[0].resources;
            const web = rules.find(r => r.name === "shared-alb-rule-web")!;
            rules.push({ ...web, name: "shared-alb-rule-shop", urn: web.urn.replace(/rule-web$/, "rule-shop") } as JsonResource);
            plan.stacks[0].resources = rules.filter(r => r !== web);
        };
        const doc = await expectSameFlags(await update(() => undefined, {}, renamed), ["rule-priority-in-use"]);
        expect(doc.flags[0].message).to.match(
            /^ListenerRule shared-alb-rule-shop is created at priority \d+ on Listener shared-alb-https, which ListenerRule shared-alb-rule-web still holds until it is deleted at the end of the update$/,
        );
    });
});

describe("shared-alb review: the tree, the files it refuses and its usage errors", function () {
    this.timeout(120_000);
    let files: string[];
    let dir: string;

    before(async () => {
        examplePlan = examplePlan ?? (await planOf(exampleFleet()));
        files = writePreviews(
            await update(c => {
                delete network(c).clusters.green;
                delete c["cluster-green"];
            }),
        );
        dir = path.dirname(files[0]);
    });

    it("prints the tree of plan --compare, naming each preview, and exits 3", async () => {
        const r = await review(["network.json", "cluster-blue.json"], dir);
        expect([r.code, r.err]).to.deep.equal([3, ""]);
        expect(r.out).to.equal(`preview: network.json (pulumi preview --json: network)
preview: cluster-blue.json (pulumi preview --json: cluster-blue)

network (previewed in network.json)
  ~  ListenerRule shared-alb-rule-api  actions[0].forward.targetGroups
  ~  ListenerRule shared-alb-rule-web  actions[0].forward.targetGroups
  -  ListenerRule shared-alb-preview-api-green
  -  ListenerRule shared-alb-preview-web-green
  -  TargetGroup shared-alb-tg-green-api
  -  TargetGroup shared-alb-tg-green-web
  network: 0 to create, 2 to update, 0 to replace, 4 to delete, 20 unchanged

cluster-blue (previewed in cluster-blue.json)
  cluster-blue: 0 to create, 0 to update, 0 to replace, 0 to delete, 14 unchanged

flagged (1):
  ✗ network: cluster "green" leaves the network stack without having been retiring
      why: its target groups are deleted while its cluster stack's TargetGroupBindings still point at them
      safe way: retire it in two steps: set clusters.green.retiring: true (with weight 0) and pulumi up -s network, which keeps its target groups and \
registrar role, then pulumi destroy -s cluster-green (its bindings deregister their targets while both exist); only then remove the key and pulumi up -s network

fleet: 0 to create, 2 to update, 0 to replace, 4 to delete, 34 unchanged; 1 flagged
`);
    });

    /** A file of `dir` with `text`. */
    const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(dir, name), text);
        return name;
    };

    it("exit 1, nothing on stdout, and the file named, for a file it cannot read or that is not a preview", async () => {
        const preview = JSON.parse(fs.readFileSync(files[0], "utf8")) as {
            steps: Record<string, unknown>[];
            changeSummary: Record<string, number>;
        };
        const badStep = { ...preview, steps: [{ op: "modify", urn: "urn:pulumi:network::alb-fleet::x" }, ...preview.steps.slice(1)] };
        const hidden = { ...preview, steps: preview.steps.filter((x, i) => i === 0 || x.op !== "same") };
        const cases: [string, string][] = [
            ["missing.json", 'shared-alb review: cannot read "missing.json": no such file'],
            [write("text.json", "not json"), "shared-alb review: text.json: not JSON ("],
            [
                write("array.json", "[]"),
                "shared-alb review: array.json: expected the output of `pulumi preview --json` " +
                    '({ "steps": [{ "op": ..., "urn": ... }, ...], "changeSummary": {...} })',
            ],
            [
                write("plan.json", JSON.stringify(examplePlan)),
                "shared-alb review: plan.json: this is a `shared-alb plan --json` document, not a preview: " +
                    "compare it with `shared-alb plan --compare` (review reads the output of `pulumi preview --json`)",
            ],
            [
                write("export.json", JSON.stringify({ version: 3, deployment: { resources: [] } })),
                "shared-alb review: export.json: this is a `pulumi stack export`, " +
                    "not a preview: compare it with `shared-alb plan --compare` (review reads the output of `pulumi preview --json`)",
            ],
            [write("bad-step.json", JSON.stringify(badStep)), "shared-alb review: bad-step.json: 2 problems:"],
            [
                write("hidden-sames.json", JSON.stringify(hidden)),
                `shared-alb review: hidden-sames.json: the preview leaves out its unchanged resources ` +
                    `(changeSummary counts ${preview.changeSummary.same} same, the steps show 1): review needs every resource of the stack; ` +
                    "run pulumi preview --json --show-sames --show-replacement-steps",
            ],
        ];
        for (const [file, message] of cases) {
            const r = await review([file], dir);
            expect([file, r.code, r.out, r.err.split("\n")[0].startsWith(message)], r.err).to.deep.equal([file, 1, "", true]);
        }
        const r = await review(["bad-step.json"], dir);
        expect(r.err).to.equal(`shared-alb review: bad-step.json: 2 problems:
  - steps[0].op: got "modify"; expected one of same, create, update, delete, replace, create-replacement, delete-replaced, read, read-replacement, \
refresh, discard, discard-replaced, remove-pending-replace, import, import-replacement, diff, extend-parameterize
  - steps[0].urn: got "urn:pulumi:network::alb-fleet::x"; expected a URN: urn:pulumi:<stack>::<project>::<type>::<name>
`);
    });

    it("exit 1 for a replacement shown without its create-replacement and delete-replaced steps (pulumi preview's default)", async () => {
        const u = await update(c => {
            network(c).services.api.port = 9100;
        });
        const [net] = writePreviews(u, { replacementSteps: false });
        const r = await review([net]);
        expect([r.code, r.out]).to.deep.equal([1, ""]);
        expect(r.err).to.match(
            new RegExp(
                "^shared-alb review: .*network\\.json: steps\\[\\d+\\] replaces urn:pulumi:network::alb-fleet::shared-alb:index:SharedAlb" +
                    "\\$aws:lb/targetGroup:TargetGroup::shared-alb-tg-blue-api without its create-replacement and delete-replaced steps: review needs them " +
                    "to tell whether the old resource is deleted first; run pulumi preview --json --show-sames --show-replacement-steps\n$",
            ),
        );
    });

    it("exit 1 for two previews of one stack", async () => {
        fs.copyFileSync(files[0], path.join(dir, "network-again.json"));
        const r = await review(["network.json", "network-again.json"], dir);
        expect([r.code, r.out, r.err]).to.deep.equal([
            1,
            "",
            "shared-alb review: stack network is in two previews: network.json and network-again.json; give one preview per stack\n",
        ]);
    });

    const usage: [string[], string][] = [
        [
            [],
            "shared-alb review: give at least one PREVIEW.json: the output of `pulumi preview --json --show-sames --show-replacement-steps`, one file per stack",
        ],
        [
            ["network.json", "--max-shift", "x"],
            'shared-alb review: --max-shift expects percentage points (a number from 0 to 100), got "x"',
        ],
        [
            ["network.json", "--max-shift", "101"],
            'shared-alb review: --max-shift expects percentage points (a number from 0 to 100), got "101"',
        ],
        [["network.json", "--compare", "before.json"], 'shared-alb review: unknown option "--compare"'],
        [["network.json", "--jsn"], 'shared-alb review: unknown option "--jsn" (did you mean --json?)'],
        [["network.json", "-x"], 'shared-alb review: unexpected argument "-x"'],
    ];
    for (const [argv, message] of usage) {
        it(`exit 2 for ${JSON.stringify(argv)}`, async () => {
            const r = await review(argv, dir);
            expect([r.code, r.out, r.err]).to.deep.equal([2, "", `${message}\nTry 'shared-alb review --help' for more information.\n`]);
        });
    }

    it("--help prints the usage, exit 0", async () => {
        const r = await review(["--help"]);
        expect([r.code, r.out.split("\n")[0]]).to.deep.equal([
            0,
            "Usage: shared-alb review PREVIEW.json [PREVIEW.json ...] [--max-shift N] [--json]",
        ]);
    });

    it("docs/cli.md's review example is made of exact lines of review's output for that change (api's port 9000 -> 9100)", async () => {
        const previews = writePreviews(
            await update(c => {
                network(c).services.api.port = 9100;
            }),
        );
        const r = await review(["network.json"], path.dirname(previews[0]));
        const shown = documentedOutputs(path.join(__dirname, "..", "..", "docs", "cli.md"), "review").get("api-port") ?? [];
        expect([r.code, shown.length]).to.deep.equal([3, 1]);
        expect(showsExactLines(shown[0], r.out), r.out).to.deep.equal({ ok: true });
    });

    it("exit 1 when a listener rule the checks evaluate cannot be read (its priority unknown), naming the rule", async () => {
        const preview = JSON.parse(fs.readFileSync(files[0], "utf8")) as {
            steps: { op: string; urn: string; newState?: { inputs: Record<string, unknown> } }[];
        };
        const rule = preview.steps.find(x => x.urn.endsWith("::shared-alb-rule-web"))!;
        rule.op = "update";
        rule.newState!.inputs.priority = UnknownStringValue;
        const r = await review([write("unknown-priority.json", JSON.stringify(preview))], dir);
        expect([r.code, r.out]).to.deep.equal([1, ""]);
        expect(r.err).to.equal(
            "shared-alb review: unknown-priority.json: stack network as previewed: ListenerRule shared-alb-rule-web: priority: " +
                'got "[unknown]"; expected a number\n',
        );
    });
});

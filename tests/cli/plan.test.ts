import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Styles } from "../../cli/colour";
import { ConfigError, ConfigErrors } from "../../components/internal/errors";
import { main } from "../../cli/plan/command";
import { planFleet, settleEach } from "../../cli/plan/fleet";
import { JsonPlan, renderJson } from "../../cli/plan/render";
import { captureIo, clusterYaml, configDir, fakeNetworkProgram, fakeRunRole, networkYaml } from "./helpers";

const fleet = () =>
    configDir({
        network: networkYaml(),
        "cluster-blue": clusterYaml("blue", "222222222222"),
        "cluster-green": clusterYaml("green", "111111111111", "org/alb-fleet/network"),
    });

async function plan(argv: string[], program = fakeRunRole) {
    const io = captureIo();
    const code = await main(argv, io, { program });
    return { code, out: io.out(), err: io.err() };
}

const ExpectedTree = `network (network, account 111111111111, eu-west-1, Pulumi.network.yaml)
  └─ SharedAlb shop
     ├─ ListenerRule shop-web  priority=10  forward=[shop-blue-web:100 shop-green-web:0]  after=[TargetGroup:shop-blue-web TargetGroup:shop-green-web]
     ├─ LoadBalancer shop-alb  [protected]  name="shop"  internal=false
     ├─ TargetGroup shop-blue-web  name="shop-blue-web"  port=8080  protocol="HTTP"  targetType="ip"
     └─ TargetGroup shop-green-web  name="shop-green-web"  port=8080  protocol="HTTP"  targetType="ip"
  outputs: accountId, clusters, loadBalancer, token
  network: 5 resources (2 TargetGroup, 1 ListenerRule, 1 LoadBalancer, 1 SharedAlb), 1 protected

cluster-blue (cluster, account 222222222222, eu-west-1, Pulumi.cluster-blue.yaml)
  ├─ Role lbc-blue  name="shared-alb-lbc-blue"
  ├─ TargetGroupBinding blue-web  namespace="shop"  name="web"  after=[Role:lbc-blue]
  └─ StackReference network  [read]  name="network"
  outputs: manifests, targetGroupArn
  cluster-blue: 3 resources (1 Role, 1 StackReference, 1 TargetGroupBinding), 0 protected

cluster-green (cluster, account 111111111111, eu-west-1, Pulumi.cluster-green.yaml)
  ├─ Role lbc-green  name="shared-alb-lbc-green"
  ├─ TargetGroupBinding green-web  namespace="shop"  name="web"  after=[Role:lbc-green]
  └─ StackReference org/alb-fleet/network  [read]  name="org/alb-fleet/network"
  outputs: manifests, targetGroupArn
  cluster-green: 3 resources (1 Role, 1 StackReference, 1 TargetGroupBinding), 0 protected

fleet: 3 stacks, 11 resources (2 Role, 2 StackReference, 2 TargetGroup, 2 TargetGroupBinding, 1 ListenerRule, 1 LoadBalancer, 1 SharedAlb), 1 protected
`;

describe("shared-alb plan", () => {
    it("prints a tree per stack, network first, with summaries", async () => {
        const r = await plan(["--config-dir", fleet()]);
        expect(r.err).to.equal("");
        expect(r.code).to.equal(0);
        expect(r.out).to.equal(ExpectedTree);
    });

    it("prints the JSON document, serving planned network outputs to the cluster stacks", async () => {
        const r = await plan(["--config-dir", fleet(), "--json"]);
        expect(r.code).to.equal(0);
        expect(r.err).to.equal("");
        const doc = JSON.parse(r.out) as JsonPlan;
        expect(Object.keys(doc)).to.deep.equal(["stacks"]);
        expect(doc.stacks.map(s => [s.stack, s.role])).to.deep.equal([
            ["network", "network"],
            ["cluster-blue", "cluster"],
            ["cluster-green", "cluster"],
        ]);
        for (const s of doc.stacks) {
            expect(Object.keys(s)).to.deep.equal(["stack", "role", "resources", "outputs", "assumedValues", "precedence"]);
            for (const res of s.resources) {
                expect(Object.keys(res)).to.deep.equal([
                    "urn",
                    "type",
                    "name",
                    "id",
                    "read",
                    "parent",
                    "provider",
                    "inputs",
                    "outputs",
                    "options",
                ]);
                expect(Object.keys(res.options)).to.deep.equal([
                    "protect",
                    "dependsOn",
                    "retainOnDelete",
                    "deleteBeforeReplace",
                    "ignoreChanges",
                    "replaceOnChanges",
                ]);
            }
        }
        const network = doc.stacks[0];
        const lb = network.resources.find(x => x.type === "aws:lb/loadBalancer:LoadBalancer")!;
        expect(lb.urn).to.equal("urn:pulumi:network::alb-fleet::shared-alb:index:SharedAlb$aws:lb/loadBalancer:LoadBalancer::shop-alb");
        expect(lb.parent).to.equal("urn:pulumi:network::alb-fleet::pulumi:pulumi:Stack$shared-alb:index:SharedAlb::shop");
        expect(lb.provider).to.equal(null);
        expect(lb.options.protect).to.equal(true);
        const rule = network.resources.find(x => x.type === "aws:lb/listenerRule:ListenerRule")!;
        expect(rule.options.dependsOn).to.deep.equal([
            "urn:pulumi:network::alb-fleet::shared-alb:index:SharedAlb$aws:lb/targetGroup:TargetGroup::shop-blue-web",
            "urn:pulumi:network::alb-fleet::shared-alb:index:SharedAlb$aws:lb/targetGroup:TargetGroup::shop-green-web",
        ]);
        const outputs = network.outputs as { token: string; clusters: Record<string, { targetGroups: { web: { arn: string } } }> };
        expect(outputs.token).to.equal("[secret]");
        const blueTg = outputs.clusters.blue.targetGroups.web.arn;
        expect(blueTg).to.match(/^arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup\/shop-blue-web\/[0-9a-f]{16}$/);
        const blue = doc.stacks[1];
        expect(blue.outputs).to.deep.include({ targetGroupArn: blueTg });
        const tgb = blue.resources.find(x => x.name === "blue-web")!;
        expect((tgb.inputs as { spec: { targetGroupARN: string } }).spec.targetGroupARN).to.equal(blueTg);
        const ref = doc.stacks[2].resources.find(x => x.type === "pulumi:pulumi:StackReference")!;
        expect(ref.name).to.equal("org/alb-fleet/network");
        const served = ref.outputs as { outputs: Record<string, unknown>; secretOutputNames: string[] };
        expect(served.outputs.token).to.equal("[secret]");
        expect(served.secretOutputNames).to.deep.equal(["token"]);
        expect(served.outputs.accountId).to.equal("111111111111");
    });

    it("is deterministic: two runs print the same bytes", async () => {
        const dir = fleet();
        const [a, b] = [await plan(["--config-dir", dir, "--json"]), await plan(["--config-dir", dir, "--json"])];
        expect(a.out).to.equal(b.out);
        const [c, d] = [await plan(["--config-dir", dir]), await plan(["--config-dir", dir])];
        expect(c.out).to.equal(d.out);
        // A different directory with the same files plans the same too.
        expect((await plan(["--config-dir", fleet(), "--json"])).out).to.equal(a.out);
    });

    describe("order", () => {
        const recording = (events: string[]) => async () => {
            const stack = pulumi.getStack();
            events.push(`start ${stack}`);
            const out = await fakeRunRole();
            await new Promise(r => setTimeout(r, stack === "network" ? 20 : 1));
            events.push(`end ${stack}`);
            return out;
        };

        it("runs the network stacks first, then the cluster stacks one at a time, by name", async () => {
            const events: string[] = [];
            expect((await plan(["--config-dir", fleet()], recording(events))).code).to.equal(0);
            expect(events).to.deep.equal([
                "start network",
                "end network",
                "start cluster-blue",
                "end cluster-blue",
                "start cluster-green",
                "end cluster-green",
            ]);
        });

        it("with concurrency 2, runs two cluster stacks at once, still after the network stack", async () => {
            const events: string[] = [];
            const once = await planFleet({ configDir: fleet(), program: recording([]) });
            const plan2 = await planFleet({ configDir: fleet(), program: recording(events), concurrency: 2 });
            expect(events.slice(0, 4)).to.deep.equal(["start network", "end network", "start cluster-blue", "start cluster-green"]);
            expect(renderJson(plan2)).to.equal(renderJson(once));
        });

        it("refuses a concurrency that is not a whole number of stacks", async () => {
            for (const concurrency of [0, 1.5, -1, NaN]) {
                const err = await planFleet({ configDir: fleet(), program: fakeRunRole, concurrency }).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(err?.message).to.equal(`concurrency: got ${concurrency}; expected a whole number of stacks, at least 1`);
            }
        });
    });

    it("settleEach runs at most `limit` at once, in order, and settles every item", async () => {
        let running = 0;
        let most = 0;
        const started: number[] = [];
        const results = await settleEach([5, 1, 3, 2, 4], 2, async n => {
            started.push(n);
            most = Math.max(most, ++running);
            await new Promise(r => setTimeout(r, n));
            running--;
            if (n === 3) {
                throw new Error("three");
            }
            return n * 10;
        });
        expect(started).to.deep.equal([5, 1, 3, 2, 4]);
        expect(most).to.equal(2);
        expect(results.map(r => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).to.deep.equal([
            50,
            10,
            "three",
            20,
            40,
        ]);
    });

    it("--stack plans one stack with its network stack and prints only it", async () => {
        const seen: string[] = [];
        const program = async () => {
            seen.push(pulumi.getStack());
            return fakeRunRole();
        };
        const r = await plan(["--config-dir", fleet(), "--stack", "cluster-green", "--json"], program);
        expect(r.code).to.equal(0);
        expect(seen.sort()).to.deep.equal(["cluster-green", "network"]);
        const doc = JSON.parse(r.out) as JsonPlan;
        expect(doc.stacks.map(s => s.stack)).to.deep.equal(["cluster-green"]);
        const tree = await plan(["--config-dir", fleet(), "--stack", "network"]);
        expect(tree.out).to.equal(
            `${ExpectedTree.split("\n\n")[0]}\n\nfleet: 5 resources (2 TargetGroup, 1 ListenerRule, 1 LoadBalancer, 1 SharedAlb), 1 protected\n`,
        );
    });

    it("notes secure values planned with a placeholder", async () => {
        const dir = configDir({ network: networkYaml("  alb-fleet:externalId:\n    secure: v1:AAAA\n") });
        const r = await plan(["--config-dir", dir, "--json"]);
        expect(r.code).to.equal(0);
        const doc = JSON.parse(r.out) as JsonPlan;
        expect((doc.stacks[0].outputs as Record<string, unknown>).externalId).to.equal("[secret]");
        const tree = await plan(["--config-dir", dir]);
        expect(tree.out.split("\n")[1]).to.equal(
            "  note: secure values cannot be decrypted offline; planned with a placeholder: alb-fleet:externalId",
        );
    });

    describe("errors: exit 1, messages on stderr naming the stack, nothing on stdout", () => {
        it("a program's ConfigErrors", async () => {
            const program = async () => {
                if (pulumi.getStack() === "cluster-blue") {
                    throw new ConfigErrors([
                        new ConfigError("bindings.web.port", 0, "expected an integer port from 1 to 65535"),
                        new ConfigError("key", "Blue", "expected lower-case letters"),
                    ]);
                }
                return fakeRunRole();
            };
            const r = await plan(["--config-dir", fleet(), "--json"], program);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                [
                    "shared-alb plan: failed, nothing planned",
                    "error: stack cluster-blue (Pulumi.cluster-blue.yaml): 2 configuration errors:",
                    "    - bindings.web.port: got 0; expected an integer port from 1 to 65535",
                    '    - key: got "Blue"; expected lower-case letters',
                    "",
                ].join("\n"),
            );
        });

        it("a pulumi.ResourceError", async () => {
            const program = async () => {
                if (pulumi.getStack() === "network") {
                    const c = new pulumi.ComponentResource("shared-alb:index:SharedAlb", "shop", {});
                    throw new pulumi.ResourceError("clusters.blue.weight: got 1000; expected an integer from 0 to 999", c);
                }
                return fakeRunRole();
            };
            const r = await plan(["--config-dir", fleet()], program);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                [
                    "shared-alb plan: failed, nothing planned",
                    "error: stack network (Pulumi.network.yaml): clusters.blue.weight: got 1000; expected an integer from 0 to 999",
                    "error: stack cluster-blue (Pulumi.cluster-blue.yaml): not planned: its network stack network failed",
                    "error: stack cluster-green (Pulumi.cluster-green.yaml): not planned: its network stack network failed",
                    "",
                ].join("\n"),
            );
        });

        it("an unhandled rejection inside a stack is attributed to it", async () => {
            const dir = configDir({
                network: networkYaml(),
                "cluster-blue": clusterYaml("blue", "222222222222", "network", "    applyError: boom in apply\n"),
            });
            const r = await plan(["--config-dir", dir], fakeRunRole);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                "shared-alb plan: failed, nothing planned\nerror: stack cluster-blue (Pulumi.cluster-blue.yaml): boom in apply\n",
            );
            expect(process.listeners("unhandledRejection").map(l => l.name)).to.not.include("onUnhandledRejection");
        });

        it("a cluster reading a network stack that is not in the plan", async () => {
            const dir = configDir({ network: networkYaml(), "cluster-blue": clusterYaml("blue", "222222222222", "org/alb-fleet/net") });
            const r = await plan(["--config-dir", dir]);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                `shared-alb plan: failed, nothing planned\nerror: stack cluster-blue (Pulumi.cluster-blue.yaml): alb-fleet:cluster.networkStack: got "org/alb-fleet/net"; expected a network stack of ${dir} (network stacks: network)\n`,
            );
        });

        it("a cluster key the network does not have (the program's own error)", async () => {
            const dir = configDir({ network: networkYaml(), "cluster-red": clusterYaml("red", "333333333333") });
            const r = await plan(["--config-dir", dir]);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                'shared-alb plan: failed, nothing planned\nerror: stack cluster-red (Pulumi.cluster-red.yaml): error serializing property "spec": the network stack has no cluster "red"\n',
            );
        });

        it("a bad config file", async () => {
            const dir = configDir({ network: networkYaml(), weird: "config:\n  aws:region: eu-west-1\n  alb-fleet:role: dns\n" });
            const r = await plan(["--config-dir", dir]);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                'shared-alb plan: failed, nothing planned\nerror: stack weird (Pulumi.weird.yaml): alb-fleet:role: got "dns"; expected one of "network", "cluster"\n',
            );
        });

        it("a provider function the offline plan cannot answer, with its message", async () => {
            const program = async () => {
                await pulumi.runtime.invoke("aws:foo/getBar:getBar", {});
                return {};
            };
            const r = await plan(["--config-dir", configDir({ network: networkYaml() })], program);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                "shared-alb plan: failed, nothing planned\nerror: stack network (Pulumi.network.yaml): aws:foo/getBar:getBar: the offline plan has no answer for aws:foo/getBar:getBar\n",
            );
        });

        it("an unknown --stack", async () => {
            const dir = fleet();
            const r = await plan(["--config-dir", dir, "--stack", "nope"]);
            expect(r.code).to.equal(1);
            expect(r.out).to.equal("");
            expect(r.err).to.equal(
                `shared-alb plan: failed, nothing planned\nerror: plan: no stack "nope" in ${dir} (stacks: cluster-blue, cluster-green, network)\n`,
            );
        });
    });

    it("a config directory it cannot read: one line, with a hint at --config-dir when it was the default", async () => {
        const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-elsewhere-"));
        const io = captureIo(elsewhere);
        expect(await main([], io, { program: fakeRunRole })).to.equal(1);
        expect(io.out()).to.equal("");
        expect(io.err()).to.equal(
            'shared-alb plan: cannot read the config directory "stacks/config": no such file; ' +
                "run shared-alb in the Pulumi project's directory (next to Pulumi.yaml) or pass --config-dir DIR\n",
        );
        const given = captureIo(elsewhere);
        expect(await main(["--config-dir", "nope"], given, { program: fakeRunRole })).to.equal(1);
        expect(given.err()).to.equal('shared-alb plan: cannot read the config directory "nope": no such file\n');
    });

    it("colours the tree on a terminal, as the doctor does: the same text, never with NO_COLOR or when piped", async () => {
        const dir = fleet();
        const run = async (isTTY: boolean, env: NodeJS.ProcessEnv) => {
            const io = captureIo();
            (io.stdout as { isTTY?: boolean }).isTTY = isTTY;
            io.env = env;
            expect(await main(["--config-dir", dir], io, { program: fakeRunRole })).to.equal(0);
            return io.out();
        };
        const tty = await run(true, {});
        expect(tty).to.contain("\u001b[1mnetwork (network, account 111111111111, eu-west-1, Pulumi.network.yaml)\u001b[22m\n");
        expect(tty).to.contain('\u001b[2m     ├─ \u001b[22mLoadBalancer shop-alb  \u001b[33m[protected]\u001b[39m  name="shop"');
        expect(tty).to.contain("\u001b[1mfleet: 3 stacks, 11 resources");
        expect(
            Object.values(Styles)
                .flat()
                .reduce((text, code) => text.split(code).join(""), tty),
        ).to.equal(ExpectedTree);
        expect(await run(true, { NO_COLOR: "1" })).to.equal(ExpectedTree);
        expect(await run(false, {})).to.equal(ExpectedTree);
        const json = captureIo();
        (json.stdout as { isTTY?: boolean }).isTTY = true;
        expect(await main(["--config-dir", dir, "--json"], json, { program: fakeRunRole })).to.equal(0);
        expect(json.out()).to.not.contain("\u001b[");
    });

    it("planFleet keeps unrelated problems out of a --stack plan of a healthy stack", async () => {
        const dir = configDir({ network: networkYaml(), "cluster-blue": clusterYaml("blue", "222222222222", "org/alb-fleet/net") });
        const result = await planFleet({ configDir: dir, stack: "network", program: fakeNetworkProgram });
        expect(result.stacks.map(s => s.stack)).to.deep.equal(["network"]);
    });
});

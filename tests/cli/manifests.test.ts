import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/manifests/command";
import { manifestFiles } from "../../cli/manifests/files";
import { captureIo, clusterYaml, configDir, fakeRunRole, networkYaml } from "./helpers";

const fleet = () => configDir({
    network: networkYaml(),
    "cluster-blue": clusterYaml("blue", "222222222222"),
    "cluster-green": clusterYaml("green", "111111111111", "org/alb-fleet/network"),
});

function tmp(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-out-"));
}

async function manifests(argv: string[], cwd: string) {
    const io = captureIo(cwd);
    const code = await main(argv, io, { program: fakeRunRole });
    return { code, out: io.out(), err: io.err() };
}

function listFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(f => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe("shared-alb manifests", () => {
    it("writes each cluster stack's files under DIR/<stack>/ with the planned network ARNs", async () => {
        const cwd = tmp();
        const r = await manifests(["--out", "gitops", "--config-dir", fleet()], cwd);
        expect(r.err).to.equal("");
        expect(r.code).to.equal(0);
        const lines = r.out.split("\n");
        expect(lines[0]).to.equal("wrote gitops/cluster-blue/controller-values.yaml (18 bytes)");
        expect(lines[1]).to.match(/^wrote gitops\/cluster-blue\/targetgroupbindings\.yaml \(\d+ bytes\)$/);
        expect(lines[2]).to.equal("wrote gitops/cluster-green/controller-values.yaml (19 bytes)");
        expect(lines[4]).to.equal("4 files for 2 cluster stacks (planned network outputs)");
        expect(listFiles(path.join(cwd, "gitops"))).to.deep.equal([
            "cluster-blue/controller-values.yaml", "cluster-blue/targetgroupbindings.yaml",
            "cluster-green/controller-values.yaml", "cluster-green/targetgroupbindings.yaml",
        ]);
        expect(fs.readFileSync(path.join(cwd, "gitops/cluster-blue/controller-values.yaml"), "utf8")).to.equal("clusterName: blue\n");
        const tgb = fs.readFileSync(path.join(cwd, "gitops/cluster-blue/targetgroupbindings.yaml"), "utf8");
        expect(tgb).to.match(/targetGroupARN: arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup\/shop-blue-web\/[0-9a-f]{16}\n$/);
    });

    it("--network-outputs serves the real network outputs instead of planning the network stack", async () => {
        const cwd = tmp();
        const realArn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/real-blue-web/0123456789abcdef";
        fs.writeFileSync(path.join(cwd, "network.json"), JSON.stringify({
            accountId: "111111111111",
            clusters: { blue: { targetGroups: { web: { arn: realArn } } }, green: { targetGroups: { web: { arn: "arn:green" } } } },
        }));
        // The network config is broken on purpose: it is not run.
        const dir = configDir({
            network: networkYaml("    fail: must not run\n"),
            "cluster-blue": clusterYaml("blue", "222222222222"),
        });
        const r = await manifests(["--out", "out", "--config-dir", dir, "--network-outputs", "network.json", "--stack", "cluster-blue"], cwd);
        expect(r.err).to.equal("");
        expect(r.code).to.equal(0);
        expect(r.out.split("\n").slice(-2)).to.deep.equal(["2 files for 1 cluster stack (network outputs from network.json)", ""]);
        expect(fs.readFileSync(path.join(cwd, "out/cluster-blue/targetgroupbindings.yaml"), "utf8")).to.contain(`targetGroupARN: ${realArn}\n`);
    });

    it("writes nothing when any stack fails", async () => {
        const cwd = tmp();
        const dir = configDir({
            network: networkYaml(),
            "cluster-blue": clusterYaml("blue", "222222222222"),
            "cluster-red": clusterYaml("red", "333333333333"),
        });
        const r = await manifests(["--out", "out", "--config-dir", dir], cwd);
        expect(r.code).to.equal(1);
        expect(r.out).to.equal("");
        expect(r.err).to.equal("shared-alb manifests: failed, nothing written\nerror: stack cluster-red (Pulumi.cluster-red.yaml): error serializing property \"spec\": the network stack has no cluster \"red\"\n");
        expect(listFiles(path.join(cwd, "out"))).to.deep.equal([]);
    });

    it("refuses a bad --network-outputs file and a network-only --stack", async () => {
        const cwd = tmp();
        fs.writeFileSync(path.join(cwd, "bad.json"), "[1]");
        const bad = await manifests(["--out", "out", "--config-dir", fleet(), "--network-outputs", "bad.json"], cwd);
        expect(bad.code).to.equal(1);
        expect(bad.err).to.equal(`shared-alb manifests: failed, nothing written\nerror: ${path.join(cwd, "bad.json")}: --network-outputs: expected the JSON of \`pulumi stack output --json -s network\` (an object with \`clusters\`)\n`);
        const net = await manifests(["--out", "out", "--config-dir", fleet(), "--stack", "network"], cwd);
        expect(net.code).to.equal(1);
        expect(net.err).to.equal("shared-alb manifests: failed, nothing written\nerror: plan: stack network is a network stack; manifests are written for cluster stacks\n");
        const usage = await manifests(["--config-dir", fleet()], cwd);
        expect(usage.code).to.equal(2);
        expect(usage.err.split("\n")[0]).to.equal("shared-alb manifests: --out DIR is required");
    });

    describe("manifestFiles", () => {
        it("reads { files: { name: text | object | list } }", () => {
            expect(manifestFiles({ manifests: { files: {
                "b.yaml": "x: 1",
                "a.yaml": { kind: "Namespace", metadata: { name: "shop" } },
                "c.yaml": [{ kind: "A" }, { kind: "B" }],
            } } })).to.deep.equal([
                { name: "a.yaml", text: "kind: Namespace\nmetadata:\n  name: shop\n" },
                { name: "b.yaml", text: "x: 1\n" },
                { name: "c.yaml", text: "kind: A\n---\nkind: B\n" },
            ]);
        });

        it("reads file names as keys, or named values as kebab-case files", () => {
            expect(manifestFiles({ manifests: { "x.yaml": "a: 1\n" } })).to.deep.equal([{ name: "x.yaml", text: "a: 1\n" }]);
            expect(manifestFiles({ manifests: { controllerValues: { clusterName: "blue" }, targetGroupBindings: [] } })).to.deep.equal([
                { name: "controller-values.yaml", text: "clusterName: blue\n" },
                { name: "target-group-bindings.yaml", text: "" },
            ]);
            expect(manifestFiles({ other: 1 })).to.equal(undefined);
        });

        it("refuses a file name that could leave the output directory", () => {
            expect(() => manifestFiles({ manifests: { files: { "../x.yaml": "a" } } }))
                .to.throw('manifests output: file name "../x.yaml" is not a plain .yaml file name');
        });
    });
});

import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

// What `shared-alb plan` loads of the provider packages, over the example
// fleet (stacks/config), in a fresh process: the package indexes load
// hundreds of modules a plan never uses (see components/internal/aws.ts).
const root = path.resolve(__dirname, "../..");

/** Runs `shared-alb plan --json <args>` in this process, then lists the provider modules loaded so far. */
const Script = `
const path = require("path");
const { PassThrough } = require("stream");
const { run } = require("./cli/index");
const loaded = () => Object.keys(require.cache)
    .map(f => path.relative(path.join(process.cwd(), "node_modules"), f).split(path.sep).join("/"))
    .filter(f => /^@pulumi\\/(?!pulumi\\/)/.test(f))
    .sort();
async function plan(args) {
    const stdout = new PassThrough();
    stdout.resume();
    const io = { stdout, stderr: process.stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd() };
    const code = await run(["plan", "--json", ...args], io);
    if (code !== 0) throw new Error("plan " + args.join(" ") + " exited " + code);
    return loaded();
}
(async () => {
    const green = await plan(["--stack", "cluster-green"]);
    const fleet = await plan([]);
    process.stdout.write(JSON.stringify({ green, fleet }));
})().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exitCode = 1; });
`;

/** Modules that load far more than the plan needs: the package indexes, and Helm v3's (Chart, YAML). */
const Heavy = /^@pulumi\/[^/]+\/index\.js$|^@pulumi\/kubernetes\/helm\/v3\/index\.js$/;

function count(files: string[], pkg: string): number {
    return files.filter(f => f.startsWith(`${pkg}/`)).length;
}

describe("modules the plan loads", function () {
    this.timeout(180000);
    let loaded: { green: string[]; fleet: string[] };

    before(() => {
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", Script], {
            cwd: root,
            encoding: "utf8",
            maxBuffer: 1 << 26,
        });
        expect(r.status, r.stderr).to.equal(0);
        loaded = JSON.parse(r.stdout) as typeof loaded;
    });

    it("no provider package index, only the submodules the programs use", () => {
        expect(loaded.fleet.filter(f => Heavy.test(f))).to.deep.equal([]);
        expect(loaded.fleet).to.include.members([
            "@pulumi/aws/lb/index.js",
            "@pulumi/aws/lb/targetGroup.js",
            "@pulumi/aws/iam/role.js",
            "@pulumi/kubernetes/helm/v3/release.js",
            "@pulumi/kubernetes/core/v1/namespace.js",
            "@pulumi/eks/cluster.js",
        ]);
        // The package indexes alone load 315 (aws), 117 (kubernetes) and 13 (eks, with both others) modules.
        const counts = {
            aws: count(loaded.fleet, "@pulumi/aws"),
            kubernetes: count(loaded.fleet, "@pulumi/kubernetes"),
            eks: count(loaded.fleet, "@pulumi/eks"),
        };
        expect(counts.aws, loaded.fleet.join("\n")).to.be.within(1, 60);
        expect(counts.kubernetes, loaded.fleet.join("\n")).to.be.within(1, 30);
        expect(counts.eks, loaded.fleet.join("\n")).to.be.within(1, 10);
    });

    it("loads @pulumi/eks only when a stack creates a cluster", () => {
        // cluster-green attaches an existing cluster; cluster-blue creates one.
        expect(loaded.green.filter(f => f.startsWith("@pulumi/eks/"))).to.deep.equal([]);
        expect(loaded.green.filter(f => f.startsWith("@pulumi/aws/lb/")).length).to.be.greaterThan(0);
        expect(loaded.fleet.filter(f => f.startsWith("@pulumi/eks/"))).to.include("@pulumi/eks/cluster.js");
    });
});

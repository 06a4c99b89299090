import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Usage, run } from "../../cli/index";
import { captureIo, configDir, networkYaml } from "./helpers";

const root = path.resolve(__dirname, "../..");

describe("shared-alb dispatcher", () => {
    it("--help prints the usage on stdout, exit 0", async () => {
        for (const arg of ["--help", "-h", "help"]) {
            const io = captureIo();
            expect(await run([arg], io)).to.equal(0);
            expect(io.out()).to.equal(Usage);
            expect(io.err()).to.equal("");
        }
    });

    it("help <command> prints the command's usage", async () => {
        const io = captureIo();
        expect(await run(["help", "plan"], io)).to.equal(0);
        expect(io.out().split("\n")[0]).to.equal("Usage: shared-alb plan [--config-dir DIR] [--stack NAME] [--json]");
    });

    it("--version prints the package version", async () => {
        const io = captureIo();
        expect(await run(["--version"], io)).to.equal(0);
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
        expect(io.out()).to.equal(`${pkg.version}\n`);
    });

    it("an unknown or missing command prints the usage on stderr, exit 2", async () => {
        const io = captureIo();
        expect(await run(["deploy"], io)).to.equal(2);
        expect(io.out()).to.equal("");
        expect(io.err()).to.equal(`shared-alb: unknown command "deploy"\n\n${Usage}`);
        const none = captureIo();
        expect(await run([], none)).to.equal(2);
        expect(none.err()).to.equal(Usage);
        const proto = captureIo();
        expect(await run(["toString"], proto)).to.equal(2);
    });

    describe("the compiled bin", function () {
        this.timeout(180000);
        const bin = path.join(root, "dist/cli/index.js");

        before(() => {
            // Build when dist is missing or older than any CLI or stack source.
            const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
                const p = path.join(dir, e.name);
                return Math.max(m, e.isDirectory() ? newest(p) : (p.endsWith(".ts") ? fs.statSync(p).mtimeMs : 0));
            }, 0);
            const sources = Math.max(newest(path.join(root, "cli")), newest(path.join(root, "stacks")), newest(path.join(root, "components")));
            if (!fs.existsSync(bin) || fs.statSync(bin).mtimeMs < sources) {
                try {
                    execFileSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "pipe" });
                } catch (e) {
                    // tsc still emits when a file has type errors; only a missing bin is fatal here.
                    if (!fs.existsSync(bin)) {
                        throw e;
                    }
                }
            }
        });

        it("node dist/cli/index.js plan --json plans a fleet", () => {
            const dir = configDir({ network: fs.readFileSync(path.join(root, "stacks/config/Pulumi.network.yaml"), "utf8") });
            const r = spawnSync(process.execPath, [bin, "plan", "--json", "--config-dir", dir], { cwd: root, encoding: "utf8" });
            expect(r.stderr).to.equal("");
            expect(r.status).to.equal(0);
            const doc = JSON.parse(r.stdout) as { stacks: { stack: string; role: string; resources: { type: string; options: { protect: boolean } }[] }[] };
            expect(doc.stacks.map(s => [s.stack, s.role])).to.deep.equal([["network", "network"]]);
            const lb = doc.stacks[0].resources.filter(x => x.type === "aws:lb/loadBalancer:LoadBalancer");
            expect(lb.map(x => x.options.protect)).to.deep.equal([true]);
        });

        it("exits 1 with the error on stderr and nothing on stdout", () => {
            const dir = configDir({ network: networkYaml(), weird: "config:\n  alb-fleet:role: dns\n  aws:region: eu-west-1\n" });
            const r = spawnSync(process.execPath, [bin, "plan", "--config-dir", dir], { cwd: root, encoding: "utf8" });
            expect(r.status).to.equal(1);
            expect(r.stdout).to.equal("");
            expect(r.stderr).to.equal("shared-alb plan: failed, nothing planned\nerror: stack weird (Pulumi.weird.yaml): alb-fleet:role: got \"dns\"; expected one of \"network\", \"cluster\"\n");
        });
    });
});

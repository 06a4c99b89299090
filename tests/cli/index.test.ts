import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DoctorCommand } from "../../cli/doctor/args";
import { DoctorPackages, ShiftPackages, Usage, missingPackages, missingPackagesMessage, run } from "../../cli/index";
import { ManifestsCommand } from "../../cli/manifests/args";
import { PlanCommand } from "../../cli/plan/args";
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

    it("an unknown command suggests the nearest, or lists them; no command prints the usage; exit 2", async () => {
        const cases: [string, string][] = [
            ["pln", 'shared-alb: unknown command "pln" (did you mean plan?)'],
            ["manifest", 'shared-alb: unknown command "manifest" (did you mean manifests?)'],
            ["docter", 'shared-alb: unknown command "docter" (did you mean doctor?)'],
            ["man", 'shared-alb: unknown command "man" (did you mean manifests?)'],
            ["deploy", 'shared-alb: unknown command "deploy" (commands: plan, review, manifests, doctor, shift)'],
            ["toString", 'shared-alb: unknown command "toString" (commands: plan, review, manifests, doctor, shift)'],
            ["--json", 'shared-alb: unknown option "--json" (commands: plan, review, manifests, doctor, shift)'],
        ];
        for (const [arg, line] of cases) {
            const io = captureIo();
            expect(await run([arg], io), arg).to.equal(2);
            expect(io.out()).to.equal("");
            expect(io.err()).to.equal(`${line}\nTry 'shared-alb --help' for more information.\n`);
        }
        const none = captureIo();
        expect(await run([], none)).to.equal(2);
        expect(none.err()).to.equal(Usage);
    });

    it("-h and --help print every command's usage on stdout, exit 0", async () => {
        for (const spec of [PlanCommand, ManifestsCommand, DoctorCommand]) {
            for (const argv of [["-h"], ["--help"], ["--json", "--help"], ["--bogus", "-h"]]) {
                const io = captureIo();
                expect(await run([spec.name, ...argv], io), `${spec.name} ${argv.join(" ")}`).to.equal(0);
                expect(io.out()).to.equal(spec.usage);
                expect(io.err()).to.equal("");
            }
            expect(spec.usage.split("\n")[0]).to.match(new RegExp(`^Usage: shared-alb ${spec.name} `));
            expect(spec.usage).to.contain("  -h, --help ");
        }
    });

    it("a usage error is one line and the pointer to --help, exit 2, the same in every command", async () => {
        const cases: [string[], string][] = [
            [["plan", "--bogus"], 'shared-alb plan: unknown option "--bogus"'],
            [["plan", "--stak", "x"], 'shared-alb plan: unknown option "--stak" (did you mean --stack?)'],
            [["plan", "extra"], 'shared-alb plan: unexpected argument "extra"'],
            [["plan", "--stack"], "shared-alb plan: --stack needs a value (NAME)"],
            [["plan", "--json=yes"], "shared-alb plan: --json takes no value"],
            [["plan", "--stack", "a", "--stack=b"], "shared-alb plan: --stack given more than once"],
            [["manifests", "--allow-planned"], "shared-alb manifests: --out DIR is required"],
            [
                ["manifests", "--out", "x"],
                "shared-alb manifests: --network-outputs FILE is required: the files need the deployed network stack's ARNs " +
                    "(--allow-planned writes the offline plan's placeholders instead, to review)",
            ],
            [
                ["manifests", "--out", "x", "--allow-planned", "--network-outputs", "n.json"],
                "shared-alb manifests: --allow-planned is for a run without --network-outputs; give one or the other",
            ],
            [["doctor", "--colour"], 'shared-alb doctor: unknown option "--colour"'],
            [["doctor"], "shared-alb doctor: --network-outputs FILE|- is required (the JSON of `pulumi stack output --json -s network`)"],
            [
                ["doctor", "--network-outputs", "x", "--concurrency", "0"],
                'shared-alb doctor: --concurrency: got "0"; expected an integer from 1 to 64',
            ],
        ];
        for (const [argv, line] of cases) {
            const io = captureIo();
            expect(await run(argv, io), argv.join(" ")).to.equal(2);
            expect(io.out()).to.equal("");
            expect(io.err()).to.equal(`${line}\nTry 'shared-alb ${argv[0]} --help' for more information.\n`);
        }
    });

    it("doctor without its optional packages says which and how to install them, exit 2", async () => {
        const gone = new Set(["@aws-sdk/client-iam", "@kubernetes/client-node"]);
        const resolve = (name: string) => {
            if (gone.has(name)) {
                throw new Error(`Cannot find module '${name}'`);
            }
            return `/x/${name}`;
        };
        expect(missingPackages(DoctorPackages, resolve)).to.deep.equal(["@aws-sdk/client-iam", "@kubernetes/client-node"]);
        expect(missingPackages(DoctorPackages)).to.deep.equal([]);
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
            optionalDependencies: Record<string, string>;
        };
        expect(Object.keys(pkg.optionalDependencies).sort()).to.deep.equal([...new Set([...DoctorPackages, ...ShiftPackages])].sort());
        expect(missingPackagesMessage("doctor", ["@aws-sdk/client-iam", "@kubernetes/client-node"])).to.equal(
            "shared-alb doctor: needs @aws-sdk/client-iam, @kubernetes/client-node, optional dependencies of shared-alb that this install left out " +
                "(npm install --omit=optional); install them:\n" +
                `  npm install @aws-sdk/client-iam@${pkg.optionalDependencies["@aws-sdk/client-iam"]} @kubernetes/client-node@${pkg.optionalDependencies["@kubernetes/client-node"]}\n`,
        );
    });

    describe("the compiled bin", function () {
        this.timeout(180000);
        const bin = path.join(root, "dist/cli/index.js");

        before(() => {
            // Build when dist is missing or older than any CLI or stack source.
            const newest = (dir: string): number =>
                fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
                    const p = path.join(dir, e.name);
                    return Math.max(m, e.isDirectory() ? newest(p) : p.endsWith(".ts") ? fs.statSync(p).mtimeMs : 0);
                }, 0);
            const sources = Math.max(
                newest(path.join(root, "cli")),
                newest(path.join(root, "stacks")),
                newest(path.join(root, "components")),
            );
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
            const doc = JSON.parse(r.stdout) as {
                stacks: { stack: string; role: string; resources: { type: string; options: { protect: boolean } }[] }[];
            };
            expect(doc.stacks.map(s => [s.stack, s.role])).to.deep.equal([["network", "network"]]);
            const lb = doc.stacks[0].resources.filter(x => x.type === "aws:lb/loadBalancer:LoadBalancer");
            expect(lb.map(x => x.options.protect)).to.deep.equal([true]);
        });

        it("ends quietly when the reader of its output goes away (plan --json | head -c 1)", () => {
            const r = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${bin}" plan --json | head -c 1`], {
                cwd: root,
                encoding: "utf8",
            });
            expect(r.stdout).to.equal("{");
            expect(r.stderr).to.equal("");
            expect(r.status).to.equal(0);
        });

        it("exits 1 with the error on stderr and nothing on stdout", () => {
            const dir = configDir({ network: networkYaml(), weird: "config:\n  alb-fleet:role: dns\n  aws:region: eu-west-1\n" });
            const r = spawnSync(process.execPath, [bin, "plan", "--config-dir", dir], { cwd: root, encoding: "utf8" });
            expect(r.status).to.equal(1);
            expect(r.stdout).to.equal("");
            expect(r.stderr).to.equal(
                'shared-alb plan: failed, nothing planned\nerror: stack weird (Pulumi.weird.yaml): alb-fleet:role: got "dns"; expected one of "network", "cluster"\n',
            );
        });
    });
});

import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { NetworkOutputs } from "../../components/internal/contract";
import { CheckIds, Report, Statuses } from "../../cli/doctor/report";
import { buildFleet, testClients } from "./fleet";
import { closedPort } from "./fault-proxy";
import { Moto, motoEnv, startMoto } from "./moto";
import { runDoctor } from "./run";
import { Spawned, spawnCollect } from "../spawn";

const Root = path.resolve(__dirname, "../..");

function writeTemp(name: string, text: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), "doctor-cli-"));
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
}

/** Runs `shared-alb doctor` as a child process through the real dispatcher. */
function spawnDoctor(args: string[], env: NodeJS.ProcessEnv): Promise<Spawned> {
    return spawnCollect(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(Root, "cli/index.ts"), "doctor", ...args], {
        cwd: Root,
        env,
    });
}

describe("shared-alb doctor command line", function () {
    this.timeout(60_000);
    let moto: Moto;
    let outputs: NetworkOutputs;
    let outputsFile: string;

    before(async () => {
        moto = await startMoto();
        await moto.reset();
        outputs = (await buildFleet(testClients(moto.endpoint))).outputs;
        outputsFile = writeTemp("outputs.json", JSON.stringify(outputs, null, 2));
    });

    describe("exit codes and output against moto_server", () => {
        it("exits 0 with a human report and a summary line", async () => {
            const run = await runDoctor(["--network-outputs", outputsFile], { env: motoEnv(moto.endpoint) });
            expect(run.code).to.equal(0);
            expect(run.stderr).to.equal("");
            const lines = run.stdout.trimEnd().split("\n");
            expect(lines[0]).to.equal("shared-alb doctor: shared-alb in eu-west-1 (account 123456789012), 2 clusters, 2 services");
            expect(lines[lines.length - 1]).to.match(/^Summary: \d+ pass, 0 warn, 0 fail$/);
            expect(run.stdout).to.match(
                /^PASS {2}alb\.deletion-protection +loadbalancer\/app\/shared-alb\/[0-9a-f]+: deletion protection is on$/m,
            );
            expect(run.stdout).not.to.include("\u001b[");
        });

        it("--json prints exactly { checks, summary, failedReads } on stdout and nothing else", async () => {
            const run = await runDoctor(["--json", "--network-outputs", outputsFile], { env: motoEnv(moto.endpoint) });
            expect(run.code).to.equal(0);
            const doc = JSON.parse(run.stdout) as Report;
            expect(Object.keys(doc)).to.deep.equal(["checks", "summary", "failedReads"]);
            expect(Object.keys(doc.summary)).to.deep.equal(["pass", "warn", "fail", "error"]);
            expect(doc.failedReads).to.deep.equal([]);
            expect(doc.checks.length).to.be.greaterThan(10);
            for (const c of doc.checks) {
                expect(Object.keys(c)).to.deep.equal(["id", "status", "subject", "message", "hint"]);
                expect(CheckIds).to.include(c.id);
                expect(Statuses).to.include(c.status);
                expect(c.subject).to.be.a("string").and.not.equal("");
            }
            expect(doc.summary.pass).to.equal(doc.checks.length);
        });

        it("exits 1 when a check fails, and shows the fix under it", async () => {
            const broken: NetworkOutputs = JSON.parse(JSON.stringify(outputs));
            broken.services.api.weights.blue = 70;
            const run = await runDoctor(["--network-outputs", writeTemp("o.json", JSON.stringify(broken))], {
                env: motoEnv(moto.endpoint),
            });
            expect(run.code).to.equal(1);
            expect(run.stdout).to.match(
                /^FAIL {2}listener\.weights +service api: live weights differ from the outputs: blue 50 \(expected 70\)$/m,
            );
            expect(run.stdout).to.match(/^ +fix: the rule was changed outside the stack/m);
            expect(run.stdout).to.match(/Summary: \d+ pass, 0 warn, 1 fail\n$/);
        });

        it("reads the outputs from stdin with -", async () => {
            const run = await runDoctor(["--network-outputs", "-", "--json"], {
                env: motoEnv(moto.endpoint),
                stdin: JSON.stringify(outputs),
            });
            expect(run.code).to.equal(0);
            expect((JSON.parse(run.stdout) as Report).summary.fail).to.equal(0);
        });

        it("colours only on a terminal, and never with NO_COLOR", async () => {
            const tty = await runDoctor(["--network-outputs", outputsFile], { env: motoEnv(moto.endpoint), stdoutTTY: true });
            expect(tty.stdout).to.include("\u001b[32mPASS");
            const noColor = await runDoctor(["--network-outputs", outputsFile], {
                env: { ...motoEnv(moto.endpoint), NO_COLOR: "1" },
                stdoutTTY: true,
            });
            expect(noColor.stdout).not.to.include("\u001b[");
            expect(noColor.stdout.split("\n").length).to.equal(tty.stdout.split("\n").length);
        });

        it("shows progress on a terminal stderr and none when piped", async () => {
            const tty = await runDoctor(["--network-outputs", outputsFile, "--json"], { env: motoEnv(moto.endpoint), stderrTTY: true });
            expect(tty.stderr).to.match(/checking the fleet: \d+\/\d+ calls/);
            expect(tty.stderr.endsWith("\r\u001b[2K")).to.equal(true);
            JSON.parse(tty.stdout);
            const piped = await runDoctor(["--network-outputs", outputsFile, "--json"], { env: motoEnv(moto.endpoint), stderrTTY: false });
            expect(piped.stderr).to.equal("");
        });

        it("honours --concurrency 1 with the same result", async () => {
            const one = await runDoctor(["--network-outputs", outputsFile, "--json", "--concurrency", "1"], {
                env: motoEnv(moto.endpoint),
            });
            const eight = await runDoctor(["--network-outputs", outputsFile, "--json"], { env: motoEnv(moto.endpoint) });
            expect(JSON.parse(one.stdout)).to.deep.equal(JSON.parse(eight.stdout));
        });

        it("notes on stderr when the environment's region differs from the outputs'", async () => {
            const run = await runDoctor(["--network-outputs", outputsFile, "--json"], {
                env: { ...motoEnv(moto.endpoint), AWS_REGION: "us-east-1" },
            });
            expect(run.code).to.equal(0);
            expect(run.stderr).to.equal(
                "shared-alb doctor: note: using the network stack's region eu-west-1, not us-east-1 from the environment\n",
            );
        });

        it("runs as a subprocess through the dispatcher (piped: no progress, JSON only on stdout)", async () => {
            const run = await spawnDoctor(["--network-outputs", outputsFile, "--json"], {
                PATH: process.env.PATH,
                HOME: mkdtempSync(path.join(tmpdir(), "home-")),
                ...motoEnv(moto.endpoint),
            });
            expect(run.code).to.equal(0);
            expect((JSON.parse(run.stdout) as Report).summary.fail).to.equal(0);
            expect(run.stderr).not.to.include("checking the fleet");
        });
    });

    describe("exit 2: the doctor cannot run", () => {
        const env = (): NodeJS.ProcessEnv => motoEnv(moto.endpoint);
        const cases: Array<[string, () => string[], string | RegExp, string?]> = [
            [
                "a missing file",
                () => ["--network-outputs", "/nonexistent/outputs.json"],
                `shared-alb doctor: cannot read network outputs "/nonexistent/outputs.json": no such file\n`,
            ],
            [
                "a file that is not JSON",
                () => ["--network-outputs", writeTemp("bad.json", "{ not json")],
                /^shared-alb doctor: network outputs from \/.*bad\.json are not JSON \(.+\); expected the JSON of `pulumi stack output --json -s network`\n$/,
            ],
            [
                "an empty stdin",
                () => ["--network-outputs", "-"],
                "shared-alb doctor: network outputs from stdin are empty; expected the JSON of `pulumi stack output --json -s network`\n",
                "",
            ],
            [
                "JSON that is not the contract",
                () => {
                    const o = JSON.parse(JSON.stringify(outputs)) as Record<string, Record<string, Record<string, unknown>>>;
                    delete o.clusters.blue.targetGroups;
                    return ["--network-outputs", writeTemp("o.json", JSON.stringify(o))];
                },
                /^shared-alb doctor: network outputs from \/.*o\.json do not match the contract: clusters\.blue\.targetGroups: got nothing; expected an object of target groups keyed by service\n$/,
            ],
            [
                "a JSON array",
                () => ["--network-outputs", "-"],
                "shared-alb doctor: network outputs from stdin do not match the contract: (top level): got []; expected a JSON object (the network stack's outputs)\n",
                "[]",
            ],
            [
                "no --network-outputs",
                () => [],
                "shared-alb doctor: --network-outputs FILE|- is required (the JSON of `pulumi stack output --json -s network`)\nTry 'shared-alb doctor --help' for more information.\n",
            ],
            [
                "an unknown option",
                () => ["--network-outputs", "x", "--colour"],
                "shared-alb doctor: unknown option \"--colour\"\nTry 'shared-alb doctor --help' for more information.\n",
            ],
            [
                "a bad --concurrency",
                () => ["--network-outputs", "x", "--concurrency", "0"],
                "shared-alb doctor: --concurrency: got \"0\"; expected an integer from 1 to 64\nTry 'shared-alb doctor --help' for more information.\n",
            ],
            [
                "--kubeconfig without --cluster",
                () => ["--network-outputs", "x", "--kubeconfig", "k"],
                "shared-alb doctor: --kubeconfig and --context need --cluster KEY (which cluster of the outputs the kubeconfig reaches)\nTry 'shared-alb doctor --help' for more information.\n",
            ],
            [
                "an unknown --cluster",
                () => ["--network-outputs", outputsFile, "--cluster", "red", "--kubeconfig", "/tmp/k"],
                'shared-alb doctor: --cluster: got "red"; the outputs have clusters "blue", "green"\n',
            ],
            [
                "a missing kubeconfig",
                () => ["--network-outputs", outputsFile, "--cluster", "blue", "--kubeconfig", "/nonexistent/kubeconfig"],
                'shared-alb doctor: cannot load kubeconfig "/nonexistent/kubeconfig": no such file\n',
            ],
        ];
        for (const [what, argv, message, stdin] of cases) {
            it(`on ${what}, with one clear line (and for a usage error the pointer to --help), no stack trace`, async () => {
                const run = await runDoctor(argv(), { env: env(), ...(stdin !== undefined ? { stdin } : {}) });
                expect(run.code).to.equal(2);
                expect(run.stdout).to.equal("");
                if (typeof message === "string") {
                    expect(run.stderr).to.equal(message);
                } else {
                    expect(run.stderr).to.match(message);
                }
                expect(run.stderr).not.to.match(/\n\s+at /);
            });
        }

        it("when AWS cannot be reached (nothing listens on the endpoint), naming the first read", async () => {
            const run = await runDoctor(["--network-outputs", outputsFile], {
                env: { ...motoEnv(`http://127.0.0.1:${await closedPort()}`) },
            });
            expect(run.code).to.equal(2);
            expect(run.stdout).to.equal("");
            expect(run.stderr).to.match(
                /^shared-alb doctor: cannot reach AWS: elasticloadbalancing:DescribeLoadBalancers failed: .*ECONNREFUSED.*; nothing was checked\n$/,
            );
        });

        it("without credentials, as a subprocess with an empty environment", async () => {
            const home = mkdtempSync(path.join(tmpdir(), "home-"));
            const run = await spawnDoctor(["--network-outputs", outputsFile], {
                PATH: process.env.PATH,
                HOME: home,
                AWS_CONFIG_FILE: path.join(home, "none"),
                AWS_SHARED_CREDENTIALS_FILE: path.join(home, "none"),
                AWS_EC2_METADATA_DISABLED: "true",
                AWS_ENDPOINT_URL: moto.endpoint,
            });
            expect(run.code).to.equal(2);
            expect(run.stdout).to.equal("");
            const lines = run.stderr.trimEnd().split("\n");
            expect(lines, "stderr is one line (the SDK's Node version notice is silenced)").to.have.length(1);
            expect(lines[0]).to.match(
                /^shared-alb doctor: no AWS credentials: .+; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, for the network account$/,
            );
            expect(run.stderr).not.to.match(/\n\s+at /);
        });
    });

    it("--help prints the usage and exits 0", async () => {
        const run = await runDoctor(["--help"]);
        expect(run.code).to.equal(0);
        expect(run.stdout).to.include("Usage: shared-alb doctor --network-outputs FILE|- [options]");
        // The outputs as docs/doctor.md exports them: with the external IDs the registrar and binding checks compare.
        expect(run.stdout).to.include(
            "  --network-outputs FILE|-   JSON of `pulumi stack output --json --show-secrets -s network` (- reads stdin);\n" +
                "                             without --show-secrets the external IDs are not compared\n",
        );
    });
});

import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadStackConfigs } from "../../cli/plan/config";
import { Spawned, spawnCollect } from "../spawn";

const root = path.resolve(__dirname, "../..");
const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/**
 * Runs stacks/index.ts the way `pulumi up` (or `preview`) does: the engine's
 * Node.js language host starts @pulumi/pulumi's cmd/run with the project,
 * stack and `--dry-run` as arguments and the stack's config in PULUMI_CONFIG,
 * and loads TypeScript through the SDK's own ts-node setup. A preload puts the
 * SDK's mock monitor where the engine would be (no Pulumi CLI here); without
 * an engine to send them to, the runtime prints its error messages on stderr
 * as `error: [runtime] <message>`. Exit code 32 tells the language host that
 * the program already reported its error, so it adds nothing of its own.
 */
async function runAsEngine(
    stack: string,
    configYaml: string,
    options: { dryRun: boolean; callerAccount: string; program?: string },
): Promise<Spawned> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-engine-"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), configYaml);
    const loaded = loadStackConfigs(dir);
    expect(loaded.problems).to.deep.equal([]);
    const preload = path.join(dir, "mock-engine.js");
    fs.writeFileSync(
        preload,
        `
const pulumi = require(${JSON.stringify(sdk)});
pulumi.runtime.setMocks({
    newResource: args => ({ id: args.name + "-id", state: args.inputs }),
    call: args => args.token === "aws:index/getCallerIdentity:getCallerIdentity"
        ? { accountId: ${JSON.stringify(options.callerAccount)}, arn: "arn:aws:iam::${options.callerAccount}:user/ci", userId: "AIDAEXAMPLE" }
        : {},
}, "alb-fleet", ${JSON.stringify(stack)}, ${options.dryRun}, "organization");
`,
    );
    const args = [
        "-r",
        preload,
        path.join(sdk, "cmd", "run", "index.js"),
        "--monitor=mock",
        "--project=alb-fleet",
        `--stack=${stack}`,
        // The language host passes the organization the engine runs in (a stack reference's name needs it).
        "--organization=organization",
        `--pwd=${root}`,
        ...(options.dryRun ? ["--dry-run"] : []),
        options.program ?? "stacks/index.ts",
    ];
    const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PULUMI_CONFIG: JSON.stringify(loaded.stacks[0].config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(loaded.stacks[0].secretKeys),
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
    try {
        return await spawnCollect(process.execPath, args, { cwd: root, env });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function exampleConfig(stack: string): string {
    return fs.readFileSync(path.join(root, "stacks", "config", `Pulumi.${stack}.yaml`), "utf8");
}

/** Replaces exactly one occurrence of `from` in `text`. */
function edit(text: string, from: string, to: string): string {
    expect(text.split(from), `one ${JSON.stringify(from)} in the config`).to.have.length(2);
    return text.replace(from, to);
}

describe("a config error in pulumi up / preview, as the engine runs the program", function () {
    this.timeout(120_000);

    it("prints only the path-named problems, with the quoting hint for an account ID YAML read as a number", async () => {
        const network = edit(
            edit(exampleConfig("network"), '\n    accountId: "111111111111"\n', "\n    accountId: 012345678901\n"),
            "        weight: 100\n",
            "        weight: 1000\n",
        );
        const cluster = edit(exampleConfig("cluster-blue"), 'accountId: "222222222222"', "accountId: 222222222222");
        const [preview, up] = await Promise.all([
            runAsEngine("network", network, { dryRun: true, callerAccount: "111111111111" }),
            runAsEngine("cluster-blue", cluster, { dryRun: false, callerAccount: "222222222222" }),
        ]);
        expect(preview.stderr).to.equal(
            [
                "error: [runtime] 2 configuration errors:",
                '  - accountId: got 12345678901; expected a 12-digit AWS account ID such as "111111111111"; ' +
                    'quote it in YAML: "012345678901" (unquoted, YAML reads it as the number 12345678901)',
                "  - clusters.blue.weight: got 1000; expected an integer from 0 to 999",
                "",
            ].join("\n"),
        );
        expect(preview.stdout).to.equal("");
        expect(preview.code).to.equal(32);
        expect(up.stderr).to.equal(
            "error: [runtime] alb-fleet:cluster.accountId: got 222222222222; expected a 12-digit AWS account ID such as " +
                '"111111111111"; quote it in YAML: "222222222222" (unquoted, YAML reads it as the number 222222222222)\n',
        );
        expect(up.stdout).to.equal("");
        expect(up.code).to.equal(32);
    });

    it("prints the credentials' account mismatch as one message, without a stack trace", async () => {
        const run = await runAsEngine("network", exampleConfig("network"), { dryRun: true, callerAccount: "999999999999" });
        expect(run.stderr).to.equal(
            'error: [runtime] accountId: got "111111111111"; the AWS credentials are for account 999999999999: ' +
                "deploy the network stack with the network account's credentials\n",
        );
        expect(run.code).to.equal(32);
    });

    it("prints a bad value that arrived as an Output with the message its plain value gets, once", async () => {
        const run = await runAsEngine("network", exampleConfig("network"), {
            dryRun: false,
            callerAccount: "111111111111",
            program: "tests/fixtures/output-args-program.ts",
        });
        expect(run.stderr).to.equal('error: [runtime] vpcId: got "vpc-nope"; expected a VPC ID such as "vpc-0123456789abcdef0"\n');
        expect(run.stdout).to.equal("");
        expect(run.code).to.equal(32);
    });
});

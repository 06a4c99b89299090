import { DescribeRulesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../../cli/index";
import { captureIo } from "../cli/helpers";
import { AwsTestClients, BuiltFleet, FleetSpec, NetworkAccount, buildFleet } from "../doctor/fleet";
import { motoEnv } from "../doctor/moto";

/** The test fleet in moto: blue (another account) serves everything, green (the network account) stands by at weight 0. */
export const ShiftFleet: FleetSpec = {
    clusters: [
        { key: "blue", accountId: "222222222222", weight: 100 },
        { key: "green", accountId: NetworkAccount, weight: 0 },
    ],
    services: [
        { name: "api", port: 8080 },
        { name: "web", port: 3000 },
    ],
};

/** The network stack's config file of that fleet, with comments in every place a shift could disturb. */
export const ShiftConfig = `# The network stack of the shift tests.
# Deploy with: pulumi up -s network
config:
  aws:region: eu-west-1
  alb-fleet:role: network
  alb-fleet:network:
    accountId: "${NetworkAccount}"
    vpcId: vpc-0a1b2c3d4e5f60718
    vpcCidr: 10.0.0.0/16
    subnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    loadBalancer: { internal: true } # VPC only
    clusters:
      # blue serves today
      blue:
        accountId: "222222222222"
        weight: 100 # all of it, until the shift
      green: { accountId: "${NetworkAccount}", weight: 0 } # standby, health-checked
    services:
      api:
        port: 8080
        # api answers under /api
        paths: ["/api/*"]
      web:
        port: 3000 # the shop
        hosts: [shop.example.com]
    tags:
      team: platform # who to call
`;

/** The comment lines and trailing comments of a YAML text, in order. */
export function comments(text: string): string[] {
    return text
        .split("\n")
        .map(l => /#.*$/.exec(l)?.[0])
        .filter((c): c is string => c !== undefined);
}

/** A prepared shift: the files in a temporary directory, and the environment the command and the apply script see. */
export interface Prepared {
    dir: string;
    configFile: string;
    outputsFile: string;
    applyLog: string;
    fleet: BuiltFleet;
    env: NodeJS.ProcessEnv;
    /** The `--apply` command: the apply-weights script on these files. */
    apply: string;
}

const script = path.join(__dirname, "apply-weights.ts");
const tsNode = require.resolve("ts-node/register/transpile-only");

/** Builds the fleet in moto and writes the config file and the outputs. */
export async function prepare(
    aws: AwsTestClients,
    endpoint: string,
    spec: FleetSpec = ShiftFleet,
    config: string = ShiftConfig,
): Promise<Prepared> {
    const fleet = await buildFleet(aws, spec);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-shift-"));
    fs.mkdirSync(path.join(dir, "stacks", "config"), { recursive: true });
    const configFile = path.join(dir, "stacks", "config", "Pulumi.network.yaml");
    fs.writeFileSync(configFile, config);
    const outputsFile = path.join(dir, "network.json");
    fs.writeFileSync(outputsFile, JSON.stringify(fleet.outputs, null, 2));
    const applyLog = path.join(dir, "apply.log");
    const env = {
        ...motoEnv(endpoint),
        PATH: process.env.PATH,
        APPLY_LOG: applyLog,
        TS_NODE_PROJECT: path.join(__dirname, "..", "..", "tsconfig.json"),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    return {
        dir,
        configFile,
        outputsFile,
        applyLog,
        fleet,
        env,
        apply: `"${process.execPath}" -r "${tsNode}" "${script}" stacks/config/Pulumi.network.yaml network.json`,
    };
}

/** The config texts the apply script saw, in order. */
export function appliedConfigs(p: Prepared): string[] {
    return fs.existsSync(p.applyLog)
        ? fs
              .readFileSync(p.applyLog, "utf8")
              .trim()
              .split("\n")
              .map(l => JSON.parse(l) as string)
        : [];
}

/** Runs `shared-alb shift` in-process in the prepared directory, with `extraEnv` for the apply script. */
export async function runShiftIn(
    p: Prepared,
    argv: string[],
    extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
    const io = captureIo(p.dir);
    io.env = { ...p.env, ...extraEnv };
    const code = await run(["shift", ...argv], io);
    return { code, stdout: io.out(), stderr: io.err() };
}

/** The forward weights of each service's rule on moto's ALB, by service then cluster. */
export async function albWeights(aws: AwsTestClients, fleet: BuiltFleet): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [service, arn] of Object.entries(fleet.ruleArns)) {
        const rules = await aws.elbv2.send(new DescribeRulesCommand({ RuleArns: [arn] }));
        const groups = rules.Rules?.[0].Actions?.find(a => a.Type === "forward")?.ForwardConfig?.TargetGroups ?? [];
        out[service] = {};
        for (const [cluster, c] of Object.entries(fleet.outputs.clusters)) {
            out[service][cluster] = groups.find(g => g.TargetGroupArn === c.targetGroups[service].arn)?.Weight ?? -1;
        }
    }
    return out;
}

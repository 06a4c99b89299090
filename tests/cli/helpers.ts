import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough } from "stream";
import * as pulumi from "@pulumi/pulumi";
import { CliIo } from "../../cli/io";

/** A CliIo whose stdout and stderr are captured as text. */
export interface CapturedIo extends CliIo {
    out(): string;
    err(): string;
}

export function captureIo(cwd: string = process.cwd()): CapturedIo {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
    stdout.on("data", (c: Buffer) => chunks.out.push(Buffer.from(c)));
    stderr.on("data", (c: Buffer) => chunks.err.push(Buffer.from(c)));
    return {
        stdout,
        stderr,
        stdin: new PassThrough(),
        env: {},
        cwd,
        out: () => Buffer.concat(chunks.out).toString("utf8"),
        err: () => Buffer.concat(chunks.err).toString("utf8"),
    };
}

/** Writes `Pulumi.<stack>.yaml` files into a fresh temporary directory. */
export function configDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-alb-cli-"));
    for (const [stack, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    }
    return dir;
}

/** A network stack config for the fake programs below. */
export function networkYaml(extra = ""): string {
    return `config:
  aws:region: eu-west-1
  alb-fleet:role: network
  alb-fleet:network:
    accountId: "111111111111"
    vpcId: vpc-0123456789abcdef0
    port: 8080
    clusters:
      blue:
        accountId: "222222222222"
        weight: 100
      green:
        accountId: "111111111111"
        weight: 0
${extra}`;
}

/** A cluster stack config for the fake programs below. */
export function clusterYaml(key: string, accountId: string, networkStack = "network", extra = ""): string {
    return `config:
  aws:region: eu-west-1
  alb-fleet:role: cluster
  alb-fleet:cluster:
    key: ${key}
    accountId: "${accountId}"
    networkStack: ${networkStack}
${extra}`;
}

/** A custom resource of any type token (the fake programs need no provider SDK). */
class Res extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}

class FakeAlb extends pulumi.ComponentResource {
    constructor(name: string, args: { vpcId: string; port: number; clusters: Record<string, { weight: number }> }) {
        super("shared-alb:index:SharedAlb", name, {}, {});
        const lb = new Res(
            "aws:lb/loadBalancer:LoadBalancer",
            `${name}-alb`,
            { name: "shop", internal: false },
            { parent: this, protect: true },
        );
        const tgs: Record<string, pulumi.CustomResource & { arn?: pulumi.Output<string> }> = {};
        for (const key of Object.keys(args.clusters).sort()) {
            tgs[key] = new Res(
                "aws:lb/targetGroup:TargetGroup",
                `${name}-${key}-web`,
                { name: `shop-${key}-web`, port: args.port, protocol: "HTTP", targetType: "ip", vpcId: args.vpcId, arn: undefined },
                { parent: this },
            );
        }
        const arnOf = (r: pulumi.CustomResource) => (r as unknown as { arn: pulumi.Output<string> }).arn;
        new Res(
            "aws:lb/listenerRule:ListenerRule",
            `${name}-web`,
            {
                priority: 10,
                actions: [
                    {
                        type: "forward",
                        forward: {
                            targetGroups: Object.keys(tgs)
                                .sort()
                                .map(k => ({ arn: arnOf(tgs[k]), weight: args.clusters[k].weight })),
                        },
                    },
                ],
            },
            { parent: this, dependsOn: Object.values(tgs) },
        );
        this.lbArn = arnOf(lb);
        this.tgArns = Object.fromEntries(Object.keys(tgs).map(k => [k, arnOf(tgs[k])]));
        this.registerOutputs({});
    }
    lbArn: pulumi.Output<string>;
    tgArns: Record<string, pulumi.Output<string>>;
}

/**
 * A small stand-in for the network program: a component with a protected
 * ALB, a target group per cluster and a weighted rule; outputs in the
 * network contract's shape, with a secret.
 */
export async function fakeNetworkProgram(): Promise<Record<string, unknown>> {
    const cfg = new pulumi.Config("alb-fleet").requireObject<{
        accountId: string;
        vpcId: string;
        port: number;
        clusters: Record<string, { accountId: string; weight: number }>;
        fail?: string;
    }>("network");
    if (cfg.fail) {
        throw new Error(cfg.fail);
    }
    const alb = new FakeAlb("shop", { vpcId: cfg.vpcId, port: cfg.port, clusters: cfg.clusters });
    const externalId = new pulumi.Config("alb-fleet").getSecret("externalId");
    return {
        accountId: cfg.accountId,
        loadBalancer: { arn: alb.lbArn },
        clusters: Object.fromEntries(
            Object.keys(cfg.clusters).map(k => [
                k,
                {
                    accountId: cfg.clusters[k].accountId,
                    weight: cfg.clusters[k].weight,
                    targetGroups: { web: { arn: alb.tgArns[k], name: `shop-${k}-web`, port: cfg.port } },
                },
            ]),
        ),
        ...(externalId !== undefined ? { externalId } : {}),
        token: pulumi.secret("s3cr3t"),
    };
}

/**
 * A small stand-in for the cluster program: reads the network stack
 * reference and binds its cluster's target group; outputs `manifests`.
 */
export async function fakeClusterProgram(): Promise<Record<string, unknown>> {
    const cfg = new pulumi.Config("alb-fleet").requireObject<{ key: string; accountId: string; networkStack: string; applyError?: string }>(
        "cluster",
    );
    const ref = new pulumi.StackReference(cfg.networkStack);
    const clusters = ref.requireOutput("clusters") as pulumi.Output<Record<string, { targetGroups: Record<string, { arn: string }> }>>;
    const arn = clusters.apply(c => {
        if (c[cfg.key] === undefined) {
            throw new Error(`the network stack has no cluster ${JSON.stringify(cfg.key)}`);
        }
        return c[cfg.key].targetGroups.web.arn;
    });
    const role = new Res("aws:iam/role:Role", `lbc-${cfg.key}`, { name: `shared-alb-lbc-${cfg.key}` });
    new Res(
        "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
        `${cfg.key}-web`,
        {
            metadata: { name: "web", namespace: "shop" },
            spec: { targetGroupARN: arn, targetType: "ip", serviceRef: { name: "web", port: 8080 } },
        },
        { dependsOn: [role] },
    );
    if (cfg.applyError) {
        // Nobody awaits this output: its failure is an unhandled rejection.
        arn.apply(() => {
            throw new Error(cfg.applyError);
        });
    }
    return {
        targetGroupArn: arn,
        manifests: {
            files: {
                "targetgroupbindings.yaml": arn.apply(
                    a =>
                        `apiVersion: elbv2.k8s.aws/v1beta1\nkind: TargetGroupBinding\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  targetGroupARN: ${a}\n`,
                ),
                "controller-values.yaml": `clusterName: ${cfg.key}\n`,
            },
        },
    };
}

/** Dispatches to the fake programs by `alb-fleet:role`, like stacks/programs.ts runRole. */
export async function fakeRunRole(): Promise<Record<string, unknown>> {
    const role = new pulumi.Config("alb-fleet").require("role");
    return role === "network" ? fakeNetworkProgram() : fakeClusterProgram();
}

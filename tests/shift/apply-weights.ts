/**
 * The `--apply` command of the shift tests: does to moto what `pulumi up -s
 * network` does to the ALB on a weight change. It reads the network config
 * file, resolves each service's weight per cluster as the network program
 * does (`services.<s>.weights.<c>`, else `clusters.<c>.weight`), and sets
 * them on the service rules of the outputs (ModifyRule). Then, playing the
 * ALB's traffic, it puts CloudWatch metrics for every target group: requests
 * in proportion to the weights, and target 5xx on `TRAFFIC_TARGET` when its
 * share is at least `TRAFFIC_5XX_FROM` percent.
 *
 * Usage: apply-weights.ts CONFIG_FILE OUTPUTS_FILE; environment:
 * AWS_ENDPOINT_URL (moto), APPLY_NOOP=1 (change nothing, exit 0),
 * APPLY_EXIT=N (exit N before changing anything), APPLY_LOG (append the
 * config text it saw), TRAFFIC_TARGET, TRAFFIC_5XX_FROM.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { ElasticLoadBalancingV2Client, ModifyRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import * as fs from "fs";
import { parse } from "yaml";
import { NetworkOutputs } from "../../components/internal/contract";

type Config = {
    clusters: Record<string, { weight?: number; services?: string[] }>;
    services: Record<string, { weights?: Record<string, number> }>;
};

const dimension = (arn: string, pattern: RegExp) => pattern.exec(arn)?.[1] ?? arn;

async function main(): Promise<void> {
    const [configFile, outputsFile] = process.argv.slice(2);
    const text = fs.readFileSync(configFile, "utf8");
    if (process.env.APPLY_LOG) {
        fs.appendFileSync(process.env.APPLY_LOG, `${JSON.stringify(text)}\n`);
    }
    if (process.env.APPLY_EXIT) {
        process.stderr.write("apply-weights: failing as asked\n");
        process.exit(Number(process.env.APPLY_EXIT));
    }
    if (process.env.APPLY_NOOP === "1") {
        process.stdout.write("apply-weights: changing nothing\n");
        return;
    }
    const raw = parse(text) as { config: Record<string, unknown> };
    const config = raw.config["alb-fleet:network"] as Config;
    const outputs = JSON.parse(fs.readFileSync(outputsFile, "utf8")) as NetworkOutputs;
    const client = {
        region: "eu-west-1",
        endpoint: process.env.AWS_ENDPOINT_URL,
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    };
    const elbv2 = new ElasticLoadBalancingV2Client(client);
    const cloudwatch = new CloudWatchClient(client);
    const at = new Date(Date.now() + 2_000);
    const lb = dimension(outputs.loadBalancer.arn, /:loadbalancer\/(app\/.+)$/);
    for (const [service, s] of Object.entries(outputs.services)) {
        const clusters = Object.keys(outputs.clusters).filter(c => outputs.clusters[c].targetGroups[service] !== undefined);
        const weights = Object.fromEntries(
            clusters.map(c => [c, config.services[service]?.weights?.[c] ?? config.clusters[c]?.weight ?? 0]),
        );
        await elbv2.send(
            new ModifyRuleCommand({
                RuleArn: s.ruleArn,
                Actions: [
                    {
                        Type: "forward",
                        ForwardConfig: {
                            TargetGroups: clusters.map(c => ({
                                TargetGroupArn: outputs.clusters[c].targetGroups[service].arn,
                                Weight: weights[c],
                            })),
                        },
                    },
                ],
            }),
        );
        const total = Object.values(weights).reduce((a, b) => a + b, 0);
        for (const c of clusters) {
            const requests = Math.round((1000 * weights[c]) / total);
            const share = (100 * weights[c]) / total;
            const failing = c === process.env.TRAFFIC_TARGET && share >= Number(process.env.TRAFFIC_5XX_FROM ?? 101);
            const dims = [
                { Name: "TargetGroup", Value: dimension(outputs.clusters[c].targetGroups[service].arn, /:(targetgroup\/.+)$/) },
                { Name: "LoadBalancer", Value: lb },
            ];
            await cloudwatch.send(
                new PutMetricDataCommand({
                    Namespace: "AWS/ApplicationELB",
                    MetricData: [
                        { MetricName: "RequestCount", Dimensions: dims, Timestamp: at, Value: requests, Unit: "Count" },
                        {
                            MetricName: "HTTPCode_Target_5XX_Count",
                            Dimensions: dims,
                            Timestamp: at,
                            Value: failing ? Math.round(requests / 5) : 0,
                            Unit: "Count",
                        },
                        { MetricName: "UnHealthyHostCount", Dimensions: dims, Timestamp: at, Value: 0, Unit: "Count" },
                    ],
                }),
            );
        }
    }
    process.stdout.write(`apply-weights: set the weights of ${Object.keys(outputs.services).join(", ")}\n`);
}

main().catch((e: unknown) => {
    process.stderr.write(`apply-weights: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});

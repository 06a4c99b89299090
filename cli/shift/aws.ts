import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { DescribeRulesCommand, Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import { NetworkOutputs } from "../../components/internal";
import { AwsClients, createAwsClients, oneLine } from "../doctor/aws-clients";
import { Caller, gatherAws } from "../doctor/aws-gather";
import { Pool } from "../doctor/pool";
import { AwsSnapshot } from "../doctor/snapshot";
import { TargetGroupSample } from "./judge";
import { LiveRuleWeights } from "./verify";

/**
 * What the shift reads from AWS, behind small interfaces so the orchestration
 * runs against moto or a stand-in: the doctor's snapshot (gates), the service
 * rules (verify) and the CloudWatch samples (bake).
 */

/** The ALB side. */
export interface AlbReader {
    /** Everything the doctor reads, for the gates. */
    snapshot(outputs: NetworkOutputs): Promise<AwsSnapshot>;
    /** The service rules by ARN (DescribeRules with RuleArns); a rule that is gone is absent. */
    rules(ruleArns: readonly string[]): Promise<Record<string, LiveRuleWeights>>;
}

/** The metrics side: GetMetricData as the SDK takes it. */
export interface MetricsReader {
    getMetricData(input: {
        MetricDataQueries: MetricDataQuery[];
        StartTime: Date;
        EndTime: Date;
        NextToken?: string;
    }): Promise<{ MetricDataResults?: Array<{ Id?: string; Values?: number[] }>; NextToken?: string }>;
}

/** A target group whose metrics a bake reads. */
export interface WatchedTargetGroup {
    cluster: string;
    service: string;
    arn: string;
}

/** The SDK clients of a shift: the doctor's three and CloudWatch, with the doctor's credentials, region and endpoint rules. */
export interface ShiftClients {
    alb: AlbReader;
    metrics: MetricsReader;
    /** Resolves credentials once; throws with one line when there are none. */
    credentials(): Promise<void>;
    destroy(): void;
}

/** Builds the SDK-backed readers; `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_CLOUDWATCH`) points CloudWatch at an emulator as for the doctor. */
export function createShiftClients(env: NodeJS.ProcessEnv, region: string): ShiftClients {
    const clients = createAwsClients(env, region);
    const endpoint =
        env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true" ? undefined : env.AWS_ENDPOINT_URL_CLOUDWATCH || env.AWS_ENDPOINT_URL;
    const cloudwatch = new CloudWatchClient({
        region,
        retryMode: "adaptive",
        maxAttempts: 5,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
        credentials: clients.elbv2.config.credentials,
        ...(endpoint ? { endpoint } : {}),
    });
    return {
        alb: sdkAlbReader(clients),
        metrics: { getMetricData: input => cloudwatch.send(new GetMetricDataCommand(input)) },
        credentials: async () => {
            try {
                const creds = await clients.elbv2.config.credentials();
                if (!creds?.accessKeyId) {
                    throw new Error("the chain returned empty credentials");
                }
            } catch (e) {
                throw new Error(
                    `no AWS credentials: ${oneLine(e)}; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, for the network account`,
                );
            }
        },
        destroy: () => {
            clients.elbv2.destroy();
            clients.ec2.destroy();
            clients.iam.destroy();
            cloudwatch.destroy();
        },
    };
}

function sdkAlbReader(clients: AwsClients): AlbReader {
    return {
        snapshot: outputs => gatherAws(outputs, new Caller(clients, new Pool(8))),
        rules: async arns => {
            const out: Record<string, LiveRuleWeights> = {};
            for (let i = 0; i < arns.length; i += 20) {
                const page = await clients.elbv2.send(new DescribeRulesCommand({ RuleArns: arns.slice(i, i + 20) }));
                for (const rule of page.Rules ?? []) {
                    out[rule.RuleArn ?? ""] = ruleWeights(rule);
                }
            }
            return out;
        },
    };
}

/** A rule's forward weights by target group ARN (a single-target forward weighs 1). */
export function ruleWeights(rule: Rule): LiveRuleWeights {
    const forward = (rule.Actions ?? []).find(a => a.Type === "forward");
    const fixed = (rule.Actions ?? []).find(a => a.Type === "fixed-response");
    const groups =
        forward?.ForwardConfig?.TargetGroups ?? (forward?.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : []);
    return {
        ruleArn: rule.RuleArn ?? "",
        ...(forward ? { forward: Object.fromEntries(groups.map(g => [g.TargetGroupArn ?? "", g.Weight ?? 1])) } : {}),
        ...(fixed?.FixedResponseConfig?.StatusCode ? { fixedResponseStatus: fixed.FixedResponseConfig.StatusCode } : {}),
    };
}

/** The CloudWatch dimension value of an ARN: `app/<name>/<id>` of a load balancer, `targetgroup/<name>/<id>` of a target group. */
export function dimensionOf(arn: string): string {
    const lb = /:loadbalancer\/(app\/.+)$/.exec(arn);
    if (lb) {
        return lb[1];
    }
    const tg = /:(targetgroup\/.+)$/.exec(arn);
    return tg ? tg[1] : arn;
}

const Namespace = "AWS/ApplicationELB";
/** ALB metrics are published per minute. */
export const PeriodSeconds = 60;

function query(id: string, metric: string, stat: string, lbArn: string, tgArn: string): MetricDataQuery {
    return {
        Id: id,
        MetricStat: {
            Metric: {
                Namespace,
                MetricName: metric,
                Dimensions: [
                    { Name: "TargetGroup", Value: dimensionOf(tgArn) },
                    { Name: "LoadBalancer", Value: dimensionOf(lbArn) },
                ],
            },
            Period: PeriodSeconds,
            Stat: stat,
        },
    };
}

/** Every result of a GetMetricData, all pages, values by query ID. */
async function valuesById(reader: MetricsReader, queries: MetricDataQuery[], start: Date, end: Date): Promise<Map<string, number[]>> {
    const values = new Map<string, number[]>();
    let token: string | undefined;
    do {
        const page = await reader.getMetricData({
            MetricDataQueries: queries,
            StartTime: start,
            EndTime: end,
            ...(token ? { NextToken: token } : {}),
        });
        for (const r of page.MetricDataResults ?? []) {
            values.set(r.Id ?? "", [...(values.get(r.Id ?? "") ?? []), ...(r.Values ?? [])]);
        }
        token = page.NextToken;
    } while (token);
    return values;
}

/** Each target group's figures, and why its p99 is missing when the p99 read failed without a limit to judge it by. */
export interface Samples {
    targetGroups: TargetGroupSample[];
    p99Error?: string;
}

/**
 * Each target group's sample between `start` and `end`: RequestCount and
 * HTTPCode_Target_5XX_Count summed, UnHealthyHostCount's highest minute, and
 * TargetResponseTime's p99 (its highest minute, in ms) read in a call of its
 * own. A failed p99 read fails the sample when `p99Judged` (`--max-p99-ms`),
 * else the sample goes on without p99 and says why. Request and error counts
 * with no data point are 0 (the ALB publishes none for a minute without
 * requests).
 */
export async function readSamples(
    reader: MetricsReader,
    lbArn: string,
    groups: readonly WatchedTargetGroup[],
    start: Date,
    end: Date,
    p99Judged: boolean,
): Promise<Samples> {
    const counts = groups.flatMap((g, i) => [
        query(`r${i}`, "RequestCount", "Sum", lbArn, g.arn),
        query(`e${i}`, "HTTPCode_Target_5XX_Count", "Sum", lbArn, g.arn),
        query(`u${i}`, "UnHealthyHostCount", "Maximum", lbArn, g.arn),
    ]);
    const values = await valuesById(reader, counts, start, end);
    let latency = new Map<string, number[]>();
    let p99Error: string | undefined;
    try {
        latency = await valuesById(
            reader,
            groups.map((g, i) => query(`p${i}`, "TargetResponseTime", "p99", lbArn, g.arn)),
            start,
            end,
        );
    } catch (e) {
        if (p99Judged) {
            throw e;
        }
        p99Error = `TargetResponseTime p99 not read: ${oneLine(e)}`;
    }
    const sum = (id: string) => (values.get(id) ?? []).reduce((a, b) => a + b, 0);
    const max = (v: number[] | undefined) => (v !== undefined && v.length > 0 ? Math.max(...v) : undefined);
    const targetGroups = groups.map((g, i) => {
        const unhealthy = max(values.get(`u${i}`));
        const p = max(latency.get(`p${i}`));
        return {
            cluster: g.cluster,
            service: g.service,
            requests: sum(`r${i}`),
            errors5xx: sum(`e${i}`),
            ...(p !== undefined ? { p99Ms: p * 1000 } : {}),
            ...(unhealthy !== undefined ? { unhealthyMax: unhealthy } : {}),
        };
    });
    return p99Error === undefined ? { targetGroups } : { targetGroups, p99Error };
}

import { DescribeSecurityGroupsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import {
    Action,
    DescribeAccountLimitsCommand,
    DescribeListenersCommand,
    DescribeLoadBalancerAttributesCommand,
    DescribeLoadBalancersCommand,
    DescribeRulesCommand,
    DescribeTagsCommand,
    DescribeTargetGroupsCommand,
    DescribeTargetHealthCommand,
    Rule,
    TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetRolePolicyCommand,
    ListAttachedRolePoliciesCommand,
    ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { parseRoleArn, NetworkOutputs, dataMap } from "../../components/internal";
import { AwsClients, isFatalAwsError, isNotFound, oneLine } from "./aws-clients";
import { DoctorError } from "./errors";
import { FailedRead } from "./report";
import { expectedTargetGroups, serviceListener } from "./outputs";
import { Pool } from "./pool";
import {
    AwsSnapshot,
    EgressRule,
    Fetched,
    LiveListener,
    LiveLoadBalancer,
    LivePolicy,
    LiveRole,
    LiveRule,
    LiveSecurityGroup,
    LiveTarget,
    LiveTargetGroup,
    PolicyDocument,
} from "./snapshot";

/** One SDK call as made: which client, and the command (its class and input). */
export interface RecordedCall {
    client: "elbv2" | "ec2" | "iam";
    command: { constructor: { name: string }; input: unknown };
}

/** Something with the SDK's `send`, typed loosely enough for all three clients. */
interface Sender {
    send(command: never): Promise<unknown>;
}

/** The IAM service prefix of each client's actions. */
const ServicePrefix: Record<RecordedCall["client"], string> = { elbv2: "elasticloadbalancing", ec2: "ec2", iam: "iam" };

/**
 * A call that failed, named as the IAM action it needs
 * (`elasticloadbalancing:DescribeRules`), with the SDK's error as `cause`.
 */
export class ReadError extends Error {
    constructor(
        readonly call: string,
        readonly subject: string,
        readonly cause: unknown,
    ) {
        super(`${call} failed: ${oneLine(cause)}`);
        this.name = "ReadError";
    }
}

/** The IAM action of a command: `DescribeRulesCommand` on the elbv2 client is `elasticloadbalancing:DescribeRules`. */
export function actionOf(client: RecordedCall["client"], command: { constructor: { name: string } }): string {
    return `${ServicePrefix[client]}:${command.constructor.name.replace(/Command$/, "")}`;
}

/**
 * Sends every call through the pool and records it, so the bench can replay
 * the exact same calls one by one. A call that fails for any reason but
 * "not found" is kept in {@link failedReads}, and rejects with a
 * {@link ReadError} that names it.
 */
export class Caller {
    readonly calls: RecordedCall[] = [];
    readonly failedReads: FailedRead[] = [];

    constructor(
        readonly clients: AwsClients,
        readonly pool: Pool,
    ) {}

    async send<O>(client: RecordedCall["client"], command: { input: unknown }, subject = ""): Promise<O> {
        const recorded = command as RecordedCall["command"];
        this.calls.push({ client, command: recorded });
        const sender = this.clients[client] as unknown as Sender;
        try {
            return await this.pool.run(() => sender.send(command as never) as Promise<O>);
        } catch (err) {
            const call = actionOf(client, recorded);
            if (!isNotFound(err)) {
                this.failedReads.push({ call, subject, error: oneLine(err) });
            }
            throw new ReadError(call, subject, err);
        }
    }
}

/** ELBv2 Describe* calls take at most 20 ARNs. */
const ArnBatch = 20;

/**
 * Reads everything the AWS checks need, with the calls in parallel on the
 * pool. A missing resource becomes `missing`, an error on one read becomes
 * `error` naming that read. Only when the first read (the load balancer)
 * cannot reach AWS at all (no credentials, no endpoint) does it raise
 * {@link DoctorError}: nothing could be checked.
 */
export async function gatherAws(outputs: NetworkOutputs, caller: Caller): Promise<AwsSnapshot> {
    const tgArns = unique(expectedTargetGroups(outputs).map(e => e.tg.arn));
    const listenerArns = unique(Object.values(outputs.loadBalancer.listenerArns));
    const ruleListener = serviceListener(outputs);
    const clusters = Object.values(outputs.clusters);
    const roleArns = unique(
        clusters.filter(c => c.accountId !== outputs.accountId && c.registrarRoleArn).map(c => c.registrarRoleArn as string),
    );
    const controllerArns = unique(clusters.filter(c => c.accountId === outputs.accountId).map(c => c.controllerRoleArn));

    // The load balancer first: if this one call cannot reach AWS, nothing can.
    const loadBalancer = await fetch(() => describeLoadBalancer(caller, outputs.loadBalancer.arn), true);

    const [
        loadBalancerAttributes,
        listeners,
        rules,
        targetGroups,
        targetHealth,
        securityGroup,
        vpcCidrs,
        roles,
        controllerRoles,
        accountLimits,
    ] = await Promise.all([
        fetch(() => describeAttributes(caller, outputs.loadBalancer.arn)),
        byArn(listenerArns, arns => describeListeners(caller, arns)),
        ruleListener ? keyed([ruleListener.arn], arn => fetch(() => describeRules(caller, arn))) : Promise.resolve({}),
        byArn(tgArns, arns => describeTargetGroups(caller, arns)),
        keyed(tgArns, arn => fetch(() => describeTargetHealth(caller, arn))),
        fetch(() => describeSecurityGroup(caller, outputs.loadBalancer.securityGroupId)),
        fetch(() => describeVpcCidrs(caller, outputs.vpcId)),
        keyed(roleArns, arn => fetch(() => readRole(caller, arn))),
        keyed(controllerArns, arn => fetch(() => readRole(caller, arn))),
        fetch(() => describeAccountLimits(caller, `account ${outputs.accountId} in ${outputs.region}`)),
    ]);
    return {
        loadBalancer,
        loadBalancerAttributes,
        listeners,
        rules,
        targetGroups,
        targetHealth,
        securityGroup,
        vpcCidrs,
        roles,
        controllerRoles,
        accountLimits,
    };
}

/**
 * Runs a read; maps not-found to `missing`, any other error to `error`
 * naming the call that failed. With `abortWhenUnreachable`, an error that
 * means AWS cannot be reached at all raises {@link DoctorError} instead.
 */
async function fetch<T>(read: () => Promise<T | undefined>, abortWhenUnreachable = false): Promise<Fetched<T>> {
    try {
        const value = await read();
        return value === undefined ? { state: "missing" } : { state: "ok", value };
    } catch (err) {
        const cause = err instanceof ReadError ? err.cause : err;
        if (isNotFound(cause)) {
            return { state: "missing" };
        }
        const call = err instanceof ReadError ? err.call : "(unknown call)";
        if (abortWhenUnreachable && isFatalAwsError(cause)) {
            throw new DoctorError(`cannot reach AWS: ${call} failed: ${oneLine(cause)}; nothing was checked`);
        }
        return { state: "error", call, error: oneLine(cause) };
    }
}

async function keyed<T>(keys: string[], read: (key: string) => Promise<Fetched<T>>): Promise<Record<string, Fetched<T>>> {
    const values = await Promise.all(keys.map(read));
    return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
}

/**
 * Describes ARNs in batches. A batch fails as a whole when one ARN is
 * missing, so a failed batch is retried one ARN at a time to tell which.
 */
async function byArn<T extends { arn: string }>(
    arns: string[],
    describe: (arns: string[]) => Promise<T[]>,
): Promise<Record<string, Fetched<T>>> {
    const result: Record<string, Fetched<T>> = {};
    const batches: string[][] = [];
    for (let i = 0; i < arns.length; i += ArnBatch) {
        batches.push(arns.slice(i, i + ArnBatch));
    }
    await Promise.all(
        batches.map(async batch => {
            const whole = await fetch(() => describe(batch));
            if (whole.state === "ok") {
                for (const arn of batch) {
                    const item = whole.value.find(x => x.arn === arn);
                    result[arn] = item ? { state: "ok", value: item } : { state: "missing" };
                }
                return;
            }
            if (batch.length === 1 || whole.state === "error") {
                for (const arn of batch) {
                    result[arn] = whole.state === "missing" ? { state: "missing" } : whole;
                }
                return;
            }
            await Promise.all(
                batch.map(async arn => {
                    const one = await fetch(() => describe([arn]));
                    result[arn] = one.state === "ok" ? (one.value[0] ? { state: "ok", value: one.value[0] } : { state: "missing" }) : one;
                }),
            );
        }),
    );
    return result;
}

async function describeLoadBalancer(caller: Caller, arn: string): Promise<LiveLoadBalancer | undefined> {
    const out = await caller.send<{
        LoadBalancers?: Array<{
            LoadBalancerArn?: string;
            LoadBalancerName?: string;
            State?: { Code?: string };
            VpcId?: string;
            SecurityGroups?: string[];
        }>;
    }>("elbv2", new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }), arn);
    const lb = out.LoadBalancers?.[0];
    if (!lb) {
        return undefined;
    }
    return {
        arn: lb.LoadBalancerArn ?? arn,
        name: lb.LoadBalancerName ?? "",
        state: lb.State?.Code ?? "unknown",
        vpcId: lb.VpcId ?? "",
        securityGroups: lb.SecurityGroups ?? [],
    };
}

async function describeAttributes(caller: Caller, arn: string): Promise<Record<string, string>> {
    const out = await caller.send<{ Attributes?: Array<{ Key?: string; Value?: string }> }>(
        "elbv2",
        new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
        arn,
    );
    return Object.fromEntries((out.Attributes ?? []).map(a => [a.Key ?? "", a.Value ?? ""]));
}

async function describeListeners(caller: Caller, arns: string[]): Promise<LiveListener[]> {
    const out = await caller.send<{ Listeners?: Array<{ ListenerArn?: string; Port?: number; Protocol?: string }> }>(
        "elbv2",
        new DescribeListenersCommand({ ListenerArns: arns }),
        arns.join(", "),
    );
    return (out.Listeners ?? []).map(l => ({ arn: l.ListenerArn ?? "", port: l.Port ?? 0, protocol: l.Protocol ?? "" }));
}

async function describeRules(caller: Caller, listenerArn: string): Promise<LiveRule[]> {
    const rules: Rule[] = [];
    let marker: string | undefined;
    do {
        const out = await caller.send<{ Rules?: Rule[]; NextMarker?: string }>(
            "elbv2",
            new DescribeRulesCommand({ ListenerArn: listenerArn, PageSize: 400, ...(marker ? { Marker: marker } : {}) }),
            listenerArn,
        );
        rules.push(...(out.Rules ?? []));
        marker = out.NextMarker;
    } while (marker);
    const tags: Record<string, Record<string, string>> = {};
    const arns = rules.filter(r => !r.IsDefault && r.RuleArn).map(r => r.RuleArn as string);
    await Promise.all(
        chunks(arns, ArnBatch).map(async batch => {
            const out = await caller.send<{
                TagDescriptions?: Array<{ ResourceArn?: string; Tags?: Array<{ Key?: string; Value?: string }> }>;
            }>("elbv2", new DescribeTagsCommand({ ResourceArns: batch }), `rules of ${listenerArn}`);
            for (const d of out.TagDescriptions ?? []) {
                tags[d.ResourceArn ?? ""] = Object.fromEntries((d.Tags ?? []).map(t => [t.Key ?? "", t.Value ?? ""]));
            }
        }),
    );
    return rules.map(r => toLiveRule(r, tags[r.RuleArn ?? ""] ?? {}));
}

function toLiveRule(rule: Rule, tags: Record<string, string>): LiveRule {
    const actions: Action[] = [...(rule.Actions ?? [])].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
    const forwardAction = actions.find(a => a.Type === "forward");
    const fixed = actions.find(a => a.Type === "fixed-response");
    let forward: LiveRule["forward"];
    if (forwardAction) {
        const groups = forwardAction.ForwardConfig?.TargetGroups;
        forward =
            groups && groups.length > 0
                ? groups.map(g => ({ targetGroupArn: g.TargetGroupArn ?? "", weight: g.Weight ?? 1 }))
                : forwardAction.TargetGroupArn
                  ? [{ targetGroupArn: forwardAction.TargetGroupArn, weight: 1 }]
                  : [];
    }
    const hosts: string[] = [];
    const paths: string[] = [];
    // Keyed by header names from AWS, looked up by the header of the outputs file: a map without a prototype.
    const headers = dataMap<string[]>();
    const sourceIps: string[] = [];
    for (const c of rule.Conditions ?? []) {
        if (c.Field === "host-header") {
            hosts.push(...(c.HostHeaderConfig?.Values ?? c.Values ?? []));
        } else if (c.Field === "path-pattern") {
            paths.push(...(c.PathPatternConfig?.Values ?? c.Values ?? []));
        } else if (c.Field === "http-header" && c.HttpHeaderConfig?.HttpHeaderName) {
            const name = c.HttpHeaderConfig.HttpHeaderName.toLowerCase();
            headers[name] = [...(headers[name] ?? []), ...(c.HttpHeaderConfig.Values ?? [])];
        } else if (c.Field === "source-ip") {
            sourceIps.push(...(c.SourceIpConfig?.Values ?? []));
        }
    }
    return {
        arn: rule.RuleArn ?? "",
        priority: rule.Priority ?? "",
        isDefault: rule.IsDefault ?? false,
        tags,
        actionTypes: actions.map(a => a.Type ?? ""),
        hosts,
        paths,
        headers,
        ...(sourceIps.length > 0 ? { sourceIps } : {}),
        ...(forward ? { forward } : {}),
        ...(fixed?.FixedResponseConfig?.StatusCode ? { fixedResponseStatus: fixed.FixedResponseConfig.StatusCode } : {}),
    };
}

async function describeTargetGroups(caller: Caller, arns: string[]): Promise<LiveTargetGroup[]> {
    const out = await caller.send<{ TargetGroups?: TargetGroup[] }>(
        "elbv2",
        new DescribeTargetGroupsCommand({ TargetGroupArns: arns }),
        arns.join(", "),
    );
    return (out.TargetGroups ?? []).map(tg => ({
        arn: tg.TargetGroupArn ?? "",
        name: tg.TargetGroupName ?? "",
        vpcId: tg.VpcId ?? "",
        port: tg.Port ?? 0,
        protocol: tg.Protocol ?? "",
        targetType: tg.TargetType ?? "",
        healthCheckPort: tg.HealthCheckPort ?? "traffic-port",
        ...(tg.HealthCheckPath ? { healthCheckPath: tg.HealthCheckPath } : {}),
        ...(tg.Matcher?.HttpCode ? { matcher: tg.Matcher.HttpCode } : {}),
        loadBalancerArns: tg.LoadBalancerArns ?? [],
    }));
}

async function describeTargetHealth(caller: Caller, arn: string): Promise<LiveTarget[]> {
    const out = await caller.send<{
        TargetHealthDescriptions?: Array<{
            Target?: { Id?: string; Port?: number };
            TargetHealth?: { State?: string; Reason?: string; Description?: string };
        }>;
    }>("elbv2", new DescribeTargetHealthCommand({ TargetGroupArn: arn }), arn);
    return (out.TargetHealthDescriptions ?? []).map(d => ({
        id: d.Target?.Id ?? "",
        ...(d.Target?.Port !== undefined ? { port: Number(d.Target.Port) } : {}),
        state: d.TargetHealth?.State ?? "unknown",
        ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
        ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
    }));
}

/** The account's Elastic Load Balancing limits in the client's region, every page, by name. */
async function describeAccountLimits(caller: Caller, subject: string): Promise<Record<string, string>> {
    // Keyed by names from AWS: a map without a prototype.
    const limits = dataMap<string>();
    let marker: string | undefined;
    do {
        const out = await caller.send<{ Limits?: Array<{ Name?: string; Max?: string }>; NextMarker?: string }>(
            "elbv2",
            new DescribeAccountLimitsCommand(marker ? { Marker: marker } : {}),
            subject,
        );
        for (const limit of out.Limits ?? []) {
            if (limit.Name !== undefined && limit.Max !== undefined) {
                limits[limit.Name] = String(limit.Max);
            }
        }
        marker = out.NextMarker;
    } while (marker);
    return limits;
}

async function describeSecurityGroup(caller: Caller, groupId: string): Promise<LiveSecurityGroup | undefined> {
    const out = await caller.send<{
        SecurityGroups?: Array<{
            GroupId?: string;
            VpcId?: string;
            IpPermissionsEgress?: Array<{
                IpProtocol?: string;
                FromPort?: number;
                ToPort?: number;
                IpRanges?: Array<{ CidrIp?: string }>;
                Ipv6Ranges?: Array<{ CidrIpv6?: string }>;
                UserIdGroupPairs?: Array<{ GroupId?: string }>;
                PrefixListIds?: Array<{ PrefixListId?: string }>;
            }>;
        }>;
    }>("ec2", new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }), groupId);
    const sg = out.SecurityGroups?.[0];
    if (!sg) {
        return undefined;
    }
    const egress: EgressRule[] = (sg.IpPermissionsEgress ?? []).map(p => ({
        protocol: String(p.IpProtocol ?? "-1"),
        ...(p.FromPort !== undefined ? { fromPort: p.FromPort } : {}),
        ...(p.ToPort !== undefined ? { toPort: p.ToPort } : {}),
        cidrs: (p.IpRanges ?? []).map(r => r.CidrIp ?? "").filter(Boolean),
        ipv6Cidrs: (p.Ipv6Ranges ?? []).map(r => r.CidrIpv6 ?? "").filter(Boolean),
        groupIds: (p.UserIdGroupPairs ?? []).map(g => g.GroupId ?? "").filter(Boolean),
        prefixListIds: (p.PrefixListIds ?? []).map(g => g.PrefixListId ?? "").filter(Boolean),
    }));
    return { id: sg.GroupId ?? groupId, vpcId: sg.VpcId ?? "", egress };
}

async function describeVpcCidrs(caller: Caller, vpcId: string): Promise<string[] | undefined> {
    const out = await caller.send<{
        Vpcs?: Array<{ CidrBlock?: string; CidrBlockAssociationSet?: Array<{ CidrBlock?: string; CidrBlockState?: { State?: string } }> }>;
    }>("ec2", new DescribeVpcsCommand({ VpcIds: [vpcId] }), vpcId);
    const vpc = out.Vpcs?.[0];
    if (!vpc) {
        return undefined;
    }
    const cidrs = (vpc.CidrBlockAssociationSet ?? [])
        .filter(a => !a.CidrBlockState?.State || a.CidrBlockState.State === "associated")
        .map(a => a.CidrBlock ?? "")
        .filter(Boolean);
    return unique(cidrs.length > 0 ? cidrs : vpc.CidrBlock ? [vpc.CidrBlock] : []);
}

/** Role name from a role ARN of any partition: the last segment after `role/` (paths allowed). */
export function roleNameFromArn(arn: string): string {
    // The outputs reader checked the ARN; the last segment is the best guess for anything else.
    return parseRoleArn(arn)?.name ?? arn.split("/").pop() ?? arn;
}

/**
 * A role with its trust policy and every inline and attached policy. A
 * policy that cannot be read (or is not a policy document) is listed in
 * `unreadable` with the read that failed: the checks then cannot tell what
 * the role may do.
 */
async function readRole(caller: Caller, arn: string): Promise<LiveRole | undefined> {
    const name = roleNameFromArn(arn);
    const role = await caller.send<{ Role?: { Arn?: string; AssumeRolePolicyDocument?: string } }>(
        "iam",
        new GetRoleCommand({ RoleName: name }),
        name,
    );
    if (!role.Role) {
        return undefined;
    }
    const trustPolicy = readDocument(role.Role.AssumeRolePolicyDocument);
    const live: LiveRole = {
        arn: role.Role.Arn ?? arn,
        name,
        trustPolicy: trustPolicy ?? {},
        policies: [],
        unreadable: trustPolicy
            ? []
            : [{ name: "trust policy", call: "iam:GetRole", error: "the trust policy is not a JSON policy document" }],
    };
    const [inlineNames, attached] = await Promise.all([listInline(caller, name), listAttached(caller, name)]);
    await Promise.all([
        ...inlineNames.map(policyName =>
            readPolicyInto(live, { name: policyName, kind: "inline" }, () => inlineDocument(caller, name, policyName), "iam:GetRolePolicy"),
        ),
        ...attached.map(p =>
            readPolicyInto(
                live,
                { name: p.PolicyName ?? p.PolicyArn ?? "", kind: "managed", ...(p.PolicyArn ? { arn: p.PolicyArn } : {}) },
                () => managedDocument(caller, p.PolicyArn ?? ""),
                "iam:GetPolicyVersion",
            ),
        ),
    ]);
    live.policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    live.unreadable.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return live;
}

/**
 * Reads one policy of a role into `live.policies`; a policy that cannot be
 * read, or is not a policy document, goes to `live.unreadable` with the call
 * that failed.
 */
async function readPolicyInto(
    live: LiveRole,
    policy: { name: string; kind: LivePolicy["kind"]; arn?: string },
    get: () => Promise<string | undefined>,
    call: string,
): Promise<void> {
    try {
        const document = readDocument(await get());
        if (document) {
            live.policies.push({ ...policy, document });
        } else {
            live.unreadable.push({ name: policy.name, call, error: "not a JSON policy document" });
        }
    } catch (err) {
        live.unreadable.push({
            name: policy.name,
            call: err instanceof ReadError ? err.call : call,
            error: oneLine(err instanceof ReadError ? err.cause : err),
        });
    }
}

/** The document of a role's inline policy, as IAM returns it. */
async function inlineDocument(caller: Caller, roleName: string, policyName: string): Promise<string | undefined> {
    const out = await caller.send<{ PolicyDocument?: string }>(
        "iam",
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
        `${roleName}/${policyName}`,
    );
    return out.PolicyDocument;
}

async function listInline(caller: Caller, roleName: string): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
        const out = await caller.send<{ PolicyNames?: string[]; IsTruncated?: boolean; Marker?: string }>(
            "iam",
            new ListRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }),
            roleName,
        );
        names.push(...(out.PolicyNames ?? []));
        marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return names;
}

async function listAttached(caller: Caller, roleName: string): Promise<Array<{ PolicyArn?: string; PolicyName?: string }>> {
    const attached: Array<{ PolicyArn?: string; PolicyName?: string }> = [];
    let marker: string | undefined;
    do {
        const out = await caller.send<{
            AttachedPolicies?: Array<{ PolicyArn?: string; PolicyName?: string }>;
            IsTruncated?: boolean;
            Marker?: string;
        }>("iam", new ListAttachedRolePoliciesCommand({ RoleName: roleName, ...(marker ? { Marker: marker } : {}) }), roleName);
        attached.push(...(out.AttachedPolicies ?? []));
        marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return attached;
}

/** The default version's document of a managed policy. */
async function managedDocument(caller: Caller, policyArn: string): Promise<string | undefined> {
    const policy = await caller.send<{ Policy?: { DefaultVersionId?: string } }>(
        "iam",
        new GetPolicyCommand({ PolicyArn: policyArn }),
        policyArn,
    );
    const version = await caller.send<{ PolicyVersion?: { Document?: string } }>(
        "iam",
        new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.Policy?.DefaultVersionId }),
        policyArn,
    );
    return version.PolicyVersion?.Document;
}

/** A policy document as IAM returns it, parsed; undefined when it is missing or not a JSON object. */
export function readDocument(raw: string | undefined): PolicyDocument | undefined {
    const doc = parsePolicy(raw);
    return Object.keys(doc).length > 0 ? doc : undefined;
}

/** IAM returns policy documents URL-encoded; emulators sometimes do not. */
export function parsePolicy(raw: string | undefined): PolicyDocument {
    if (!raw) {
        return {};
    }
    for (const text of [raw, safeDecode(raw)]) {
        try {
            const value: unknown = JSON.parse(text);
            if (typeof value === "object" && value !== null && !Array.isArray(value)) {
                return value as PolicyDocument;
            }
        } catch {
            // try the next form
        }
    }
    return {};
}

function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

function unique<T>(items: T[]): T[] {
    return [...new Set(items)];
}

function chunks<T>(items: T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) {
        out.push(items.slice(i, i + size));
    }
    return out;
}

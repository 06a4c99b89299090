import {
    AuthorizeSecurityGroupEgressCommand,
    AuthorizeSecurityGroupIngressCommand,
    CreateSecurityGroupCommand,
    CreateSubnetCommand,
    CreateVpcCommand,
    EC2Client,
    RevokeSecurityGroupEgressCommand,
} from "@aws-sdk/client-ec2";
import {
    AddTagsCommand,
    CreateListenerCommand,
    CreateLoadBalancerCommand,
    CreateRuleCommand,
    CreateTargetGroupCommand,
    ElasticLoadBalancingV2Client,
    ModifyLoadBalancerAttributesCommand,
    RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { ClusterOutputs, NetworkOutputs, ServiceOutputs } from "../../components/internal/contract";
import { oidcProviderArn } from "../../components/internal/arn";
import { ControllerPolicyName, controllerPermissionsPolicy, controllerTrustPolicy } from "../../components/cluster-attachment/policy";
import { RegistrarPolicyName, registrarPermissions, registrarTrustPolicy } from "../../components/shared-alb/policy";
import { Moto, startMoto } from "./moto";

/** moto's account: every resource it creates lives here. */
export const NetworkAccount = "123456789012";
export const Region = "eu-west-1";
export const VpcCidr = "10.0.0.0/16";

/** A cluster of the test fleet. */
export interface FleetCluster {
    key: string;
    accountId: string;
    weight: number;
    /** Targets registered per target group. @default 2 */
    targets?: number;
}

/** A service of the test fleet. */
export interface FleetService {
    name: string;
    port: number;
    /** Per cluster target group port, as `clusters.<key>.serviceOverrides.<service>.port` makes it. */
    ports?: Record<string, number>;
    /** Per cluster weight override. */
    weights?: Record<string, number>;
}

export interface FleetSpec {
    clusters: FleetCluster[];
    services: FleetService[];
    /** Preview routes with this header: a rule per cluster and service, forwarding to that cluster only. */
    previewHeader?: string;
    /** With preview routes: the token the header values carry after the cluster key (`<key>.<token>`). */
    previewToken?: string;
    /** With preview routes: the source CIDRs every preview rule requires. */
    previewSources?: string[];
    /** Outputs as network stacks before rule ARNs were exported (the doctor then finds rules by tag). */
    legacyOutputs?: boolean;
}

/** The default fleet: blue cross-account, green same-account, two services. */
export const DefaultFleet: FleetSpec = {
    clusters: [
        { key: "blue", accountId: "222222222222", weight: 50 },
        { key: "green", accountId: NetworkAccount, weight: 50 },
    ],
    services: [
        { name: "api", port: 8080 },
        { name: "web", port: 3000, weights: { blue: 100, green: 0 } },
    ],
};

export interface AwsTestClients {
    elbv2: ElasticLoadBalancingV2Client;
    ec2: EC2Client;
    iam: IAMClient;
}

/** SDK clients pointed at moto with dummy credentials. */
export function testClients(endpoint: string): AwsTestClients {
    const config = { region: Region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
    return { elbv2: new ElasticLoadBalancingV2Client(config), ec2: new EC2Client(config), iam: new IAMClient(config) };
}

/** The registrar role's trust policy, built by the network stack's own function. */
export function trustPolicy(clusterAccount: string, controllerRoleArn: string, externalId: string): string {
    return JSON.stringify(registrarTrustPolicy("aws", clusterAccount, controllerRoleArn, externalId));
}

/** The registrar role's one inline policy, built by the network stack's own function. */
export function registerPolicy(targetGroupArns: string[]): string {
    return JSON.stringify(registrarPermissions(targetGroupArns));
}

/** The OIDC issuer of a test cluster (in the network account for a same-account cluster). */
export function oidcIssuer(key: string): string {
    return `https://oidc.eks.${Region}.amazonaws.com/id/${key.toUpperCase()}0123456789ABCDEF`;
}

/** A same-account cluster's controller role trust (IRSA), built by the cluster stack's own function. */
export function controllerTrust(accountId: string, key: string): string {
    const issuer = oidcIssuer(key);
    return JSON.stringify(
        controllerTrustPolicy({
            oidcProviderArn: oidcProviderArn("aws", accountId, issuer),
            oidcIssuer: issuer,
            namespace: "kube-system",
            serviceAccountName: "aws-load-balancer-controller",
        }),
    );
}

/** A same-account cluster's controller policy (`rules` security-group mode, ip targets), built by the cluster stack's own function. */
export function controllerPolicy(targetGroupArns: string[]): string {
    return JSON.stringify(
        controllerPermissionsPolicy({ targetGroupArns, securityGroupMode: "rules", nodeSecurityGroupArns: [], ipTargets: true }),
    );
}

/** What the builder made, for fault injection. */
export interface BuiltFleet {
    outputs: NetworkOutputs;
    vpcId: string;
    ruleArns: Record<string, string>;
    /** Preview rules by service, then cluster. */
    previewRuleArns: Record<string, Record<string, string>>;
}

/**
 * Builds a healthy fleet in moto the way the network stack would (ALB with
 * deletion protection, its SG with egress per target port, an http listener,
 * one tagged rule per service forwarding to every cluster by weight, weight 0
 * included, optional preview rules, a tagged target group per cluster and
 * service with registered ip targets, registrar roles for cross-account
 * clusters) and, as the cluster stack would, the controller role of each
 * same-account cluster; returns the matching outputs.
 */
export async function buildFleet(c: AwsTestClients, spec: FleetSpec = DefaultFleet): Promise<BuiltFleet> {
    const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: VpcCidr }));
    const vpcId = vpc.Vpc?.VpcId as string;
    const subnets = await Promise.all(
        ["a", "b"].map((az, i) =>
            c.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `${Region}${az}` })),
        ),
    );
    const sg = await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: "shared-alb", Description: "shared ALB", VpcId: vpcId }));
    const sgId = sg.GroupId as string;
    await c.ec2.send(
        new RevokeSecurityGroupEgressCommand({ GroupId: sgId, IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }),
    );
    await c.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
            GroupId: sgId,
            IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
        }),
    );
    const ports = [...new Set(spec.services.flatMap(s => [s.port, ...Object.values(s.ports ?? {})]))];
    await c.ec2.send(
        new AuthorizeSecurityGroupEgressCommand({
            GroupId: sgId,
            IpPermissions: ports.map(p => ({ IpProtocol: "tcp", FromPort: p, ToPort: p, IpRanges: [{ CidrIp: VpcCidr }] })),
        }),
    );
    const lb = await c.elbv2.send(
        new CreateLoadBalancerCommand({
            Name: "shared-alb",
            Subnets: subnets.map(s => s.Subnet?.SubnetId as string),
            SecurityGroups: [sgId],
            Scheme: "internet-facing",
            Type: "application",
        }),
    );
    const albArn = lb.LoadBalancers?.[0].LoadBalancerArn as string;
    await c.elbv2.send(
        new ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: albArn,
            Attributes: [{ Key: "deletion_protection.enabled", Value: "true" }],
        }),
    );
    const listener = await c.elbv2.send(
        new CreateListenerCommand({
            LoadBalancerArn: albArn,
            Port: 80,
            Protocol: "HTTP",
            DefaultActions: [
                { Type: "fixed-response", FixedResponseConfig: { StatusCode: "404", ContentType: "text/plain", MessageBody: "not found" } },
            ],
        }),
    );
    const listenerArn = listener.Listeners?.[0].ListenerArn as string;

    const clusters: Record<string, ClusterOutputs> = {};
    let ip = 10;
    for (const cl of spec.clusters) {
        const cross = cl.accountId !== NetworkAccount;
        const controllerRoleArn = `arn:aws:iam::${cl.accountId}:role/${cl.key}-lb-controller`;
        const out: ClusterOutputs = { accountId: cl.accountId, weight: cl.weight, controllerRoleArn, targetGroups: {} };
        for (const svc of spec.services) {
            const name = `${cl.key}-${svc.name}`.slice(0, 32);
            const port = svc.ports?.[cl.key] ?? svc.port;
            const tg = await c.elbv2.send(
                new CreateTargetGroupCommand({
                    Name: name,
                    Protocol: "HTTP",
                    Port: port,
                    VpcId: vpcId,
                    TargetType: "ip",
                    HealthCheckPath: "/healthz",
                    Matcher: { HttpCode: "200" },
                    Tags: [
                        { Key: "shared-alb:cluster", Value: cl.key },
                        { Key: "shared-alb:service", Value: svc.name },
                    ],
                }),
            );
            const arn = tg.TargetGroups?.[0].TargetGroupArn as string;
            const count = cl.targets ?? 2;
            if (count > 0) {
                const targets = Array.from({ length: count }, () => {
                    ip += 1;
                    return { Id: `10.0.${Math.floor(ip / 250)}.${(ip % 250) + 2}`, Port: port };
                });
                await c.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: targets }));
            }
            out.targetGroups[svc.name] = { arn, name, port, protocol: "HTTP", targetType: "ip" };
        }
        if (!cross) {
            const roleName = `${cl.key}-lb-controller`;
            await c.iam.send(
                new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: controllerTrust(cl.accountId, cl.key) }),
            );
            await c.iam.send(
                new PutRolePolicyCommand({
                    RoleName: roleName,
                    PolicyName: ControllerPolicyName,
                    PolicyDocument: controllerPolicy(Object.values(out.targetGroups).map(t => t.arn)),
                }),
            );
        }
        if (cross) {
            const externalId = `ext-${cl.key}-0123456789`;
            const roleName = `shared-alb-registrar-${cl.key}`;
            const role = await c.iam.send(
                new CreateRoleCommand({
                    RoleName: roleName,
                    AssumeRolePolicyDocument: trustPolicy(cl.accountId, controllerRoleArn, externalId),
                }),
            );
            await c.iam.send(
                new PutRolePolicyCommand({
                    RoleName: roleName,
                    PolicyName: RegistrarPolicyName,
                    PolicyDocument: registerPolicy(Object.values(out.targetGroups).map(t => t.arn)),
                }),
            );
            out.registrarRoleArn = role.Role?.Arn as string;
            out.externalId = externalId;
        }
        clusters[cl.key] = out;
    }

    const services: Record<string, ServiceOutputs> = {};
    const ruleArns: Record<string, string> = {};
    const previewRuleArns: Record<string, Record<string, string>> = {};
    let priority = 10;
    for (const svc of spec.services) {
        const weights = Object.fromEntries(spec.clusters.map(cl => [cl.key, svc.weights?.[cl.key] ?? cl.weight]));
        const path = `/${svc.name}/*`;
        services[svc.name] = { port: svc.port, protocol: "HTTP", targetType: "ip", weights };
        const actions = spec.clusters.some(cl => weights[cl.key] > 0)
            ? [
                  {
                      Type: "forward" as const,
                      ForwardConfig: {
                          TargetGroups: spec.clusters.map(cl => ({
                              TargetGroupArn: clusters[cl.key].targetGroups[svc.name].arn,
                              Weight: weights[cl.key],
                          })),
                      },
                  },
              ]
            : [
                  {
                      Type: "fixed-response" as const,
                      FixedResponseConfig: { StatusCode: "503", ContentType: "text/plain", MessageBody: "no cluster" },
                  },
              ];
        if (spec.previewHeader !== undefined) {
            previewRuleArns[svc.name] = {};
            for (const [slot, cl] of spec.clusters.entries()) {
                const preview = await c.elbv2.send(
                    new CreateRuleCommand({
                        ListenerArn: listenerArn,
                        Priority: priority - 9 + slot,
                        Conditions: [
                            { Field: "path-pattern", PathPatternConfig: { Values: [path] } },
                            {
                                Field: "http-header",
                                HttpHeaderConfig: {
                                    HttpHeaderName: spec.previewHeader,
                                    Values: [spec.previewToken === undefined ? cl.key : `${cl.key}.${spec.previewToken}`],
                                },
                            },
                            ...(spec.previewSources !== undefined
                                ? [{ Field: "source-ip", SourceIpConfig: { Values: spec.previewSources } }]
                                : []),
                        ],
                        Actions: [
                            {
                                Type: "forward",
                                ForwardConfig: {
                                    TargetGroups: [{ TargetGroupArn: clusters[cl.key].targetGroups[svc.name].arn, Weight: 1 }],
                                },
                            },
                        ],
                    }),
                );
                const arn = preview.Rules?.[0].RuleArn as string;
                await c.elbv2.send(
                    new AddTagsCommand({
                        ResourceArns: [arn],
                        Tags: [
                            { Key: "shared-alb:service", Value: svc.name },
                            { Key: "shared-alb:cluster", Value: cl.key },
                            { Key: "shared-alb:preview", Value: "service" },
                        ],
                    }),
                );
                previewRuleArns[svc.name][cl.key] = arn;
            }
        }
        const rule = await c.elbv2.send(
            new CreateRuleCommand({
                ListenerArn: listenerArn,
                Priority: priority,
                Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: [path] } }],
                Actions: actions,
            }),
        );
        const ruleArn = rule.Rules?.[0].RuleArn as string;
        await c.elbv2.send(new AddTagsCommand({ ResourceArns: [ruleArn], Tags: [{ Key: "shared-alb:service", Value: svc.name }] }));
        ruleArns[svc.name] = ruleArn;
        if (!spec.legacyOutputs) {
            Object.assign(
                services[svc.name],
                { hosts: [], paths: [path], ruleArn, priority },
                spec.previewHeader !== undefined ? { previewRuleArns: previewRuleArns[svc.name] } : {},
            );
        }
        priority += 10;
    }
    if (!spec.legacyOutputs) {
        for (const cl of spec.clusters) {
            clusters[cl.key].services = spec.services.map(svc => svc.name).sort();
        }
    }

    const outputs: NetworkOutputs = {
        accountId: NetworkAccount,
        region: Region,
        vpcId,
        securityGroupId: sgId,
        loadBalancer: {
            arn: albArn,
            name: "shared-alb",
            dnsName: lb.LoadBalancers?.[0].DNSName as string,
            zoneId: lb.LoadBalancers?.[0].CanonicalHostedZoneId as string,
            securityGroupId: sgId,
            listenerArns: { http: listenerArn },
        },
        services,
        clusters,
        ...(spec.previewHeader !== undefined
            ? {
                  preview: {
                      header: spec.previewHeader,
                      defaultActionRuleArns: {},
                      ...(spec.previewToken !== undefined ? { tokenRequired: true } : {}),
                      ...(spec.previewSources !== undefined ? { sourceCidrs: spec.previewSources } : {}),
                  },
              }
            : {}),
    };
    return { outputs, vpcId, ruleArns, previewRuleArns };
}

/** What a suite that rebuilds the fleet before each test reads: moto, its clients, the fleet just built. */
export interface FreshFleet {
    moto: Moto;
    aws: AwsTestClients;
    fleet: BuiltFleet;
}

/**
 * Mocha hooks for the calling suite: moto started once, reset and the
 * default fleet built again before each test. The returned object is filled
 * in by the hooks; read it inside tests and hooks only.
 */
export function freshFleetEachTest(): FreshFleet {
    const state = {} as FreshFleet;
    before(async () => {
        state.moto = await startMoto();
        state.aws = testClients(state.moto.endpoint);
    });
    beforeEach(async () => {
        await state.moto.reset();
        state.fleet = await buildFleet(state.aws);
    });
    return state;
}

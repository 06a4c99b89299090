import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** Where a planned stack lives: its account and region make up the fake ARNs. */
export interface FakeCloudContext {
    accountId: string;
    region: string;
    /** Outputs served to `pulumi:pulumi:StackReference` resources, by stack name. */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** Names of secret outputs of the referenced stacks, by stack name (served as `secretOutputNames`). */
    stackSecretOutputNames?: Record<string, string[]>;
    /** Answers for provider functions, by token, that override the built-in ones. */
    calls?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
}

/** Deterministic hex of the given length from a seed. */
export function fakeHex(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) {
        out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
    }
    return out.slice(0, length);
}

/**
 * Pulumi mocks that answer like AWS would, but offline and deterministically:
 * IDs and ARNs are derived from the stack's account, region, resource type and
 * name, so two plans of the same config print the same thing.
 */
export class FakeCloud implements pulumi.runtime.Mocks {
    constructor(private readonly ctx: FakeCloudContext) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const { type, name } = args;
        const inputs = (args.inputs ?? {}) as Record<string, any>;
        const { accountId, region } = this.ctx;
        const seed = `${accountId}/${region}/${type}/${name}`;
        const physical = (fallback: string): string => (typeof inputs.name === "string" && inputs.name) ? inputs.name : fallback;
        switch (type) {
            case "pulumi:pulumi:StackReference": {
                const stackName = (inputs.name as string) ?? name;
                const outputs = this.ctx.stackOutputs?.[stackName];
                if (outputs === undefined) {
                    throw new Error(`stack reference ${JSON.stringify(stackName)}: no such stack in this plan`);
                }
                return { id: stackName, state: { ...inputs, name: stackName, outputs, secretOutputNames: this.ctx.stackSecretOutputNames?.[stackName] ?? [] } };
            }
            case "aws:lb/loadBalancer:LoadBalancer": {
                // `LoadBalancer.get(name, arn)` reads an existing ALB: answer from its ARN.
                const adopted = typeof args.id === "string" && args.id.includes(":loadbalancer/app/") ? args.id : undefined;
                const lbName = adopted ? adopted.split("/")[2] : physical(`${name.slice(0, 24)}-${fakeHex(seed, 7)}`);
                const suffix = adopted ? adopted.split(":loadbalancer/")[1] : `app/${lbName}/${fakeHex(seed, 16)}`;
                const arn = adopted ?? `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${suffix}`;
                return {
                    id: arn,
                    state: {
                        ...inputs, name: lbName, arn, arnSuffix: suffix,
                        dnsName: `${inputs.internal ? "internal-" : ""}${lbName}-${parseInt(fakeHex(seed, 8), 16)}.${region}.elb.amazonaws.com`,
                        zoneId: "Z32O12XQLNTSW2",
                    },
                };
            }
            case "aws:lb/targetGroup:TargetGroup": {
                const tgName = physical(`${name.slice(0, 24)}-${fakeHex(seed, 7)}`);
                const suffix = `targetgroup/${tgName}/${fakeHex(seed, 16)}`;
                const arn = `arn:aws:elasticloadbalancing:${region}:${accountId}:${suffix}`;
                return { id: arn, state: { ...inputs, name: tgName, arn, arnSuffix: suffix } };
            }
            case "aws:lb/listener:Listener": {
                const lbArn = typeof inputs.loadBalancerArn === "string" ? inputs.loadBalancerArn
                    : `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/app/unknown/${fakeHex(`${seed}/lb`, 16)}`;
                const arn = `${lbArn.replace(":loadbalancer/", ":listener/")}/${fakeHex(seed, 16)}`;
                return { id: arn, state: { ...inputs, arn } };
            }
            case "aws:lb/listenerRule:ListenerRule": {
                const listenerArn = typeof inputs.listenerArn === "string" ? inputs.listenerArn
                    : `arn:aws:elasticloadbalancing:${region}:${accountId}:listener/app/unknown/${fakeHex(`${seed}/lb`, 16)}/${fakeHex(`${seed}/l`, 16)}`;
                const arn = `${listenerArn.replace(":listener/", ":listener-rule/")}/${fakeHex(seed, 16)}`;
                return { id: arn, state: { ...inputs, arn } };
            }
            case "aws:iam/role:Role": {
                const roleName = physical(`${name.slice(0, 56)}-${fakeHex(seed, 7)}`);
                const path = typeof inputs.path === "string" ? inputs.path : "/";
                const arn = `arn:aws:iam::${accountId}:role${path}${roleName}`;
                return { id: roleName, state: { ...inputs, name: roleName, arn, uniqueId: `AROA${fakeHex(seed, 17).toUpperCase()}` } };
            }
            case "aws:iam/policy:Policy": {
                const policyName = physical(`${name.slice(0, 56)}-${fakeHex(seed, 7)}`);
                const arn = `arn:aws:iam::${accountId}:policy/${policyName}`;
                return { id: arn, state: { ...inputs, name: policyName, arn } };
            }
            case "aws:ec2/securityGroup:SecurityGroup": {
                const id = `sg-${fakeHex(seed, 17)}`;
                return { id, state: { ...inputs, name: physical(`${name}-${fakeHex(seed, 7)}`), arn: `arn:aws:ec2:${region}:${accountId}:security-group/${id}` } };
            }
            case "eks:index:Cluster": {
                // @pulumi/eks's Cluster (a remote component): the outputs ClusterAttachment's eks helper reads.
                const clusterName = physical(`${name.slice(0, 24)}-${fakeHex(seed, 7)}`);
                const issuer = `oidc.eks.${region}.amazonaws.com/id/${fakeHex(seed, 32).toUpperCase()}`;
                const endpoint = `https://${fakeHex(`${seed}/endpoint`, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
                const clusterSg = `sg-${fakeHex(`${seed}/cluster-sg`, 17)}`;
                return {
                    id: undefined,
                    state: {
                        eksCluster: { name: clusterName, arn: `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`, endpoint },
                        core: { vpcId: inputs.vpcId, subnetIds: inputs.privateSubnetIds ?? inputs.subnetIds ?? [], endpoint },
                        oidcIssuer: issuer,
                        oidcProviderUrl: `https://${issuer}`,
                        oidcProviderArn: `arn:aws:iam::${accountId}:oidc-provider/${issuer}`,
                        clusterSecurityGroupId: clusterSg,
                        nodeSecurityGroupId: `sg-${fakeHex(`${seed}/node-sg`, 17)}`,
                        kubeconfigJson: JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: clusterName, cluster: { server: endpoint } }] }),
                    },
                };
            }
            case "aws:ram/resourceShare:ResourceShare": {
                const arn = `arn:aws:ram:${region}:${accountId}:resource-share/${fakeUuid(seed)}`;
                return { id: arn, state: { ...inputs, arn } };
            }
            default: {
                const id = args.custom === false ? undefined : `${name}-${fakeHex(seed, 8)}`;
                const state: Record<string, unknown> = { ...inputs };
                if (typeof inputs.arn !== "string" && type.startsWith("aws:")) {
                    const service = type.split(":")[1].split("/")[0];
                    state.arn = `arn:aws:${service}:${region}:${accountId}:${name}`;
                }
                return { id, state };
            }
        }
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        const override = this.ctx.calls?.[args.token];
        if (override) {
            return override(inputs);
        }
        const { accountId, region } = this.ctx;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId, arn: `arn:aws:iam::${accountId}:user/plan`, userId: "AIDAPLAN", id: accountId };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
            case "aws:eks/getCluster:getCluster": {
                // An existing cluster, planned offline in the VPC of the network stack it references.
                const clusterName = String(inputs.name);
                const seed = `${accountId}/${region}/eks/${clusterName}`;
                const served = Object.values(this.ctx.stackOutputs ?? {}).find(o => typeof o.vpcId === "string");
                return {
                    id: clusterName, name: clusterName, arn: `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`,
                    endpoint: `https://${fakeHex(`${seed}/endpoint`, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
                    certificateAuthorities: [{ data: Buffer.from(`fake-ca-${clusterName}`).toString("base64") }],
                    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${fakeHex(seed, 32).toUpperCase()}` }] }],
                    vpcConfig: {
                        vpcId: (served?.vpcId as string | undefined) ?? `vpc-${fakeHex(`${seed}/vpc`, 17)}`,
                        clusterSecurityGroupId: `sg-${fakeHex(`${seed}/cluster-sg`, 17)}`,
                        subnetIds: [], securityGroupIds: [], endpointPrivateAccess: true, endpointPublicAccess: false, publicAccessCidrs: [],
                    },
                    status: "ACTIVE", version: "1.33", region,
                };
            }
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
            default:
                throw new Error(`the offline plan has no answer for ${args.token}`);
        }
    }
}

function fakeUuid(seed: string): string {
    const h = fakeHex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

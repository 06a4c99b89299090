import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { arn as arnOf, oidcProviderArn, partitionOf, roleArn, securityGroupArn, targetGroupArn, own } from "../../components/internal";
import { ownStackName } from "../../components/internal/sdk";
import { KubernetesCluster, TargetGroupBindingCrdName } from "./fake-kubernetes";
import { secretMarker } from "./secrets";

/** Where a planned stack lives: its account and region (and the region's partition) make up the fake ARNs. */
export interface FakeCloudContext {
    accountId: string;
    region: string;
    /** Outputs served to `pulumi:pulumi:StackReference` resources, by stack name. */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** Names of secret outputs of the referenced stacks, by stack name (served as `secretOutputNames`). */
    stackSecretOutputNames?: Record<string, string[]>;
    /** Answers for provider functions, by token, that override the built-in ones. */
    calls?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
    /**
     * The namespaces of the Kubernetes cluster this stack's provider points at,
     * answering `Namespace.get` as the API would (a read of any other fails)
     * and a plain `Namespace` create of a listed one with AlreadyExists.
     * Undefined: the offline plan cannot look into an existing cluster, and
     * takes every namespace it is asked about as existing (reads succeed) and
     * every namespace it is to create as absent.
     */
    namespaces?: string[];
    /**
     * The CustomResourceDefinitions of that cluster, by name, as another
     * field manager left them (an earlier Helm install of the controller, or
     * this stack before a destroy, which retains its CRD): a plain create of
     * one fails with AlreadyExists, a patch without `pulumi.com/patchForce`
     * with a field conflict. Undefined: none, except on an existing cluster
     * the program looked up (`aws.eks.getCluster`), which is taken to have
     * the controller's TargetGroupBinding CRD from an earlier chart install.
     */
    crds?: string[];
    /**
     * The IAM OIDC providers of this account: issuer URL without `https://`
     * to the provider's tags. Undefined: every EKS issuer the fake
     * `aws.eks.getCluster` hands out has its provider, as a cluster already
     * using IRSA has.
     */
    oidcProviders?: Record<string, Record<string, string>>;
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
    /**
     * Values the fake cloud made up while answering lookups of existing
     * infrastructure (an existing cluster's endpoint, issuer, CA, security
     * group): a real deployment sees other values there.
     */
    readonly assumed = new Set<string>();

    /** The region of each explicit AWS provider the program created, by provider ID. */
    private readonly providerRegions = new Map<string, string>();

    /** The Kubernetes cluster's objects, as the API server sees them while the program runs. */
    private readonly cluster: KubernetesCluster;

    constructor(private readonly ctx: FakeCloudContext) {
        this.cluster = new KubernetesCluster(ctx.namespaces, ctx.crds);
    }

    /**
     * Where a resource or call goes: its AWS provider's region when the
     * program gave it one with a region, else the stack's, as in AWS.
     */
    private regionFor(provider: string | undefined): string {
        const id = provider?.split("::").pop();
        return (id === undefined ? undefined : this.providerRegions.get(id)) ?? this.ctx.region;
    }

    /**
     * A resource as AWS (or the engine) would answer its registration: the
     * request's facts, then the answer for its type; types without one of
     * their own get an ID and, for AWS types, an ARN.
     */
    newResource(args: pulumi.runtime.MockResourceArgs): FakeAnswer {
        const request = this.resourceRequest(args);
        switch (request.type) {
            case "pulumi:providers:aws":
                return this.awsProvider(request);
            case "pulumi:pulumi:StackReference":
                return this.stackReference(request);
            case "kubernetes:core/v1:Namespace":
                return this.namespace(request);
            case "kubernetes:core/v1:NamespacePatch":
            case "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition":
            case "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinitionPatch":
                return this.cluster.write(request);
            default:
                return (FakeResources.get(request.type) ?? anyResource)(request);
        }
    }

    /** What an answer to a registration derives from: the resource, its account, region and partition, and its seed. */
    private resourceRequest(args: pulumi.runtime.MockResourceArgs): ResourceRequest {
        const { type, name } = args;
        const inputs = (args.inputs ?? {}) as Record<string, any>;
        const { accountId } = this.ctx;
        const region = this.regionFor(args.provider);
        const partition = partitionOf(region);
        return {
            args,
            type,
            name,
            inputs,
            accountId,
            region,
            partition,
            seed: `${accountId}/${region}/${type}/${name}`,
            elb: (resource: string) => arnOf(partition, "elasticloadbalancing", region, accountId, resource),
            physical: (fallback: string): string => (typeof inputs.name === "string" && inputs.name ? inputs.name : fallback),
        };
    }

    /** An explicit AWS provider: remembers its region, for the resources and calls that name it. */
    private awsProvider({ name, inputs, seed }: ResourceRequest): FakeAnswer {
        const id = `${name}-${fakeHex(seed, 8)}`;
        if (typeof inputs.region === "string") {
            this.providerRegions.set(id, inputs.region);
        }
        return { id, state: { ...inputs } };
    }

    /**
     * A stack reference: the outputs of the stack it names, which must be one
     * of this plan's; the running stack itself has none unless given (a
     * stack never deployed, as the engine answers).
     */
    private stackReference({ name, inputs }: ResourceRequest): FakeAnswer {
        const stackName = (inputs.name as string) ?? name;
        const outputs = own(this.ctx.stackOutputs, stackName) ?? (stackName === ownStackName() ? {} : undefined);
        if (outputs === undefined) {
            throw new Error(`stack reference ${JSON.stringify(stackName)}: no such stack in this plan`);
        }
        return {
            id: stackName,
            state: { ...inputs, name: stackName, outputs, secretOutputNames: own(this.ctx.stackSecretOutputNames, stackName) ?? [] },
        };
    }

    /** A namespace: a read (`Namespace.get`) answers as the cluster would, a new one is created as the provider creates it. */
    private namespace(request: ResourceRequest): FakeAnswer {
        const { args } = request;
        if (typeof args.id === "string" && args.id !== "") {
            return this.readNamespace(args.id);
        }
        return this.cluster.write(request);
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        const override = this.ctx.calls?.[args.token];
        if (override) {
            return override(inputs);
        }
        const { accountId } = this.ctx;
        const region = this.regionFor(args.provider);
        const partition = partitionOf(region);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId, arn: arnOf(partition, "iam", "", accountId, "user/plan"), userId: "AIDAPLAN", id: accountId };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
            case "aws:eks/getCluster:getCluster": {
                // An existing cluster, planned offline in the VPC of the network stack it references,
                // with the CRD an earlier install of the controller's chart leaves (unless the context says).
                this.cluster.assumeExisting(this.ctx.crds === undefined ? [TargetGroupBindingCrdName] : []);
                const clusterName = String(inputs.name);
                const seed = `${accountId}/${region}/eks/${clusterName}`;
                const served = Object.values(this.ctx.stackOutputs ?? {}).find(o => typeof o.vpcId === "string");
                const endpointHost = fakeHex(`${seed}/endpoint`, 32).toUpperCase();
                const issuerId = fakeHex(seed, 32).toUpperCase();
                const ca = Buffer.from(`fake-ca-${clusterName}`).toString("base64");
                const clusterSg = `sg-${fakeHex(`${seed}/cluster-sg`, 17)}`;
                const vpcId = (served?.vpcId as string | undefined) ?? this.assume(`vpc-${fakeHex(`${seed}/vpc`, 17)}`);
                [endpointHost, issuerId, ca, clusterSg].forEach(v => this.assume(v));
                return {
                    id: clusterName,
                    name: clusterName,
                    arn: arnOf(partition, "eks", region, accountId, `cluster/${clusterName}`),
                    endpoint: `https://${endpointHost}.gr7.${region}.eks.amazonaws.com`,
                    certificateAuthorities: [{ data: ca }],
                    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${issuerId}` }] }],
                    vpcConfig: {
                        vpcId,
                        clusterSecurityGroupId: clusterSg,
                        subnetIds: [],
                        securityGroupIds: [],
                        endpointPrivateAccess: true,
                        endpointPublicAccess: false,
                        publicAccessCidrs: [],
                    },
                    status: "ACTIVE",
                    version: "1.33",
                    region,
                };
            }
            case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider":
                return this.oidcProvider(inputs);
            case "aws:index/getPartition:getPartition":
                return { partition, dnsSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com", id: partition };
            default:
                throw new Error(`the offline plan has no answer for ${args.token}`);
        }
    }

    private assume(value: string): string {
        this.assumed.add(value);
        return value;
    }

    /**
     * `aws.iam.getOpenIdConnectProvider({ url })`, answered as the provider's
     * data source does: it lists the account's providers and compares the URL
     * without `https://`; none matching is an error.
     */
    private oidcProvider(inputs: Record<string, unknown>): Record<string, unknown> {
        if (typeof inputs.url !== "string") {
            throw new Error("the offline plan answers getOpenIdConnectProvider by url only");
        }
        const bare = inputs.url.replace(/^https:\/\//, "");
        const known = this.ctx.oidcProviders;
        const tags =
            known === undefined ? (/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\/[0-9A-F]{32}$/.test(bare) ? {} : undefined) : known[bare];
        if (tags === undefined) {
            throw new Error(`reading IAM OIDC Provider (${inputs.url}): couldn't find resource`);
        }
        const arn = oidcProviderArn(partitionOf(this.ctx.region), this.ctx.accountId, bare);
        return { id: arn, arn, url: bare, clientIdLists: ["sts.amazonaws.com"], thumbprintLists: [], tags };
    }

    /** `Namespace.get`: the live object, or the engine's error for a read of something absent. */
    private readNamespace(namespace: string): { id: string; state: Record<string, unknown> } {
        if (!this.cluster.hasNamespace(namespace)) {
            throw new Error(`resource '${namespace}' does not exist`);
        }
        const seed = `${this.ctx.accountId}/${this.ctx.region}/namespace/${namespace}`;
        return {
            id: namespace,
            state: {
                apiVersion: "v1",
                kind: "Namespace",
                metadata: { name: namespace, uid: fakeUuid(seed), labels: { "kubernetes.io/metadata.name": namespace } },
                spec: { finalizers: ["kubernetes"] },
                status: { phase: "Active" },
            },
        };
    }
}

function fakeUuid(seed: string): string {
    const h = fakeHex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The fake cloud's answer to a registration: the resource's ID and its state. */
type FakeAnswer = { id: string | undefined; state: Record<string, unknown> };

/** A registration as the fake cloud answers it, with what its IDs and ARNs derive from. */
interface ResourceRequest {
    args: pulumi.runtime.MockResourceArgs;
    type: string;
    name: string;
    inputs: Record<string, any>;
    accountId: string;
    region: string;
    partition: string;
    /** Seed of the resource's made-up hex: account, region, type and name. */
    seed: string;
    /** An Elastic Load Balancing ARN in the resource's account and region. */
    elb: (resource: string) => string;
    /** The physical name the program gave (`inputs.name`), else the fallback, as AWS providers auto-name. */
    physical: (fallback: string) => string;
}

/** `LoadBalancer.get(name, arn)` reads an existing ALB: answer from its ARN. A new one gets a name, ARN and DNS name. */
function loadBalancer({ args, name, inputs, region, seed, elb, physical }: ResourceRequest): FakeAnswer {
    const adopted = typeof args.id === "string" && args.id.includes(":loadbalancer/app/") ? args.id : undefined;
    const lbName = adopted ? adopted.split("/")[2] : physical(`${name.slice(0, 24)}-${fakeHex(seed, 7)}`);
    const suffix = adopted ? adopted.split(":loadbalancer/")[1] : `app/${lbName}/${fakeHex(seed, 16)}`;
    const arn = adopted ?? elb(`loadbalancer/${suffix}`);
    return {
        id: arn,
        state: {
            ...inputs,
            name: lbName,
            arn,
            arnSuffix: suffix,
            dnsName: `${inputs.internal ? "internal-" : ""}${lbName}-${parseInt(fakeHex(seed, 8), 16)}.${region}.elb.amazonaws.com`,
            zoneId: "Z32O12XQLNTSW2",
        },
    };
}

/** A target group: its name, ARN and ARN suffix. */
function targetGroup({ name, inputs, accountId, region, partition, seed, physical }: ResourceRequest): FakeAnswer {
    const tgName = physical(`${name.slice(0, 24)}-${fakeHex(seed, 7)}`);
    const id = fakeHex(seed, 16);
    const suffix = `targetgroup/${tgName}/${id}`;
    const arn = targetGroupArn(partition, region, accountId, tgName, id);
    return { id: arn, state: { ...inputs, name: tgName, arn, arnSuffix: suffix } };
}

/** A listener: an ARN under its load balancer's. */
function listener({ inputs, seed, elb }: ResourceRequest): FakeAnswer {
    const lbArn =
        typeof inputs.loadBalancerArn === "string" ? inputs.loadBalancerArn : elb(`loadbalancer/app/unknown/${fakeHex(`${seed}/lb`, 16)}`);
    const arn = `${lbArn.replace(":loadbalancer/", ":listener/")}/${fakeHex(seed, 16)}`;
    return { id: arn, state: { ...inputs, arn } };
}

/** A listener rule: an ARN under its listener's. */
function listenerRule({ inputs, seed, elb }: ResourceRequest): FakeAnswer {
    const listenerArn =
        typeof inputs.listenerArn === "string"
            ? inputs.listenerArn
            : elb(`listener/app/unknown/${fakeHex(`${seed}/lb`, 16)}/${fakeHex(`${seed}/l`, 16)}`);
    const arn = `${listenerArn.replace(":listener/", ":listener-rule/")}/${fakeHex(seed, 16)}`;
    return { id: arn, state: { ...inputs, arn } };
}

/** An IAM role: its name (the ID), ARN under its path, and unique ID. */
function role({ name, inputs, accountId, partition, seed, physical }: ResourceRequest): FakeAnswer {
    const roleName = physical(`${name.slice(0, 56)}-${fakeHex(seed, 7)}`);
    const path = typeof inputs.path === "string" ? inputs.path : "/";
    const arn = roleArn(partition, accountId, roleName, path);
    return { id: roleName, state: { ...inputs, name: roleName, arn, uniqueId: `AROA${fakeHex(seed, 17).toUpperCase()}` } };
}

/** An IAM policy: its name and ARN. */
function policy({ name, inputs, accountId, partition, seed, physical }: ResourceRequest): FakeAnswer {
    const policyName = physical(`${name.slice(0, 56)}-${fakeHex(seed, 7)}`);
    const arn = arnOf(partition, "iam", "", accountId, `policy/${policyName}`);
    return { id: arn, state: { ...inputs, name: policyName, arn } };
}

/** A security group: its ID, name and ARN. */
function securityGroup({ name, inputs, accountId, region, partition, seed, physical }: ResourceRequest): FakeAnswer {
    const id = `sg-${fakeHex(seed, 17)}`;
    return {
        id,
        state: { ...inputs, name: physical(`${name}-${fakeHex(seed, 7)}`), arn: securityGroupArn(partition, region, accountId, id) },
    };
}

/** @pulumi/eks's Cluster (a remote component): the outputs ClusterAttachment's eks helper reads. */
function eksCluster({ name, inputs, accountId, region, partition, seed, physical }: ResourceRequest): FakeAnswer {
    const clusterName = physical(`${name.slice(0, 24)}-${fakeHex(seed, 7)}`);
    const issuer = `oidc.eks.${region}.amazonaws.com/id/${fakeHex(seed, 32).toUpperCase()}`;
    const endpoint = `https://${fakeHex(`${seed}/endpoint`, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
    const clusterSg = `sg-${fakeHex(`${seed}/cluster-sg`, 17)}`;
    return {
        id: undefined,
        state: {
            eksCluster: { name: clusterName, arn: arnOf(partition, "eks", region, accountId, `cluster/${clusterName}`), endpoint },
            core: { vpcId: inputs.vpcId, subnetIds: inputs.privateSubnetIds ?? inputs.subnetIds ?? [], endpoint },
            oidcIssuer: issuer,
            oidcProviderUrl: `https://${issuer}`,
            oidcProviderArn: oidcProviderArn(partition, accountId, issuer),
            clusterSecurityGroupId: clusterSg,
            nodeSecurityGroupId: `sg-${fakeHex(`${seed}/node-sg`, 17)}`,
            kubeconfigJson: JSON.stringify({
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: clusterName, cluster: { server: endpoint } }],
            }),
        },
    };
}

/** An IAM OIDC provider: its ARN, from its URL. */
function openIdConnectProvider({ inputs, accountId, partition }: ResourceRequest): FakeAnswer {
    const arn = oidcProviderArn(partition, accountId, String(inputs.url ?? ""));
    return { id: arn, state: { ...inputs, arn } };
}

/** A VPC (and its subnets, a certificate) made in the same program: IDs and ARNs shaped as AWS's. */
function vpc({ inputs, accountId, region, partition, seed }: ResourceRequest): FakeAnswer {
    const id = `vpc-${fakeHex(seed, 17)}`;
    return { id, state: { ...inputs, arn: arnOf(partition, "ec2", region, accountId, `vpc/${id}`) } };
}

/** A subnet: its ID and ARN. */
function subnet({ inputs, accountId, region, partition, seed }: ResourceRequest): FakeAnswer {
    const id = `subnet-${fakeHex(seed, 17)}`;
    return { id, state: { ...inputs, arn: arnOf(partition, "ec2", region, accountId, `subnet/${id}`) } };
}

/** An ACM certificate: its ARN. */
function certificate({ inputs, accountId, region, partition, seed }: ResourceRequest): FakeAnswer {
    const arn = arnOf(partition, "acm", region, accountId, `certificate/${fakeUuid(seed)}`);
    return { id: arn, state: { ...inputs, arn } };
}

/** A RAM resource share: its ARN. */
function resourceShare({ inputs, accountId, region, partition, seed }: ResourceRequest): FakeAnswer {
    const arn = arnOf(partition, "ram", region, accountId, `resource-share/${fakeUuid(seed)}`);
    return { id: arn, state: { ...inputs, arn } };
}

/** The characters `random.RandomPassword` draws from, by class, with its default special characters. */
const PasswordClasses = {
    lower: "abcdefghijklmnopqrstuvwxyz",
    upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    numeric: "0123456789",
    special: "!@#$%&*()-_=+[]{}<>:?",
} as const;

/**
 * A random password: the same characters for the same stack, resource and
 * arguments (length and classes), drawn from the classes it allows, with
 * `result` a secret, as the provider's is. The ID is the provider's `none`.
 */
function randomPassword({ inputs, seed }: ResourceRequest): FakeAnswer {
    const special = typeof inputs.overrideSpecial === "string" ? inputs.overrideSpecial : PasswordClasses.special;
    const charset = [
        inputs.lower === false ? "" : PasswordClasses.lower,
        inputs.upper === false ? "" : PasswordClasses.upper,
        inputs.numeric === false ? "" : PasswordClasses.numeric,
        inputs.special === false ? "" : special,
    ].join("");
    const length = typeof inputs.length === "number" ? inputs.length : 0;
    const draws = fakeHex(`${seed}/${JSON.stringify([length, charset])}`, 4 * length);
    let result = "";
    for (let i = 0; i < length; i++) {
        result += charset[parseInt(draws.slice(4 * i, 4 * i + 4), 16) % charset.length];
    }
    return {
        id: "none",
        state: { ...inputs, result: secretMarker(result), bcryptHash: secretMarker(`$2a$10$${fakeHex(`${seed}/bcrypt`, 53)}`) },
    };
}

/** Any other resource: a read (`Resource.get`) answers the ID it was asked for; an AWS resource without an ARN gets one. */
function anyResource({ args, type, name, inputs, accountId, region, partition, seed }: ResourceRequest): FakeAnswer {
    const id = args.custom === false ? undefined : typeof args.id === "string" && args.id !== "" ? args.id : `${name}-${fakeHex(seed, 8)}`;
    const state: Record<string, unknown> = { ...inputs };
    if (typeof inputs.arn !== "string" && type.startsWith("aws:")) {
        const service = type.split(":")[1].split("/")[0];
        state.arn = arnOf(partition, service, region, accountId, name);
    }
    return { id, state };
}

/** The answers of the resource types the fake cloud knows, by type token. */
const FakeResources = new Map<string, (request: ResourceRequest) => FakeAnswer>([
    ["aws:lb/loadBalancer:LoadBalancer", loadBalancer],
    ["aws:lb/targetGroup:TargetGroup", targetGroup],
    ["aws:lb/listener:Listener", listener],
    ["aws:lb/listenerRule:ListenerRule", listenerRule],
    ["aws:iam/role:Role", role],
    ["aws:iam/policy:Policy", policy],
    ["aws:ec2/securityGroup:SecurityGroup", securityGroup],
    ["eks:index:Cluster", eksCluster],
    ["aws:iam/openIdConnectProvider:OpenIdConnectProvider", openIdConnectProvider],
    ["aws:ec2/vpc:Vpc", vpc],
    ["aws:ec2/subnet:Subnet", subnet],
    ["aws:acm/certificate:Certificate", certificate],
    ["aws:ram/resourceShare:ResourceShare", resourceShare],
    ["random:index/randomPassword:RandomPassword", randomPassword],
]);

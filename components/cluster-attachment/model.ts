/**
 * What `ClusterAttachment` builds, in two parts read once each: the plan,
 * read from the arguments at construction (everything that decides which
 * resources exist and their names), and the cluster's inputs, read once
 * they resolve (they may be outputs of other resources). Pure: no Pulumi
 * runtime.
 */
import type { TargetProtocol, TargetType } from "../internal/values";
import type { IpAddressType, SecurityGroupMode } from "./args";
import type { ResourceList } from "./helm-values";

export const ControllerDefaults = {
    namespace: "kube-system",
    serviceAccountName: "aws-load-balancer-controller",
    releaseName: "aws-load-balancer-controller",
    replicas: 2,
} as const;

/** Longest cluster name for a cross-account cluster: `AWS-LBC-` + name within STS's 64 characters. */
export const MaxCrossAccountClusterName = 56;

/** One bound service, as planned: its Service, its target group's settings, the ports the ALB must reach. */
export interface ResolvedBinding {
    /** The network's service name (the map key). */
    key: string;
    namespace: string;
    serviceName: string;
    servicePort: number | string;
    tgbName: string;
    ipAddressType: IpAddressType;
    targetType: TargetType;
    /** The target group's protocol (`spec.targetGroupProtocol`). */
    protocol: TargetProtocol;
    /** Ports the ALB sends traffic to on the nodes/pods (`rules` mode). */
    fromPort: number;
    toPort: number;
    /** The target group's own health-check port, when it is not the traffic port. */
    healthCheckPort?: number;
    /** The port in `networking.ingress` (`controller` mode). */
    networkingPort?: number;
}

/** The controller, as planned: installed or not, its role, its chart and where it runs. */
export interface ResolvedController {
    install: boolean;
    createRole: boolean;
    /** The role you bring, when known now (an output is checked once known: read `controller.roleArn` of the args). */
    roleArn?: string;
    chartVersion: string;
    namespace: string;
    serviceAccountName: string;
    releaseName: string;
    replicas: number;
    resources: { requests?: ResourceList; limits?: ResourceList };
    extraValues: Record<string, unknown>;
    /** The additional policy, when known now (an output is checked once known: read `controller.additionalPolicyJson` of the args). */
    additionalPolicyJson?: string;
}

/**
 * What is known at construction, read from the plain arguments: the
 * network's entry for the cluster, the options, the node security groups'
 * keys, the bindings and the controller. It has none of the cluster's
 * inputs (`ClusterInputs`), which may not be known yet.
 */
export interface AttachmentPlan {
    accountId: string;
    crossAccount: boolean;
    /** The controller role, as the network stack named it. */
    role: { name: string; path: string; arn: string };
    registrarRoleArn?: string;
    securityGroupMode: SecurityGroupMode;
    /** The keys of `nodeSecurityGroupIds`, sorted: they name the ingress rules. */
    nodeSecurityGroupKeys: string[];
    multiClusterTargetGroup: boolean;
    sharedVpc: boolean;
    applyToCluster: boolean;
    labelNamespaces: boolean;
    createNamespaces: boolean;
    retainNamespaces: boolean;
    manageCrd: boolean;
    /** Emit the ValidatingAdmissionPolicy that pins each target group to its binding's namespace. */
    bindingAdmissionPolicy: boolean;
    bindings: Record<string, ResolvedBinding>;
    controller: ResolvedController;
    tags: Record<string, string>;
}

/**
 * What is known once the cluster's inputs resolve: the `Input`-typed
 * arguments that describe the cluster, each checked where it is read (a
 * plain value at construction, an output once it resolves).
 */
export interface ClusterInputs {
    clusterName: string;
    oidcProviderArn: string;
    /** The issuer as given, with or without `https://`. */
    oidcIssuer: string;
    vpcId: string;
    /** The given region, else the AWS provider's. */
    region: string;
    albSecurityGroupId: string;
}

/** What the cluster's inputs are checked against: the plan's account, and so its partition and the cluster name's limit. */
export interface ClusterAccount {
    crossAccount: boolean;
    /** The cluster's account: the OIDC provider's must be it. */
    accountId?: string;
    /** The partition of the network's ARNs (the controller role's): the region must be in it. */
    partition?: string;
}

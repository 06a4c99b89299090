/**
 * The validated, defaulted model of a fleet: what `SharedAlb` builds. Pure:
 * no Pulumi runtime.
 */
import { TargetProtocol, TargetType } from "../internal/values";
import type { DesyncMitigationMode } from "./args";
import { TargetGroupDefaults } from "./target-groups";
import type { HealthCheckModel, TargetGroupModel } from "./target-groups";
import type { VpcSharingModel } from "./vpc-sharing";

export const Defaults = {
    loadBalancerName: "shared-alb",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    idleTimeout: 60,
    weight: 0,
    previewHeader: "x-shared-alb-cluster",
    protocol: TargetGroupDefaults.protocol,
    targetType: TargetGroupDefaults.targetType,
    deregistrationDelay: 30,
    slowStart: 0,
    healthCheck: TargetGroupDefaults.healthCheck,
} as const;

export interface FleetModel {
    accountId: string;
    /** The ALB's region. */
    region: string;
    /** The region's partition (`aws`, `aws-cn`, `aws-us-gov`): every ARN the component builds is in it. */
    partition: string;
    vpcId: string;
    /** The VPC's IPv4 CIDRs, primary first: the ALB's egress destinations. */
    vpcCidrs: string[];
    /** The ALB's subnets (empty when an adopted ALB needs none). */
    subnetIds: string[];
    loadBalancer: LoadBalancerModel;
    clusters: Record<string, ClusterModel>;
    services: Record<string, ServiceModel>;
    defaultService?: string;
    tags: Record<string, string>;
    /** Present when the network shares subnets with the cluster accounts through AWS RAM. */
    vpcSharing?: VpcSharingModel;
    /** Present when preview routes are on. */
    preview?: PreviewModel;
}

export interface PreviewModel {
    /** The request header whose value names the cluster. */
    header: string;
    /** The source CIDRs every preview rule requires (`source-ip`); empty: any source. */
    sourceCidrs: string[];
    /**
     * Whether the header value carries `preview.token` after the cluster key
     * (`<key>.<token>`). The token itself is not in the model: it is a secret,
     * which the component reads apart from the rest.
     */
    token: boolean;
    /**
     * Priorities of the header-only preview rules that stand in for the
     * listener's default action (the `defaultService`), by cluster key; empty
     * without a default service.
     */
    defaultActionPriorities: Record<string, number>;
}

export interface LoadBalancerModel {
    /** The ALB's name: the configured one, or the adopted ALB's own. */
    name: string;
    internal: boolean;
    /** Adopt this ALB read-only; with it, a listener and a security group of the adopted ALB are given too. */
    existingArn?: string;
    existingListenerArn?: string;
    existingSecurityGroupId?: string;
    /** Certificate ARNs, the listener's default first. */
    certificateArns: string[];
    /** An internet-facing ALB without certificates may serve plain HTTP (`loadBalancer.allowPlainHttp`). */
    allowPlainHttp: boolean;
    /** One of the ELB security policies with TLS 1.2 or 1.3 as the lowest protocol. */
    sslPolicy: string;
    ingressCidrs: string[];
    ingressPrefixListIds: string[];
    idleTimeout: number;
    /** Present when access logs are configured (`enabled` false keeps the bucket with logging off). */
    accessLogs?: { bucket: string; prefix: string; enabled: boolean };
    /** Absent: AWS's default (`defensive`). */
    desyncMitigationMode?: DesyncMitigationMode;
    /** The regional WAF web ACL associated with the ALB, when one is given. */
    webAclArn?: string;
    protect: boolean;
}

export interface ClusterModel {
    key: string;
    accountId: string;
    weight: number;
    crossAccount: boolean;
    controllerRoleName: string;
    /** The controller role's ARN, in the ALB's partition (the registrar role trusts it). */
    controllerRoleArn: string;
    /** Cross-account only. */
    registrarRoleName?: string;
    /**
     * Cross-account only: where the external ID the registrar role requires
     * comes from: `given` (`clusters.<key>.externalId`) or `generated` (a
     * random one the component keeps in state). The value is a secret, not
     * in the model: the component reads it apart from the rest.
     */
    externalId?: ExternalIdSource;
    /** The services this cluster runs (all unless `clusters.<key>.services` narrows them), sorted. */
    services: string[];
    /**
     * Where the cluster's preview rules sit in each service's block of
     * priorities (1..9): the given `clusters.<key>.previewSlot`, the deployed
     * one, or a free one (see allocate.ts). Retiring clusters keep theirs.
     */
    previewSlot: number;
    /** `clusters.<key>.previewSlot` was given. */
    previewSlotGiven: boolean;
    /**
     * Leaving the fleet (`clusters.<key>.retiring`): weight 0 everywhere and
     * no preview rules, but its target groups (still in the forward actions at
     * weight 0) and registrar role are kept until the key is removed.
     */
    retiring: boolean;
}

/** Where a cross-account cluster's external ID comes from. */
export type ExternalIdSource = "given" | "generated";

export interface ServiceModel {
    name: string;
    /** The service's own target group settings (`services.<name>`): every cluster's, unless its `serviceOverrides` say otherwise. */
    port: number;
    protocol: TargetProtocol;
    targetType: TargetType;
    hosts: string[];
    paths: string[];
    /** The listener rule's priority (meaningless for a default service without conditions, which has no rule). */
    priority: number;
    /** The priority was set in the config (1..999) rather than derived. */
    explicitPriority: boolean;
    /** The services whose overlapping requests this one may take although they are more specific (`services.<name>.shadows`), sorted. */
    shadows: string[];
    /** The clusters that run the service, sorted: each has a target group and an entry in the forward action. */
    clusters: string[];
    /** Effective weight of every cluster that runs the service (0 included). */
    weights: Record<string, number>;
    /** `instance` targets: the one NodePort the ALB must reach; absent: the whole NodePort range. */
    nodePort?: number;
    /** Priorities of the service's preview rules by cluster key (empty when preview routes are off). */
    previewPriorities: Record<string, number>;
    healthCheck: HealthCheckModel;
    deregistrationDelay: number;
    slowStart: number;
    stickinessDuration?: number;
    /** Each cluster's target group (clusters that run the service only): the service's settings with the cluster's overrides. */
    targetGroups: Record<string, TargetGroupModel>;
}

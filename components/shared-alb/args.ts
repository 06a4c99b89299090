import type * as pulumi from "@pulumi/pulumi";
import { membersOf } from "../internal/values";
import type { TargetProtocol, TargetType } from "../internal/values";

/**
 * How the ALB treats requests that could be read differently by it and by the
 * targets (HTTP desync): the ALB attribute `routing.http.desync_mitigation_mode`.
 */
export const DesyncMitigationMode = {
    /** Forwards every request, and only records in its metrics the ones it would block. */
    Monitor: "monitor",
    /** Blocks the requests that are a high risk (AWS's default). */
    Defensive: "defensive",
    /** Blocks every request that does not comply with RFC 7230. */
    Strictest: "strictest",
} as const;
export type DesyncMitigationMode = (typeof DesyncMitigationMode)[keyof typeof DesyncMitigationMode];
export const DesyncMitigationModes = membersOf(DesyncMitigationMode);

/**
 * Inputs of `SharedAlb`. The keys that decide which resources exist and what
 * they are named (accounts, cluster keys, service names, weights, ports,
 * ingress CIDRs, shared subnets) are plain values, validated before any
 * resource is registered, so a bad config never half-applies. Values that may
 * come from another resource (the VPC, its CIDRs, the ALB's subnets,
 * certificate ARNs, tag values, the region) are `Input`s: a plain one is
 * validated with the rest, an Output once it resolves, with the same
 * path-named message. The network stack's `alb-fleet:network` config key has
 * exactly this shape, in plain values.
 */
export interface SharedAlbArgs {
    /** The AWS account that owns the VPC and the ALB (12 digits). The deploying credentials must be in it. */
    accountId: string;
    /**
     * The region of the ALB: the ARNs the component builds are in this region
     * and its partition (aws, aws-cn, aws-us-gov). Defaults to the region of
     * the AWS provider given in the resource options (provider or providers,
     * or the parent's); without either the component refuses to build.
     * @default the region of the component's AWS provider
     */
    region?: pulumi.Input<string>;
    /** The VPC of the ALB and of every target group (for example the ID of a VPC created in the same program). */
    vpcId: pulumi.Input<string>;
    /**
     * The VPC's IPv4 CIDRs, primary first, then any secondary ones (pods on a
     * secondary CIDR, as with custom networking): the ALB security group's
     * egress destinations (and ingress sources when internal). Give this or
     * `vpcCidr`. Keep the primary first: its egress rules keep their names.
     * The primary may be an Output (the VPC's cidrBlock); a secondary one
     * must be a plain value, because it names its egress rules
     * (`<name>-out-<ports>-<cidr>`). An internal ALB whose primary CIDR is an
     * Output needs `loadBalancer.ingressCidrs`, which name the ingress rules.
     * Default: the list of vpcCidr.
     * @default [vpcCidr]
     */
    vpcCidrs?: pulumi.Input<string>[];
    /**
     * The VPC's one IPv4 CIDR; the older form of `vpcCidrs: [vpcCidr]`. Give this or `vpcCidrs`, not both.
     * @default none
     */
    vpcCidr?: pulumi.Input<string>;
    /**
     * At least two subnets in different Availability Zones for the ALB. Required unless adopting an existing ALB.
     * The list or its items may be Outputs.
     * @default none (required without `loadBalancer.existingArn`)
     */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** The load balancer and its listeners. */
    loadBalancer?: LoadBalancerArgs;
    /** The clusters behind the ALB, keyed by cluster key (`blue`, `green`). At least one. */
    clusters: Record<string, ClusterArgs>;
    /** The services the ALB routes, keyed by service name (`web`, `api`). At least one. */
    services: Record<string, ServiceArgs>;
    /**
     * A service that receives requests no rule matches (forwarded with its weights).
     * @default none: unmatched requests get a fixed 404
     */
    defaultService?: string;
    /**
     * Tags for every resource that takes tags: at most 46 (AWS allows 50 per
     * resource, and shared-alb adds up to 4 of its own, on a preview rule),
     * keys of 1..128 characters not starting with `aws:` and other than
     * `__proto__`, which the Pulumi SDK drops from resource inputs (plain),
     * values of at most 256 (plain or Outputs), both of letters, digits,
     * spaces and `_.:/=+-@`. Default: no tags beyond the ones shared-alb adds.
     * @default {}
     */
    tags?: Record<string, pulumi.Input<string>>;
    /**
     * Share subnets of the VPC with the cluster accounts through AWS RAM, so
     * their EKS nodes and pods run in this VPC behind the ALB.
     * @default none: nothing is shared
     */
    vpcSharing?: VpcSharingArgs;
    /**
     * Preview routes: for every cluster and service it runs, a rule with the
     * service's conditions plus the header `<header>: <cluster key>` (with
     * `preview.token`: `<cluster key>.<token>`) and, with
     * `preview.sourceCidrs`, the client's source address, forwarding only to
     * that cluster's target group, placed just before the service's own rule.
     * A request that passes them goes where normal routing would send it, but
     * to the named cluster (weight 0 or not). Present turns them on. On an
     * internet-facing ALB they need `sourceCidrs` or `token` (or both):
     * cluster keys are easy to guess.
     * @default none: no preview rules
     */
    preview?: PreviewArgs;
    /**
     * The rule priorities and preview slots the ALB is deployed with, as the
     * network outputs of the last update record them
     * (`services.<name>.priority`, `clusters.<key>.previewSlot`): a rule or
     * cluster that stays keeps its place, and nothing new takes a place a
     * rule deleted in the same update still holds. The network stack reads
     * it from its own outputs (`readDeployedAllocation`); a program of its
     * own passes what `deployedAllocationOf` gives for its previous outputs.
     * @default none: every place is allocated afresh from the config (stable
     * while names' digests do not collide; see docs/routing.md)
     */
    deployedAllocation?: DeployedAllocationArgs;
}

/** Where the deployed rules sit: by service, its rule's priority; by cluster, its preview slot. */
export interface DeployedAllocationArgs {
    /**
     * The deployed rule priority of each service (1..50000), removed services included.
     * @default {}
     */
    priorities?: Record<string, number>;
    /**
     * The deployed preview slot of each cluster (1..9), removed clusters included.
     * @default {}
     */
    previewSlots?: Record<string, number>;
}

/**
 * Preview routes: requests carrying a header that names a cluster go to that
 * cluster's target group, restricted to the given source networks and/or
 * to requests that also carry the token.
 */
export interface PreviewArgs {
    /**
     * The request header that names the cluster: an HTTP header name of at most 40 characters, not `Host`.
     * @default "x-shared-alb-cluster"
     */
    header?: string;
    /**
     * IPv4 CIDRs preview requests must come from: every preview rule gets a
     * `source-ip` condition with them. The ALB compares the address that
     * connects to it (behind a CDN or proxy, the proxy's), never
     * `X-Forwarded-For`. 1 to 3 CIDRs, not `0.0.0.0/0`; each counts in a
     * rule's 5 condition values, with the service's hosts and paths and the header.
     * @default none: any source (an internet-facing ALB then needs `token`)
     */
    sourceCidrs?: string[];
    /**
     * A shared secret the header value must carry after the cluster key:
     * `<header>: <cluster key>.<token>`. 16 to 100 characters of letters,
     * digits and `._~+/=-` (no `*` or `?`: the ALB reads them as wildcards);
     * the ALB compares it case-insensitively. Give it as a secret (in the
     * network stack, a `secure:` config value): the rules keep it secret in
     * state, and plans and errors never print it.
     * @default none: the header value is the cluster key alone (an internet-facing ALB then needs `sourceCidrs`)
     */
    token?: pulumi.Input<string>;
}

/** Subnets of the VPC shared with the cluster accounts through AWS RAM. */
export interface VpcSharingArgs {
    /** The subnets the clusters' nodes and pods use (private ones; the ALB's own `subnetIds` are refused). At least one. */
    subnetIds: string[];
    /**
     * Principals beyond the default ones: 12-digit account IDs, or an
     * organization or organizational unit ARN (only with
     * `allowOrganizationPrincipals`). The network's own account is refused.
     * @default [] (only the accounts of the clusters outside the network account)
     */
    principals?: string[];
    /**
     * Accept an organization or OU ARN among `principals`: every account in
     * it, today's and future ones, then sees the subnets and the VPC. Allowed
     * only with such a principal.
     * @default false: organization and OU principals are refused
     */
    allowOrganizationPrincipals?: boolean;
    /**
     * The resource share's name.
     * @default "<loadBalancer.name>-subnets"
     */
    name?: string;
}

/** The load balancer: created (the pet), or adopted read-only. */
export interface LoadBalancerArgs {
    /**
     * The ALB's name: at most 32 letters, digits and hyphens, not starting with `internal-`.
     * Changing it replaces the ALB, which `protect` refuses.
     * @default "shared-alb"
     */
    name?: string;
    /**
     * An internal (VPC-only) load balancer instead of an internet-facing one.
     * @default false
     */
    internal?: boolean;
    /**
     * Adopt this existing ALB read-only instead of creating one: shared-alb adds
     * listeners (or only rules), target groups and roles, and never modifies or
     * deletes the ALB itself.
     * @default none: the ALB is created
     */
    existingArn?: string;
    /**
     * The listener of the adopted ALB that gets the rules; required with
     * `existingArn` (creating listeners on :80 and :443 of an adopted ALB
     * would collide with its own). Not allowed without `existingArn`.
     * @default none (required with `existingArn`; without it the HTTP and HTTPS listeners are created)
     */
    existingListenerArn?: string;
    /**
     * With `existingArn`: the adopted ALB's security group, which cluster stacks
     * allow into their nodes. The network stack does not change its rules.
     * @default none (required with `existingArn`)
     */
    existingSecurityGroupId?: string;
    /**
     * ACM certificate ARNs. When given, an HTTPS listener on 443 serves the first
     * as its default certificate and the others through SNI, and HTTP redirects to HTTPS.
     * The first may be an Output (a certificate created in the same program);
     * the others must be plain values, because each names its listener
     * certificate resource. Without any, an internet-facing ALB is refused
     * unless `allowPlainHttp` is set.
     * @default [] (HTTP only)
     */
    certificateArns?: pulumi.Input<string>[];
    /**
     * Serve plain HTTP to the internet: an internet-facing ALB without
     * `certificateArns` is refused without it. Allowed only there (an
     * internal ALB may serve HTTP; with certificates HTTP redirects to HTTPS).
     * @default false
     */
    allowPlainHttp?: boolean;
    /**
     * The HTTPS listener's TLS policy: one of the ELB security policies whose
     * lowest protocol is TLS 1.2 or 1.3 (TLS 1.0 and 1.1 policies are refused;
     * the message lists the allowed names).
     * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
     */
    sslPolicy?: string;
    /**
     * IPv4 CIDRs allowed to reach the listener ports.
     * @default ["0.0.0.0/0"] when internet-facing, the `vpcCidrs` when internal
     */
    ingressCidrs?: string[];
    /**
     * Managed prefix lists (`pl-...`) allowed to reach the listener ports, in addition to `ingressCidrs`.
     * @default []
     */
    ingressPrefixListIds?: string[];
    /**
     * Idle timeout in seconds (1..4000).
     * @default 60
     */
    idleTimeout?: number;
    /**
     * Access logs to S3. The bucket policy must allow the regional ELB log
     * delivery. Not allowed with `existingArn` (an adopted ALB is read-only).
     * @default none: access logs off
     */
    accessLogs?: AccessLogsArgs;
    /**
     * How the ALB handles requests that could be read differently by it and by
     * the targets (HTTP desync): `monitor`, `defensive` or `strictest`. Not
     * allowed with `existingArn` (an adopted ALB is read-only).
     * @default none: AWS's default (`defensive`)
     */
    desyncMitigationMode?: DesyncMitigationMode;
    /**
     * An AWS WAF (wafv2) regional web ACL to associate with the ALB
     * (`arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>`,
     * in the ALB's partition and region). May be an Output (a web ACL created
     * in the same program). Not allowed with `existingArn`: associating a web
     * ACL changes what the adopted ALB lets through, so it belongs where that
     * ALB is managed.
     * @default none: no web ACL
     */
    webAclArn?: pulumi.Input<string>;
    /**
     * Pulumi's `protect` resource option on the ALB: any replacement or deletion
     * fails until it is turned off. Deletion protection in AWS is always on.
     * @default true
     */
    protect?: boolean;
}

/** Where the ALB writes its access logs. */
export interface AccessLogsArgs {
    /** The S3 bucket name. */
    bucket: string;
    /**
     * Key prefix inside the bucket.
     * @default "" (the bucket root)
     */
    prefix?: string;
    /**
     * Whether the ALB writes access logs: `false` keeps the bucket and prefix
     * on the ALB with logging off.
     * @default true
     */
    enabled?: boolean;
}

/** One cluster behind the ALB: its account, weight and the services it runs. */
export interface ClusterArgs {
    /** The account of the cluster (12 digits). Another account than `accountId` gets a registrar role. */
    accountId: string;
    /**
     * The cluster's default forward weight (0..999) for every service it runs.
     * 0 keeps its target groups in the forward action (attached and
     * health-checked, so its pods pass their readiness gates) but sends them
     * nothing. Must be 0 while `retiring`.
     * @default 0
     */
    weight?: number;
    /**
     * The cluster is leaving the fleet, the first of two steps: it takes no
     * traffic (a weight above 0, its own or in `services.<name>.weights`, is
     * refused) and gets no preview rules, but its target groups (still in the
     * forward actions, at weight 0) and its registrar role are kept, so its
     * cluster stack can be destroyed while its TargetGroupBindings can still
     * deregister their targets. Then remove the key.
     * @default false
     */
    retiring?: boolean;
    /**
     * The services this cluster runs: it gets a target group, a registrar
     * permission, a forward entry and preview rules for these only, and its
     * cluster stack may bind only these. At least one; a weight in
     * `services.<name>.weights` for a service the cluster does not run is refused.
     * @default every service
     */
    services?: string[];
    /**
     * This cluster's own target group settings of a service it runs, over
     * the service's (`services.<name>`), keyed by service name: so a change
     * that replaces a target group (port, protocol, target type) is made on
     * one cluster at a time, the one at weight 0 first, checked through its
     * preview route, weighted in, then made on the others (or in the service).
     * @default {} (every target group as its service says)
     */
    serviceOverrides?: Record<string, ServiceOverrideArgs>;
    /**
     * Where this cluster's preview rules sit in each service's block of ten
     * priorities (1..9; the rule itself takes the tenth). Clusters that run a
     * common service need different slots.
     * @default derived from the cluster key (1 + a digest modulo 9)
     */
    previewSlot?: number;
    /**
     * The name of the controller's IAM role in the cluster account, which the
     * cluster stack creates and the registrar role trusts.
     * @default "shared-alb-lbc-<key>"
     */
    controllerRoleName?: string;
    /**
     * Cross-account clusters only: the external ID the registrar role
     * requires (`sts:ExternalId`, 2..1224 characters of `\w+=,.@:/-`), which
     * the cluster's TargetGroupBindings pass. Treated as a secret: give it as
     * one (in the network stack, a `secure:` config value); it stays secret in
     * state, in the outputs and in plans, and messages never print it.
     * @default a random 32-character ID of letters and digits, generated once per cluster and kept in state (`random.RandomPassword` `<name>-external-id-<key>`)
     */
    externalId?: pulumi.Input<string>;
}

/** One cluster's target group settings of a service, laid over `services.<name>`. Every key is optional. */
export interface ServiceOverrideArgs {
    /**
     * The port of this cluster's targets, 1..65535.
     * @default the service's `port`
     */
    port?: number;
    /**
     * The protocol from the ALB to this cluster's targets.
     * @default the service's `protocol`
     */
    protocol?: TargetProtocol;
    /**
     * `ip` or `instance` for this cluster's targets.
     * @default the service's `targetType`
     */
    targetType?: TargetType;
    /**
     * `instance` targets: this cluster's NodePort of the Service (30000..32767).
     * @default the service's `nodePort` when this cluster's targets are `instance`, else none
     */
    nodePort?: number;
    /**
     * Health check settings merged key by key over the service's (an override
     * of `path` keeps the service's other values). The protocol defaults to
     * this cluster's.
     * @default the service's `healthCheck`
     */
    healthCheck?: HealthCheckArgs;
}

/**
 * One service. Its target group settings (`port`, `protocol`, `targetType`,
 * `nodePort`, `healthCheck`) apply to every cluster that runs it, except
 * where `clusters.<key>.serviceOverrides.<name>` sets another value.
 */
export interface ServiceArgs {
    /** The port the targets (pods or nodes) listen on, 1..65535. */
    port: number;
    /**
     * The protocol from the ALB to the targets.
     * @default "HTTP"
     */
    protocol?: TargetProtocol;
    /**
     * `ip` registers pod IPs (needed across accounts); `instance` registers nodes on a NodePort.
     * @default "ip"
     */
    targetType?: TargetType;
    /**
     * `instance` targets: the Service's NodePort (30000..32767), so the ALB's
     * security group opens that port only.
     * @default none: the whole NodePort range 30000-32767
     */
    nodePort?: number;
    /**
     * Host-header values this service answers (`shop.example.com`, `*.example.com`):
     * at most 3, each with a `.` followed by letters only at the end; compared case-insensitively.
     * @default [] (any host)
     */
    hosts?: string[];
    /**
     * Path patterns this service answers (`/api/*`): at most 3, case-sensitive,
     * matched against the whole path. `/*` is refused: leave paths out to match every path.
     * @default [] (any path)
     */
    paths?: string[];
    /**
     * The listener rule priority, 1..999, unique; explicit priorities precede
     * every derived one. With preview routes the nine priorities below it
     * take the service's preview rules, so space explicit ones ten apart.
     * A priority that puts this rule before a more specific one it overlaps
     * is refused unless `shadows` lists that one.
     * @default derived: kept as deployed (`deployedAllocation`), else a free
     * block of the band and specificity of the service's own hosts and paths,
     * from 1010 up; see docs/routing.md
     */
    priority?: number;
    /**
     * Services whose requests this one may take where both match: a more
     * specific service this one precedes (by an explicit `priority`), or one
     * of equal specificity it must precede. Each must overlap this service.
     * @default [] (overlapping rules are ordered by specificity; a tie is refused)
     */
    shadows?: string[];
    /**
     * Per-cluster weights for this service, overriding the clusters' default
     * weights; only for clusters that run the service.
     * @default {} (every cluster that runs it at its default weight)
     */
    weights?: Record<string, number>;
    /**
     * The target group health check.
     * @default every key at its own default
     */
    healthCheck?: HealthCheckArgs;
    /**
     * Seconds a deregistering target keeps draining, 0..3600.
     * @default 30 (Kubernetes' default termination grace period)
     */
    deregistrationDelay?: number;
    /**
     * Slow start in seconds: 0 (off) or 30..900.
     * @default 0
     */
    slowStart?: number;
    /**
     * Keep a client on the cluster it first reached while weights shift
     * (forward-action target group stickiness).
     * @default none: no stickiness
     */
    stickiness?: StickinessArgs;
}

/** A target group's health check. */
export interface HealthCheckArgs {
    /**
     * The path health checks request: `/`, then at most 127 characters.
     * @default "/"
     */
    path?: string;
    /**
     * The port health checks go to, 1..65535, when not the target's own port.
     * @default the traffic port (the port each target was registered on)
     */
    port?: number;
    /**
     * The protocol health checks use.
     * @default the service's protocol
     */
    protocol?: TargetProtocol;
    /**
     * HTTP codes counted healthy (`200`, `200-299`, `200,204`).
     * @default "200-399"
     */
    matcher?: string;
    /**
     * Seconds between checks, 5..300.
     * @default 15
     */
    interval?: number;
    /**
     * Seconds before a check fails, 2..120 and below `interval`.
     * @default 5
     */
    timeout?: number;
    /**
     * Consecutive successes to become healthy, 2..10.
     * @default 3
     */
    healthyThreshold?: number;
    /**
     * Consecutive failures to become unhealthy, 2..10.
     * @default 3
     */
    unhealthyThreshold?: number;
}

/** Forward-action target group stickiness. */
export interface StickinessArgs {
    /** Seconds a client stays on its target group, 1..604800. */
    duration: number;
}

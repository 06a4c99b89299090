import type * as pulumi from "@pulumi/pulumi";
import { membersOf, TargetProtocol, TargetProtocols, TargetType } from "../internal/values";

/** How the ALB's security group is let in to the targets. */
export const SecurityGroupMode = {
    /** Pulumi-managed ingress rules on the node security groups from the ALB's security group, on each target port. */
    Rules: "rules",
    /** The TargetGroupBindings carry `networking.ingress`, and the controller edits the node security groups. */
    Controller: "controller",
    /** You open the path yourself. */
    None: "none",
} as const;
export type SecurityGroupMode = (typeof SecurityGroupMode)[keyof typeof SecurityGroupMode];
export const SecurityGroupModes = membersOf(SecurityGroupMode);

/** The IP address type of a TargetGroupBinding's targets (`spec.ipAddressType`); must match the target group's. */
export const IpAddressType = {
    /** IPv4 targets. */
    Ipv4: "ipv4",
    /** IPv6 targets. */
    Ipv6: "ipv6",
} as const;
export type IpAddressType = (typeof IpAddressType)[keyof typeof IpAddressType];
export const IpAddressTypes = membersOf(IpAddressType);

/** Protocols of an ALB target group (`spec.targetGroupProtocol`). */
export const TargetGroupProtocols = TargetProtocols;

/**
 * One target group of this cluster, as the network stack exports it
 * (`clusters.<key>.targetGroups.<service>` of `NetworkOutputs`).
 */
export interface ClusterTargetGroupArgs {
    /** The target group's ARN (in the network account). */
    arn: pulumi.Input<string>;
    /** The target group's port: the default target port (`ip` targets). */
    port: number;
    /** The target group's protocol (`HTTP` or `HTTPS`): the binding's `spec.targetGroupProtocol`. */
    protocol: TargetProtocol;
    /** `ip` or `instance`. A cross-account cluster must use `ip`. */
    targetType: TargetType;
    /**
     * The target group's health-check port, when it is not the traffic port:
     * opened from the ALB's security group too.
     * @default none (health checks on the traffic port)
     */
    healthCheckPort?: number;
    /**
     * `instance` targets: the Service's NodePort the network declared
     * (`services.<name>.nodePort`), the default of a binding's `targetPort`.
     * @default none (the NodePort range 30000-32767)
     */
    nodePort?: number;
    /**
     * The target group's name, for outputs and messages only.
     * @default none
     */
    name?: pulumi.Input<string>;
}

/**
 * This cluster's entry of the network stack's outputs
 * (`clusters.<key>` of `NetworkOutputs`). Plain values, except the ARNs and
 * the external ID, because they decide which resources exist.
 */
export interface ClusterNetworkArgs {
    /** The cluster's AWS account. The component's resources go there. */
    accountId: string;
    /**
     * The ARN the network stack expects the controller role to have
     * (`arn:aws:iam::<clusterAccount>:role/<name>`). The role is created with
     * exactly this name and path.
     */
    controllerRoleArn: string;
    /**
     * Cross-account clusters only: the registrar role in the network account
     * that the controller assumes (`spec.iamRoleArnToAssume`). Its presence
     * makes the cluster cross-account.
     * @default none (same-account cluster: the controller role registers targets itself)
     */
    registrarRoleArn?: string;
    /**
     * Cross-account clusters only: the external ID the registrar role
     * requires (`spec.assumeRoleExternalId`). A secret: the network stack
     * exports it as one, and the component keeps it one (a secret field of
     * each binding's spec, and of `manifests`) whether or not it arrives as one.
     * @default none
     */
    externalId?: pulumi.Input<string>;
    /** This cluster's target groups, by service name. */
    targetGroups: Record<string, ClusterTargetGroupArgs>;
}

/**
 * One Kubernetes Service bound to this cluster's target group of a service.
 * The map key is the network's service name (`web`). Give exactly one of
 * `port` and `portName`.
 */
export interface BindingArgs {
    /** The Service's namespace; the TargetGroupBinding goes there too (DNS-1123 label). */
    namespace: string;
    /** The Service's name (DNS-1123 label). */
    service: string;
    /**
     * The Service port, by number (`spec.serviceRef.port`).
     * @default none: give `port` or `portName`
     */
    port?: number;
    /**
     * The Service port, by name (`spec.serviceRef.port`).
     * @default none: give `port` or `portName`
     */
    portName?: string;
    /**
     * The port the targets listen on, for the security-group rules (`rules`
     * mode) and `networking.ingress` (`controller` mode): the container port
     * for `ip` targets, the Service's NodePort for `instance` targets. The
     * target group's own health-check port, if any, is opened as well.
     * @default the target group's port for `ip` targets; for `instance`
     * targets the network's declared NodePort, else the whole NodePort range
     * 30000-32767 in `rules` mode (required in `controller` mode)
     */
    targetPort?: number;
    /**
     * The TargetGroupBinding's name (DNS-1123 subdomain).
     * @default `shared-alb-<service key>`
     */
    name?: string;
    /**
     * `spec.ipAddressType`; must match the target group's.
     * @default "ipv4"
     */
    ipAddressType?: IpAddressType;
}

/** Compute resources for the controller pods. */
export interface ResourceListArgs {
    /**
     * CPU, as a Kubernetes quantity (`100m`).
     * @default see `ControllerArgs.resources`
     */
    cpu?: string;
    /**
     * Memory, as a Kubernetes quantity (`128Mi`).
     * @default see `ControllerArgs.resources`
     */
    memory?: string;
}

/** The controller pods' requests and limits. */
export interface ResourceRequirementsArgs {
    /**
     * What the scheduler reserves for each controller pod.
     * @default see `ControllerArgs.resources`
     */
    requests?: ResourceListArgs;
    /**
     * The most each controller pod may use.
     * @default see `ControllerArgs.resources`
     */
    limits?: ResourceListArgs;
}

/** The AWS Load Balancer Controller: installed by this component or already there. */
export interface ControllerArgs {
    /**
     * Install the controller with Helm. `false` attaches to a controller that
     * is already in the cluster (one controller per cluster: several fight
     * over security-group rules); the role is still created for its service
     * account unless `createRole` is false.
     * @default true
     */
    install?: boolean;
    /**
     * Create the controller's IAM role (IRSA), named as the network stack
     * expects. `false` when you bring your own role; with `install: true` then
     * give `roleArn`.
     * @default true
     */
    createRole?: boolean;
    /**
     * The role to annotate the service account with when `createRole` is false
     * (may be another resource's output: checked once known).
     * @default the created role
     */
    roleArn?: pulumi.Input<string>;
    /**
     * Chart version override. The default is the version the IAM policy, the
     * Helm values and the embedded TargetGroupBinding CRD are verified against.
     * Older versions are refused below what the cluster's mode needs (1.12.0
     * for cross-account, 1.13.0 for RAM-shared subnets); newer versions are
     * refused unless `additionalPolicyJson` grants what they need.
     * @default "3.5.0"
     */
    chartVersion?: string;
    /**
     * The controller's namespace.
     * @default "kube-system"
     */
    namespace?: string;
    /**
     * The controller's service account. The IRSA trust policy names it.
     * @default "aws-load-balancer-controller"
     */
    serviceAccountName?: string;
    /**
     * The Helm release name.
     * @default "aws-load-balancer-controller"
     */
    releaseName?: string;
    /**
     * Controller replicas (1..10). With more than one, a PodDisruptionBudget
     * `maxUnavailable: 1` is rendered.
     * @default 2
     */
    replicas?: number;
    /**
     * Controller pod resources.
     * @default requests cpu "100m", memory "128Mi"; limits memory "256Mi"
     */
    resources?: ResourceRequirementsArgs;
    /**
     * Extra chart values, merged over the TargetGroupBinding-only values.
     * Top-level keys must exist in the pinned chart's values, and keys this
     * component manages (clusterName, region, vpcId, serviceAccount,
     * replicaCount, resources, ingress class and webhook switches,
     * controllerConfig, podDisruptionBudget, keepTLSSecret) are refused: use the
     * dedicated fields. Free-form chart values; a key `__proto__` at any depth
     * is refused (the Pulumi SDK drops it from resource inputs).
     * @default {}
     */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form chart values: `any` is the schema's free-form value (pulumi.json#/Any)
    extraValues?: Record<string, any>;
    /**
     * An extra IAM policy document (JSON) attached to the controller role as a
     * second inline policy. Required to run a chart newer than the pinned one,
     * whose needs this package has not verified. May be another resource's
     * output (a rendered policy document): checked once known.
     * @default none
     */
    additionalPolicyJson?: pulumi.Input<string>;
}

/**
 * Everything `ClusterAttachment` needs, in two parts. The cluster's inputs
 * (`clusterName`, `oidcProviderArn`, `oidcIssuer`, `vpcId`, `region`,
 * `albSecurityGroupId` and the IDs of `nodeSecurityGroupIds`) may be outputs,
 * for a cluster created in the same program: each is checked when the
 * component is constructed if it is plain, else once it resolves (failing on
 * the component with the message its plain value gets). Everything else is
 * the plan: the network entry, bindings, controller, options and the keys of
 * `nodeSecurityGroupIds` decide which resources exist and their names, so
 * they are plain (the target group ARNs, the external ID, `controller.roleArn`
 * and `controller.additionalPolicyJson` excepted) and checked, with the plain
 * cluster inputs, before anything is registered.
 */
export interface ClusterAttachmentArgs {
    /**
     * The EKS cluster's name (`clusterName` of the chart). At most 56
     * characters for a cross-account cluster: STS session names are
     * `AWS-LBC-<clusterName>`, at most 64 characters.
     */
    clusterName: pulumi.Input<string>;
    /** The ARN of the cluster's IAM OIDC provider (IRSA). */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL, with or without `https://`. */
    oidcIssuer: pulumi.Input<string>;
    /** The VPC of the target groups (the network's VPC, shared with the cluster). */
    vpcId: pulumi.Input<string>;
    /**
     * The region of the cluster and of the ALB; its partition must be the
     * network's ARNs' (`aws-cn` for `cn-north-1`...).
     * @default the region of the AWS provider in the options (`provider`,
     * `providers`, or the parent's); the ambient `aws:region` config is never read
     */
    region?: pulumi.Input<string>;
    /** This cluster's entry of the network stack's outputs. */
    cluster: ClusterNetworkArgs;
    /** The ALB's security group ID (in the network account). */
    albSecurityGroupId: pulumi.Input<string>;
    /** The Services to bind, keyed by the network's service name. At least one. */
    bindings: Record<string, BindingArgs>;
    /**
     * The controller's installation.
     * @default install chart 3.5.0 in kube-system, 2 replicas
     */
    controller?: ControllerArgs;
    /**
     * How the ALB reaches the targets:
     * - `rules`: Pulumi-managed ingress rules on `nodeSecurityGroupIds` from
     *   the ALB security group, on each target port;
     * - `controller`: the TargetGroupBindings carry `networking.ingress` and
     *   the controller edits the node security groups (its role may then
     *   authorize/revoke ingress on those groups only);
     * - `none`: you open the path yourself.
     * @default "rules"
     */
    securityGroupMode?: SecurityGroupMode;
    /**
     * The security groups of the nodes (and so of `ip` target pods with the
     * VPC CNI), keyed by a stable name (letters, digits, hyphens), e.g.
     * `{ nodes: "sg-..." }`. Required in `rules` and `controller` modes.
     * @default {}
     */
    nodeSecurityGroupIds?: Record<string, pulumi.Input<string>>;
    /**
     * Set `spec.multiClusterTargetGroup` on every binding: needed only when a
     * target group is shared by several clusters (without it each controller
     * deregisters the other clusters' targets).
     * @default false (each cluster has its own target groups)
     */
    multiClusterTargetGroup?: boolean;
    /**
     * The cluster runs in subnets shared through AWS RAM. Decides the minimum
     * chart version (1.13.0).
     * @default true for a cross-account cluster, false otherwise
     */
    sharedVpc?: boolean;
    /**
     * Create the Kubernetes objects (CRD, Helm release, namespace labels,
     * TargetGroupBindings). `false` renders them as the `manifests` output only,
     * for GitOps (Argo CD, Flux); AWS resources (role, security-group rules) are
     * still created.
     * @default true
     */
    applyToCluster?: boolean;
    /**
     * Label each namespace with an `ip` binding
     * `elbv2.k8s.aws/pod-readiness-gate-inject: enabled`, so rolling updates
     * wait for new pods to be healthy in the target group. Existing namespaces
     * are patched (server-side apply), not taken over.
     * @default true
     */
    labelNamespaces?: boolean;
    /**
     * Make sure the namespaces the objects live in exist (every binding's, and
     * the controller's when it is installed outside the system namespaces),
     * with the readiness-gate label where `labelNamespaces` puts it; every
     * namespaced object waits for its namespace. They are server-side applied
     * (`NamespacePatch`): created when absent, adopted when present (a
     * namespace kept from before, or by an earlier attachment). For a cluster
     * created in the same program, which has only the system namespaces.
     * @default false
     */
    createNamespaces?: boolean;
    /**
     * Keep the namespaces of `createNamespaces` when this component is
     * deleted (Pulumi `retainOnDelete`): deleting a namespace deletes
     * everything in it, workloads included. `false` makes them `Namespace`
     * resources the component owns and deletes with itself; a namespace that
     * already exists is then refused (AlreadyExists) rather than taken over.
     * Only with `createNamespaces`.
     * @default true
     */
    retainNamespaces?: boolean;
    /**
     * Manage the TargetGroupBinding CRD as a Pulumi resource at the pinned
     * chart's version (embedded in this package), applied before the release
     * and updated on every upgrade, because Helm installs `crds/` once and never
     * upgrades them. It is server-side applied with `pulumi.com/patchForce`
     * (`CustomResourceDefinitionPatch`): created when absent, taken over when
     * an earlier Helm install or attachment left it. The chart's other CRDs
     * are still installed by Helm on first install (Helm skips the CRD that
     * already exists). The CRD is retained on delete, as Helm does, because
     * deleting it deletes every TargetGroupBinding in the cluster. Requires
     * `install: true`.
     * @default true
     */
    manageCrd?: boolean;
    /**
     * Guard the TargetGroupBindings with a `ValidatingAdmissionPolicy` and its
     * binding (`admissionregistration.k8s.io/v1`, Kubernetes 1.30 or later):
     * a binding may name one of this cluster's shared-alb target groups only
     * in the namespace `bindings` puts it in, and no other target group at
     * all (by `spec.targetGroupARN`; a `spec.targetGroupName` is checked by
     * the ARN the controller's webhook resolves it to). Deletes, and updates
     * of bindings being deleted, are never refused. `false` leaves any
     * namespace free to bind any target group the controller can reach: turn
     * it off only on clusters older than 1.30, or where other
     * TargetGroupBindings must exist.
     * @default true
     */
    bindingAdmissionPolicy?: boolean;
    /**
     * Tags for the AWS resources (the component adds none of its own): at most
     * 50, keys of 1..128 characters not starting with `aws:` and other than
     * `__proto__` (the Pulumi SDK drops it from resource inputs), values of at
     * most 256, both of letters, digits, spaces and `_.:/=+-@`.
     * @default {}
     */
    tags?: Record<string, string>;
}

import * as aws from "../internal/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../internal/contract";
import { SharedAlbArgs } from "./args";
import { nameKey } from "./naming";
import { RegistrarPolicyName, registrarPermissions, registrarTrustPolicy } from "./policy";
import { ServiceAction, listenerPlan } from "./rules";
import { FleetModel, validateSharedAlbArgs } from "./validate";
import { subnetArn } from "./vpc-sharing";

/** Tag keys shared-alb puts on what it creates (the doctor reads them). */
export const TagKeys = {
    loadBalancer: "shared-alb:load-balancer",
    cluster: "shared-alb:cluster",
    service: "shared-alb:service",
} as const;

/**
 * The pet Application Load Balancer in front of several clusters: the ALB
 * (created with deletion protection and Pulumi `protect`, or adopted
 * read-only), its security group, listeners, one rule per service, one target
 * group per cluster and service, and a registrar role per cross-account
 * cluster. Every child is keyed by cluster key and service name, so adding,
 * removing or re-weighting a cluster never touches the ALB or another
 * cluster's resources.
 */
export class SharedAlb extends pulumi.ComponentResource {
    /** The validated, defaulted model the resources were built from. */
    readonly model: FleetModel;
    readonly loadBalancerArn: pulumi.Output<string>;
    readonly dnsName: pulumi.Output<string>;
    readonly zoneId: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** Listener ARNs by role: `http`, `https`, or `existing`. */
    readonly listenerArns: pulumi.Output<Record<string, string>>;
    /** Target groups by cluster key, then service name. */
    readonly targetGroups: Record<string, Record<string, aws.lb.TargetGroup>>;
    /** Registrar roles by cluster key (cross-account clusters only). */
    readonly registrarRoles: Record<string, aws.iam.Role>;
    /** The RAM share of the cluster subnets, when `vpcSharing` is set. */
    readonly resourceShare?: aws.ram.ResourceShare;
    /** The network outputs contract (see `NetworkOutputs`), which the network stack exports. */
    readonly outputs: pulumi.Output<NetworkOutputs>;

    constructor(name: string, args: SharedAlbArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything is checked before anything, the component included, is registered.
        const model = validateSharedAlbArgs(args, aws.config.region);
        super("shared-alb:index:SharedAlb", name, {}, opts);
        this.model = model;
        const lbModel = model.loadBalancer;
        const parent = { parent: this };
        const tags = (extra: Record<string, string> = {}) => ({ ...model.tags, [TagKeys.loadBalancer]: lbModel.name, ...extra });

        // The deploying credentials must be in the network account: every child waits on this check.
        const verifiedAccount = aws.getCallerIdentityOutput({}, parent).accountId.apply(actual => {
            if (actual !== model.accountId) {
                throw new pulumi.ResourceError(
                    `accountId: got ${JSON.stringify(model.accountId)}; the AWS credentials are for account ${actual}: deploy the network stack with the network account's credentials`,
                    this);
            }
            return actual;
        });
        const vpcId = verifiedAccount.apply(() => model.vpcId);

        // Security group and load balancer (created or adopted).
        let securityGroupId: pulumi.Output<string>;
        let lb: aws.lb.LoadBalancer;
        if (lbModel.existingArn === undefined) {
            const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
                name: `${lbModel.name}-alb`,
                description: `ALB ${lbModel.name}: listener ports in, target ports out to the VPC`,
                vpcId,
                revokeRulesOnDelete: true,
                tags: tags({ Name: `${lbModel.name}-alb` }),
            }, parent);
            securityGroupId = sg.id;
            this.securityGroupRules(name, model, sg.id);
            lb = new aws.lb.LoadBalancer(`${name}-alb`, {
                name: lbModel.name,
                loadBalancerType: "application",
                internal: lbModel.internal,
                securityGroups: [sg.id],
                subnets: model.subnetIds,
                enableDeletionProtection: true,
                dropInvalidHeaderFields: true,
                idleTimeout: lbModel.idleTimeout,
                accessLogs: lbModel.accessLogs === undefined ? undefined
                    : { bucket: lbModel.accessLogs.bucket, prefix: lbModel.accessLogs.prefix, enabled: true },
                tags: tags({ Name: lbModel.name }),
            }, { parent: this, protect: lbModel.protect });
        } else {
            securityGroupId = pulumi.output(lbModel.existingSecurityGroupId as string);
            lb = aws.lb.LoadBalancer.get(`${name}-alb`, lbModel.existingArn, undefined, parent);
        }

        // Target groups: one per (cluster, service).
        this.targetGroups = {};
        for (const cluster of Object.values(model.clusters)) {
            this.targetGroups[cluster.key] = {};
            for (const service of Object.values(model.services)) {
                const hc = service.healthCheck;
                this.targetGroups[cluster.key][service.name] = new aws.lb.TargetGroup(`${name}-tg-${cluster.key}-${service.name}`, {
                    name: service.targetGroupNames[cluster.key],
                    vpcId,
                    port: service.port,
                    protocol: service.protocol,
                    targetType: service.targetType,
                    deregistrationDelay: service.deregistrationDelay,
                    slowStart: service.slowStart,
                    healthCheck: {
                        enabled: true,
                        path: hc.path,
                        port: hc.port === undefined ? "traffic-port" : String(hc.port),
                        protocol: hc.protocol,
                        matcher: hc.matcher,
                        interval: hc.interval,
                        timeout: hc.timeout,
                        healthyThreshold: hc.healthyThreshold,
                        unhealthyThreshold: hc.unhealthyThreshold,
                    },
                    tags: tags({ [TagKeys.cluster]: cluster.key, [TagKeys.service]: service.name }),
                }, parent);
            }
        }

        // Listeners, listener certificates and one rule per service.
        const plan = listenerPlan(model);
        const toAction = (action: ServiceAction | { kind: "not-found" }): aws.types.input.lb.ListenerDefaultAction => {
            switch (action.kind) {
                case "not-found":
                    return { type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain", messageBody: "Not Found" } };
                case "fixed-response":
                    return { type: "fixed-response", fixedResponse: { statusCode: action.statusCode, contentType: action.contentType, messageBody: action.messageBody } };
                case "forward":
                    return {
                        type: "forward",
                        forward: {
                            targetGroups: action.targets.map(t => ({ arn: this.targetGroups[t.cluster][action.service].arn, weight: t.weight })),
                            stickiness: action.stickinessDuration === undefined ? undefined
                                : { enabled: true, duration: action.stickinessDuration },
                        },
                    };
            }
        };
        const listenerArns: Record<string, pulumi.Output<string>> = {};
        if (plan.createListeners) {
            const http = new aws.lb.Listener(`${name}-http`, {
                loadBalancerArn: lb.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [plan.https
                    ? { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }
                    : toAction(plan.defaultAction)],
                tags: tags(),
            }, parent);
            listenerArns.http = http.arn;
            if (plan.https) {
                const [first, ...more] = lbModel.certificateArns;
                const https = new aws.lb.Listener(`${name}-https`, {
                    loadBalancerArn: lb.arn,
                    port: 443,
                    protocol: "HTTPS",
                    sslPolicy: lbModel.sslPolicy,
                    certificateArn: first,
                    defaultActions: [toAction(plan.defaultAction)],
                    tags: tags(),
                }, parent);
                listenerArns.https = https.arn;
                for (const certificateArn of more) {
                    new aws.lb.ListenerCertificate(`${name}-cert-${nameKey(certificateArn.split("/").pop() as string)}`, {
                        listenerArn: https.arn,
                        certificateArn,
                    }, parent);
                }
            }
        } else {
            listenerArns.existing = pulumi.output(lbModel.existingListenerArn as string);
        }
        const rulesListener = listenerArns[plan.rulesOn];
        for (const rule of plan.rules) {
            const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
            if (rule.hosts.length > 0) {
                conditions.push({ hostHeader: { values: rule.hosts } });
            }
            if (rule.paths.length > 0) {
                conditions.push({ pathPattern: { values: rule.paths } });
            }
            new aws.lb.ListenerRule(`${name}-rule-${rule.service}`, {
                listenerArn: rulesListener,
                priority: rule.priority,
                conditions,
                actions: [toAction(rule.action)],
                tags: tags({ [TagKeys.service]: rule.service }),
            }, parent);
        }

        // Registrar roles for clusters in other accounts.
        this.registrarRoles = {};
        for (const cluster of Object.values(model.clusters)) {
            if (!cluster.crossAccount) {
                continue;
            }
            const role = new aws.iam.Role(`${name}-registrar-${cluster.key}`, {
                name: verifiedAccount.apply(() => cluster.registrarRoleName as string),
                description: `Lets the load balancer controller of cluster ${cluster.key} (account ${cluster.accountId}) register targets into its target groups of ALB ${lbModel.name}`,
                assumeRolePolicy: JSON.stringify(registrarTrustPolicy(model.partition, cluster.accountId, cluster.controllerRoleArn, cluster.externalId as string)),
                maxSessionDuration: 3600,
                tags: tags({ [TagKeys.cluster]: cluster.key }),
            }, parent);
            const arns = Object.values(this.targetGroups[cluster.key]).map(tg => tg.arn);
            new aws.iam.RolePolicy(`${name}-registrar-${cluster.key}`, {
                role: role.name,
                name: RegistrarPolicyName,
                policy: pulumi.all(arns).apply(list => JSON.stringify(registrarPermissions(list))),
            }, parent);
            this.registrarRoles[cluster.key] = role;
        }

        // Subnets shared with the cluster accounts, keyed by subnet ID and principal.
        const sharing = model.vpcSharing;
        if (sharing !== undefined) {
            const share = new aws.ram.ResourceShare(`${name}-share`, {
                name: verifiedAccount.apply(() => sharing.name),
                allowExternalPrincipals: false,
                tags: tags(),
            }, parent);
            for (const subnetId of sharing.subnetIds) {
                new aws.ram.ResourceAssociation(`${name}-share-${subnetId}`, {
                    resourceShareArn: share.arn,
                    resourceArn: subnetArn(model.partition, model.region, model.accountId, subnetId),
                }, parent);
            }
            for (const principal of sharing.principals) {
                new aws.ram.PrincipalAssociation(`${name}-share-${nameKey(principal)}`, {
                    resourceShareArn: share.arn,
                    principal,
                }, parent);
            }
            this.resourceShare = share;
        }

        // Outputs: the network contract.
        this.loadBalancerArn = lb.arn;
        this.dnsName = lb.dnsName;
        this.zoneId = lb.zoneId;
        this.securityGroupId = securityGroupId;
        this.listenerArns = pulumi.all(listenerArns);
        this.outputs = this.networkOutputs(model, lb);
        this.registerOutputs({ outputs: this.outputs });
    }

    private securityGroupRules(name: string, model: FleetModel, securityGroupId: pulumi.Output<string>): void {
        const lbModel = model.loadBalancer;
        const listenerPorts = lbModel.certificateArns.length > 0 ? [80, 443] : [80];
        for (const port of listenerPorts) {
            for (const cidr of lbModel.ingressCidrs) {
                new aws.vpc.SecurityGroupIngressRule(`${name}-in-${port}-${nameKey(cidr)}`, {
                    securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: cidr,
                    description: `listener ${port} from ${cidr}`,
                }, { parent: this });
            }
            for (const prefixListId of lbModel.ingressPrefixListIds) {
                new aws.vpc.SecurityGroupIngressRule(`${name}-in-${port}-${prefixListId}`, {
                    securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, prefixListId,
                    description: `listener ${port} from ${prefixListId}`,
                }, { parent: this });
            }
        }
        for (const port of targetPorts(model)) {
            new aws.vpc.SecurityGroupEgressRule(`${name}-out-${port}`, {
                securityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: model.vpcCidr,
                description: `targets and health checks on ${port} in the VPC`,
            }, { parent: this });
        }
    }

    private networkOutputs(model: FleetModel, lb: aws.lb.LoadBalancer): pulumi.Output<NetworkOutputs> {
        const services: Record<string, ServiceOutputs> = {};
        for (const s of Object.values(model.services)) {
            services[s.name] = { port: s.port, protocol: s.protocol, targetType: s.targetType, weights: { ...s.weights } };
        }
        const clusters: Record<string, pulumi.Output<ClusterOutputs>> = {};
        for (const c of Object.values(model.clusters)) {
            const targetGroups: Record<string, pulumi.Output<TargetGroupOutputs>> = {};
            for (const s of Object.values(model.services)) {
                const tg = this.targetGroups[c.key][s.name];
                targetGroups[s.name] = pulumi.all([tg.arn, tg.name]).apply(([arn, tgName]) => ({
                    arn, name: tgName, port: s.port, protocol: s.protocol, targetType: s.targetType,
                }));
            }
            const registrar = this.registrarRoles[c.key];
            clusters[c.key] = pulumi.all([pulumi.all(targetGroups), registrar ? registrar.arn : undefined]).apply(([tgs, registrarRoleArn]) => {
                const out: ClusterOutputs = { accountId: c.accountId, weight: c.weight, controllerRoleArn: c.controllerRoleArn, targetGroups: tgs };
                if (registrarRoleArn !== undefined) {
                    out.registrarRoleArn = registrarRoleArn;
                    out.externalId = c.externalId;
                }
                return out;
            });
        }
        const sharing = model.vpcSharing;
        return pulumi.all([lb.arn, lb.name, lb.dnsName, lb.zoneId, this.securityGroupId, this.listenerArns, pulumi.all(clusters),
            this.resourceShare ? this.resourceShare.arn : undefined])
            .apply(([arn, lbName, dnsName, zoneId, securityGroupId, listenerArns, clusterOutputs, resourceShareArn]) => {
                const out: NetworkOutputs = {
                    accountId: model.accountId,
                    region: model.region,
                    vpcId: model.vpcId,
                    securityGroupId,
                    loadBalancer: { arn, name: lbName, dnsName, zoneId, securityGroupId, listenerArns },
                    services,
                    clusters: clusterOutputs,
                };
                if (sharing !== undefined && resourceShareArn !== undefined) {
                    out.vpcSharing = { resourceShareArn, subnetIds: [...sharing.subnetIds], principals: [...sharing.principals] };
                }
                return out;
            });
    }
}

/** The ports the ALB must reach in the VPC: every service's target port and health-check port. */
export function targetPorts(model: FleetModel): number[] {
    const ports = new Set<number>();
    for (const s of Object.values(model.services)) {
        ports.add(s.port);
        if (s.healthCheck.port !== undefined) {
            ports.add(s.healthCheck.port);
        }
    }
    return [...ports].sort((a, b) => a - b);
}

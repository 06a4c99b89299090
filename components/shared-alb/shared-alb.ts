import * as aws from "../internal/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterOutputs, NetworkOutputs, ServiceOutputs, TargetGroupOutputs } from "../internal/contract";
import { NodePortRange } from "../internal/validate";
import { SharedAlbArgs } from "./args";
import { nameKey } from "./naming";
import { RegistrarPolicyName, registrarPermissions, registrarTrustPolicy } from "./policy";
import { RulePlan, ServiceAction, listenerPlan, ruleConditions, ruleKey } from "./rules";
import { ClusterModel, FleetModel, ServiceModel, validateSharedAlbArgs } from "./validate";
import { subnetArn } from "./vpc-sharing";

/** Tag keys shared-alb puts on what it creates (the doctor reads them). */
export const TagKeys = {
    loadBalancer: "shared-alb:load-balancer",
    cluster: "shared-alb:cluster",
    service: "shared-alb:service",
    /** On preview rules: `service` (a service's conditions plus the header) or `default-action` (the header only). */
    preview: "shared-alb:preview",
} as const;

/**
 * The pet Application Load Balancer in front of several clusters: the ALB
 * (created with deletion protection and Pulumi `protect`, or adopted
 * read-only), its security group, listeners, one rule per service (and with
 * preview routes one per cluster and service), one target group per cluster
 * and service it runs, and a registrar role per cross-account cluster. Every
 * child is keyed by cluster key and service name, so adding, removing or
 * re-weighting a cluster never touches the ALB or another cluster's
 * resources, and rule priorities never depend on the other services.
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
    /** Target groups by cluster key, then service name (the services the cluster runs). */
    readonly targetGroups: Record<string, Record<string, aws.lb.TargetGroup>>;
    /** Listener rules by key: `rule-<service>`, `preview-<service>-<cluster>`, `default-preview-<cluster>`. */
    readonly rules: Record<string, aws.lb.ListenerRule>;
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
                    this, /* hideStack: a config error, not a bug */ true);
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

        // Target groups: one per cluster and service it runs.
        this.targetGroups = {};
        for (const cluster of Object.values(model.clusters)) {
            this.targetGroups[cluster.key] = {};
            for (const service of Object.values(model.services).filter(x => x.clusters.includes(cluster.key))) {
                // The cluster's own target group: the service's settings with its serviceOverrides.
                const tg = service.targetGroups[cluster.key];
                const hc = tg.healthCheck;
                this.targetGroups[cluster.key][service.name] = new aws.lb.TargetGroup(`${name}-tg-${cluster.key}-${service.name}`, {
                    name: tg.name,
                    vpcId,
                    port: tg.port,
                    protocol: tg.protocol,
                    targetType: tg.targetType,
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
        this.rules = {};
        for (const rule of plan.rules) {
            this.rules[ruleKey(rule)] = new aws.lb.ListenerRule(`${name}-${ruleKey(rule)}`, {
                listenerArn: rulesListener,
                priority: rule.priority,
                conditions: ruleConditions(rule),
                actions: [toAction(rule.action)],
                tags: tags(ruleTags(rule)),
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
        // Egress to the targets keeps its logical name for the primary CIDR (`<name>-out-<ports>`); other CIDRs add theirs.
        for (const range of targetPortRanges(model)) {
            model.vpcCidrs.forEach((cidr, i) => {
                new aws.vpc.SecurityGroupEgressRule(`${name}-out-${portsKey(range)}${i === 0 ? "" : `-${nameKey(cidr)}`}`, {
                    securityGroupId, ipProtocol: "tcp", fromPort: range.fromPort, toPort: range.toPort, cidrIpv4: cidr,
                    description: egressDescription(range),
                }, { parent: this });
            });
        }
    }

    private networkOutputs(model: FleetModel, lb: aws.lb.LoadBalancer): pulumi.Output<NetworkOutputs> {
        const services = Object.fromEntries(Object.values(model.services).map(s => [s.name, this.serviceOutputs(model, s)]));
        const clusters = Object.fromEntries(Object.values(model.clusters).map(c => [c.key, this.clusterOutputs(model, c)]));
        const preview = model.preview;
        const defaultPreviews = Object.fromEntries(Object.keys(preview?.defaultActionPriorities ?? {}).map(c => [c, this.rules[`default-preview-${c}`].arn]));
        const sharing = model.vpcSharing;
        const lbFacts = pulumi.all([lb.arn, lb.name, lb.dnsName, lb.zoneId]);
        return pulumi.all([lbFacts, this.securityGroupId, this.listenerArns, pulumi.all(services), pulumi.all(clusters),
            this.resourceShare ? this.resourceShare.arn : undefined, pulumi.all(defaultPreviews)])
            .apply(([[arn, lbName, dnsName, zoneId], securityGroupId, listenerArns, serviceOutputs, clusterOutputs, resourceShareArn, defaultPreviewArns]) => {
                const out: NetworkOutputs = {
                    accountId: model.accountId,
                    region: model.region,
                    vpcId: model.vpcId,
                    securityGroupId,
                    loadBalancer: { arn, name: lbName, dnsName, zoneId, securityGroupId, listenerArns },
                    services: serviceOutputs,
                    clusters: clusterOutputs,
                };
                if (model.defaultService !== undefined) {
                    out.defaultService = model.defaultService;
                }
                if (preview !== undefined) {
                    out.preview = { header: preview.header, defaultActionRuleArns: defaultPreviewArns };
                }
                if (sharing !== undefined && resourceShareArn !== undefined) {
                    out.vpcSharing = { resourceShareArn, subnetIds: [...sharing.subnetIds], principals: [...sharing.principals] };
                }
                return out;
            });
    }
    /** A service's entry of the outputs: its target groups' shape, weights, conditions and rule ARNs. */
    private serviceOutputs(model: FleetModel, s: ServiceModel): pulumi.Output<ServiceOutputs> {
        const ruleArn = this.rules[`rule-${s.name}`]?.arn;
        const previews = Object.fromEntries(Object.keys(s.previewPriorities).map(c => [c, this.rules[`preview-${s.name}-${c}`].arn]));
        return pulumi.all([ruleArn, pulumi.all(previews)]).apply(([arn, previewRuleArns]) => {
            const out: ServiceOutputs = {
                port: s.port, protocol: s.protocol, targetType: s.targetType, weights: { ...s.weights }, hosts: [...s.hosts], paths: [...s.paths],
            };
            if (s.nodePort !== undefined) {
                out.nodePort = s.nodePort;
            }
            if (arn !== undefined) {
                out.ruleArn = arn;
                out.priority = s.priority;
            }
            if (model.preview !== undefined) {
                out.previewRuleArns = previewRuleArns;
            }
            return out;
        });
    }

    /** A cluster's entry of the outputs: what its stack needs to attach (roles, the services it runs, their target groups). */
    private clusterOutputs(model: FleetModel, c: ClusterModel): pulumi.Output<ClusterOutputs> {
        const targetGroups: Record<string, pulumi.Output<TargetGroupOutputs>> = {};
        for (const [service, tg] of Object.entries(this.targetGroups[c.key])) {
            const m = model.services[service].targetGroups[c.key];
            targetGroups[service] = pulumi.all([tg.arn, tg.name]).apply(([arn, tgName]) => {
                const out: TargetGroupOutputs = { arn, name: tgName, port: m.port, protocol: m.protocol, targetType: m.targetType };
                if (m.healthCheck.port !== undefined) {
                    out.healthCheckPort = m.healthCheck.port;
                }
                if (m.nodePort !== undefined) {
                    out.nodePort = m.nodePort;
                }
                return out;
            });
        }
        const registrar = this.registrarRoles[c.key];
        return pulumi.all([pulumi.all(targetGroups), registrar ? registrar.arn : undefined]).apply(([tgs, registrarRoleArn]) => {
            const out: ClusterOutputs = {
                accountId: c.accountId, weight: c.weight, retiring: c.retiring, controllerRoleArn: c.controllerRoleArn, services: [...c.services],
                targetGroups: tgs,
            };
            if (model.preview !== undefined) {
                out.previewSlot = c.previewSlot;
            }
            if (registrarRoleArn !== undefined) {
                out.registrarRoleArn = registrarRoleArn;
                out.externalId = c.externalId;
            }
            return out;
        });
    }
}

/** Tags of a listener rule: the service (the doctor's fallback when the outputs lack the rule's ARN), and the cluster of a preview rule. */
function ruleTags(rule: RulePlan): Record<string, string> {
    const extra: Record<string, string> = { [TagKeys.service]: rule.service };
    if (rule.cluster !== undefined) {
        extra[TagKeys.cluster] = rule.cluster;
        extra[TagKeys.preview] = rule.kind === "default-preview" ? "default-action" : "service";
    }
    return extra;
}

/** One port range the ALB must reach in the VPC, and why (`web (ip: traffic and health checks)`). */
export interface TargetPortRange {
    fromPort: number;
    toPort: number;
    reasons: string[];
}

/**
 * The ports the ALB must reach in the VPC, per target group (each cluster's
 * own, after its `serviceOverrides`): `ip` targets on the target group's
 * port and the health-check port; `instance` targets on the declared
 * NodePort, else the whole NodePort range 30000-32767 (targets are
 * registered, and health-checked on `traffic-port`, on their NodePort), and
 * the health-check port. Sorted, one entry per distinct range; a reason
 * names the clusters when not every cluster of the service needs the range.
 */
export function targetPortRanges(model: FleetModel): TargetPortRange[] {
    // range -> reason -> clusters needing it for that reason
    const ranges = new Map<string, { fromPort: number; toPort: number; reasons: Map<string, { service: string; clusters: string[] }> }>();
    const need = (fromPort: number, toPort: number, service: string, what: string, cluster: string) => {
        const key = `${fromPort}-${toPort}`;
        const entry = ranges.get(key) ?? { fromPort, toPort, reasons: new Map() };
        const reason = entry.reasons.get(`${service} ${what}`) ?? { service, clusters: [] };
        reason.clusters.push(cluster);
        entry.reasons.set(`${service} ${what}`, reason);
        ranges.set(key, entry);
    };
    const services = Object.values(model.services).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const s of services) {
        for (const cluster of s.clusters) {
            const tg = s.targetGroups[cluster];
            const hcPort = tg.healthCheck.port;
            const what = hcPort === undefined ? "traffic and health checks" : "traffic";
            if (tg.targetType === "ip") {
                need(tg.port, tg.port, s.name, `(ip: ${what})`, cluster);
            } else if (tg.nodePort !== undefined) {
                need(tg.nodePort, tg.nodePort, s.name, `(instance: NodePort, ${what})`, cluster);
            } else {
                need(NodePortRange.from, NodePortRange.to, s.name, `(instance: NodePort range, ${what})`, cluster);
            }
            if (hcPort !== undefined) {
                need(hcPort, hcPort, s.name, `(${tg.targetType}: health checks)`, cluster);
            }
        }
    }
    const clustersOf = (service: string) => services.find(s => s.name === service)!.clusters;
    return [...ranges.values()].sort((a, b) => a.fromPort - b.fromPort || a.toPort - b.toPort).map(r => ({
        fromPort: r.fromPort,
        toPort: r.toPort,
        reasons: [...r.reasons.entries()].map(([key, { service, clusters }]) => {
            const what = key.slice(service.length + 1);
            return clusters.length === clustersOf(service).length ? `${service} ${what}` : `${service} on ${clusters.join(", ")} ${what}`;
        }),
    }));
}

/** `8080`, or `30000-32767` for a range. */
export function portsKey(range: { fromPort: number; toPort: number }): string {
    return range.fromPort === range.toPort ? `${range.fromPort}` : `${range.fromPort}-${range.toPort}`;
}

/** A security group rule description (at most 255 characters) saying which targets a port range is for. */
export function egressDescription(range: TargetPortRange): string {
    const text = `targets on ${portsKey(range)}: ${range.reasons.join(", ")}`;
    return text.length <= 255 ? text : `${text.slice(0, 252)}...`;
}

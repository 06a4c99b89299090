import * as aws from "../internal/aws";
import * as pulumi from "@pulumi/pulumi";
import { subnetArn } from "../internal/arn";
import { NetworkOutputs } from "../internal/contract";
import { SharedAlbArgs } from "./args";
import { ClusterModel, FleetModel, ServiceModel } from "./model";
import { nameKey } from "./naming";
import { networkOutputs } from "./outputs";
import { RegistrarPolicyName, registrarPermissions, registrarTrustPolicy } from "./policy";
import { egressDescription, portsKey, targetPortRanges } from "./ports";
import { RulePlan, ServiceAction, listenerPlan, ruleConditions, ruleKey } from "./rules";
import { validateSharedAlbArgs } from "./validate";

export { TargetPortRange, egressDescription, targetPortRanges } from "./ports";

/** Tag keys shared-alb puts on what it creates (the doctor reads them). */
export const TagKeys = {
    loadBalancer: "shared-alb:load-balancer",
    cluster: "shared-alb:cluster",
    service: "shared-alb:service",
    /** On preview rules: `service` (a service's conditions plus the header) or `default-action` (the header only). */
    preview: "shared-alb:preview",
} as const;

/**
 * What every child waits on: the check that the deploying credentials are in
 * the network account, so none is created with the wrong credentials.
 */
interface Facts {
    /** Resolves once the deploying credentials are found in the network account. */
    ready: pulumi.Output<string>;
    /** The VPC ID, once the credentials are checked. */
    vpcId: pulumi.Output<string>;
}

/** The load balancer and the security group the clusters allow in. */
interface Balancer {
    lb: aws.lb.LoadBalancer;
    securityGroupId: pulumi.Output<string>;
}

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
        const model = validateSharedAlbArgs({ ...args, region: args.region ?? aws.config.region });
        super("shared-alb:index:SharedAlb", name, {}, opts);
        this.model = model;
        const facts = this.facts(model);
        const balancer = this.balancer(name, model, facts);
        this.targetGroups = this.targetGroupsOf(name, model, facts);
        const listenerArns = this.listeners(name, model, balancer.lb);
        this.rules = this.listenerRules(name, model, listenerArns);
        this.registrarRoles = this.registrarRolesOf(name, model, facts);
        this.resourceShare = this.subnetShare(name, model, facts);

        this.loadBalancerArn = balancer.lb.arn;
        this.dnsName = balancer.lb.dnsName;
        this.zoneId = balancer.lb.zoneId;
        this.securityGroupId = balancer.securityGroupId;
        this.listenerArns = pulumi.all(listenerArns);
        this.outputs = networkOutputs(model, {
            loadBalancer: balancer.lb, securityGroupId: balancer.securityGroupId, listenerArns: this.listenerArns,
            targetGroups: this.targetGroups, ruleArns: mapValues(this.rules, r => r.arn), registrarRoleArns: mapValues(this.registrarRoles, r => r.arn),
            resourceShareArn: this.resourceShare?.arn,
        });
        this.registerOutputs({ outputs: this.outputs });
    }

    /** The check that the deploying credentials are in the network account, which every child waits on. */
    private facts(model: FleetModel): Facts {
        const verified = aws.getCallerIdentityOutput({}, { parent: this }).accountId.apply(actual => {
            if (actual !== model.accountId) {
                throw new pulumi.ResourceError(
                    `accountId: got ${JSON.stringify(model.accountId)}; the AWS credentials are for account ${actual}: deploy the network stack with the network account's credentials`,
                    this, /* hideStack: a config error, not a bug */ true);
            }
            return actual;
        });
        return { ready: verified, vpcId: verified.apply(() => model.vpcId) };
    }

    /** The security group (created with its rules, or adopted) and the load balancer (created, or adopted read-only). */
    private balancer(name: string, model: FleetModel, facts: Facts): Balancer {
        const lbModel = model.loadBalancer;
        const parent = { parent: this };
        if (lbModel.existingArn !== undefined) {
            return {
                securityGroupId: pulumi.output(present(lbModel.existingSecurityGroupId)),
                lb: aws.lb.LoadBalancer.get(`${name}-alb`, lbModel.existingArn, undefined, parent),
            };
        }
        const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
            name: `${lbModel.name}-alb`,
            description: `ALB ${lbModel.name}: listener ports in, target ports out to the VPC`,
            vpcId: facts.vpcId,
            revokeRulesOnDelete: true,
            tags: tagged(model, { Name: `${lbModel.name}-alb` }),
        }, parent);
        this.securityGroupRules(name, model, sg.id);
        const lb = new aws.lb.LoadBalancer(`${name}-alb`, {
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
            tags: tagged(model, { Name: lbModel.name }),
        }, { parent: this, protect: lbModel.protect });
        return { lb, securityGroupId: sg.id };
    }

    /** Ingress on the listener ports from the allowed CIDRs and prefix lists; egress to the targets' ports in the VPC. */
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

    /** One target group per cluster and service it runs, with the cluster's own settings; its name covers what replaces it. */
    private targetGroupsOf(name: string, model: FleetModel, facts: Facts): Record<string, Record<string, aws.lb.TargetGroup>> {
        const out: Record<string, Record<string, aws.lb.TargetGroup>> = {};
        for (const cluster of Object.values(model.clusters)) {
            out[cluster.key] = {};
            for (const service of Object.values(model.services).filter(x => x.clusters.includes(cluster.key))) {
                out[cluster.key][service.name] = this.targetGroup(name, model, facts, cluster, service);
            }
        }
        return out;
    }

    private targetGroup(name: string, model: FleetModel, facts: Facts, cluster: ClusterModel, service: ServiceModel): aws.lb.TargetGroup {
        const tg = service.targetGroups[cluster.key];
        const hc = tg.healthCheck;
        return new aws.lb.TargetGroup(`${name}-tg-${cluster.key}-${service.name}`, {
            name: tg.name,
            vpcId: facts.vpcId,
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
            tags: tagged(model, { [TagKeys.cluster]: cluster.key, [TagKeys.service]: service.name }),
        }, { parent: this });
    }

    /** The HTTP and HTTPS listeners (HTTP redirecting when certificates are given) and the extra certificates; or the adopted listener. */
    private listeners(name: string, model: FleetModel, lb: aws.lb.LoadBalancer): Record<string, pulumi.Output<string>> {
        const lbModel = model.loadBalancer;
        const plan = listenerPlan(model);
        const parent = { parent: this };
        if (!plan.createListeners) {
            return { existing: pulumi.output(present(lbModel.existingListenerArn)) };
        }
        const http = new aws.lb.Listener(`${name}-http`, {
            loadBalancerArn: lb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [plan.https
                ? { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }
                : this.action(plan.defaultAction)],
            tags: tagged(model),
        }, parent);
        if (!plan.https) {
            return { http: http.arn };
        }
        const [first, ...more] = lbModel.certificateArns;
        const https = new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: lb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: lbModel.sslPolicy,
            certificateArn: first,
            defaultActions: [this.action(plan.defaultAction)],
            tags: tagged(model),
        }, parent);
        for (const certificateArn of more) {
            new aws.lb.ListenerCertificate(`${name}-cert-${nameKey(certificateArn.split("/").pop() ?? certificateArn)}`, {
                listenerArn: https.arn,
                certificateArn,
            }, parent);
        }
        return { http: http.arn, https: https.arn };
    }

    /** One rule per service with conditions, and with preview routes one per cluster and service (and default action). */
    private listenerRules(name: string, model: FleetModel, listenerArns: Record<string, pulumi.Output<string>>): Record<string, aws.lb.ListenerRule> {
        const plan = listenerPlan(model);
        const out: Record<string, aws.lb.ListenerRule> = {};
        for (const rule of plan.rules) {
            out[ruleKey(rule)] = new aws.lb.ListenerRule(`${name}-${ruleKey(rule)}`, {
                listenerArn: listenerArns[plan.rulesOn],
                priority: rule.priority,
                conditions: ruleConditions(rule),
                actions: [this.action(rule.action)],
                tags: tagged(model, ruleTags(rule)),
            }, { parent: this });
        }
        return out;
    }

    /** A listener or rule action: a forward to the clusters' target groups, or a fixed response. */
    private action(action: ServiceAction | { kind: "not-found" }): aws.types.input.lb.ListenerDefaultAction {
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
                        stickiness: action.stickinessDuration === undefined ? undefined : { enabled: true, duration: action.stickinessDuration },
                    },
                };
        }
    }

    /** A registrar role per cross-account cluster, trusted by its controller role only, registering into its own target groups only. */
    private registrarRolesOf(name: string, model: FleetModel, facts: Facts): Record<string, aws.iam.Role> {
        const out: Record<string, aws.iam.Role> = {};
        for (const cluster of Object.values(model.clusters).filter(c => c.crossAccount)) {
            const role = new aws.iam.Role(`${name}-registrar-${cluster.key}`, {
                name: facts.ready.apply(() => present(cluster.registrarRoleName)),
                description: `Lets the load balancer controller of cluster ${cluster.key} (account ${cluster.accountId}) register targets into its target groups of ALB ${model.loadBalancer.name}`,
                assumeRolePolicy: JSON.stringify(registrarTrustPolicy(model.partition, cluster.accountId, cluster.controllerRoleArn, present(cluster.externalId))),
                maxSessionDuration: 3600,
                tags: tagged(model, { [TagKeys.cluster]: cluster.key }),
            }, { parent: this });
            const arns = Object.values(this.targetGroups[cluster.key]).map(tg => tg.arn);
            new aws.iam.RolePolicy(`${name}-registrar-${cluster.key}`, {
                role: role.name,
                name: RegistrarPolicyName,
                policy: pulumi.all(arns).apply(list => JSON.stringify(registrarPermissions(list))),
            }, { parent: this });
            out[cluster.key] = role;
        }
        return out;
    }

    /** The subnets shared with the cluster accounts, keyed by subnet ID and principal (`vpcSharing`). */
    private subnetShare(name: string, model: FleetModel, facts: Facts): aws.ram.ResourceShare | undefined {
        const sharing = model.vpcSharing;
        if (sharing === undefined) {
            return undefined;
        }
        const share = new aws.ram.ResourceShare(`${name}-share`, {
            name: facts.ready.apply(() => sharing.name),
            allowExternalPrincipals: false,
            tags: tagged(model),
        }, { parent: this });
        for (const subnetId of sharing.subnetIds) {
            new aws.ram.ResourceAssociation(`${name}-share-${subnetId}`, {
                resourceShareArn: share.arn,
                resourceArn: subnetArn(model.partition, model.region, model.accountId, subnetId),
            }, { parent: this });
        }
        for (const principal of sharing.principals) {
            new aws.ram.PrincipalAssociation(`${name}-share-${nameKey(principal)}`, {
                resourceShareArn: share.arn,
                principal,
            }, { parent: this });
        }
        return share;
    }
}

/** The tags of a resource: the configured ones, the ALB's name, then the resource's own. */
function tagged(model: FleetModel, extra: Record<string, string> = {}): Record<string, string> {
    return { ...model.tags, [TagKeys.loadBalancer]: model.loadBalancer.name, ...extra };
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

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/** A value the model holds in the case at hand (an adopted ALB's listener, a cross-account cluster's registrar role). */
function present<T>(value: T | undefined): T {
    if (value === undefined) {
        throw new Error("shared-alb: a value the validated model holds in this case is missing");
    }
    return value;
}

import * as aws from "../internal/aws";
import * as pulumi from "@pulumi/pulumi";
import { configChecked } from "../internal/config-checked";
import * as random from "../internal/random";
import { externalId, subnetArn } from "../internal/arn";
import { ClusterOutputs, NetworkOutputs } from "../internal/contract";
import { dataMap, own } from "../internal/data";
import { Problems } from "../internal/errors";
import { awsProviderOf, providerRegion } from "../internal/aws-provider";
import { containsUnresolved } from "../internal/unresolved";
import { NetworkCredentialsFix, checkCredentialsAccount } from "../internal/account";
import { Reader, join, readOrThrow } from "../internal/read";
import { SharedAlbArgs } from "./args";
import { ClusterPlan, FleetInputs, FleetPlan, ServicePlan, fleetModel } from "./model";
import { ExternalIdPassword, nameKey } from "./naming";
import { NetworkStackOutputs, clustersWithExternalIds, networkOutputs, networkStackOutputs } from "./outputs";
import { RegistrarPolicyName, registrarPermissions, registrarTrustPolicy } from "./policy";
import { egressDescription, portsKey, targetPortRanges } from "./ports";
import { RulePlan, ServiceAction, listenerPlan, previewHeaderValue, ruleConditions, ruleKey } from "./rules";
import { SecretInputs, secretInputsOf } from "./secret-inputs";
import { SharedAlbInputValues, inputValuesOf, planSharedAlbArgs, previewToken, readSharedAlbInputs } from "./validate";

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
interface AccountChecked {
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

/** The target groups by cluster key, then service name. */
type TargetGroups = Record<string, Record<string, aws.lb.TargetGroup>>;

/** The contract as a stack exports it, by component (see `stackOutputs`). */
const stackOutputsOf = new WeakMap<SharedAlb, NetworkStackOutputs>();

/**
 * The pet Application Load Balancer in front of several clusters: the ALB
 * (created with deletion protection and Pulumi protect, or adopted
 * read-only), its security group, listeners, one rule per service (and with
 * preview routes one per cluster and service), one target group per cluster
 * and service it runs, and a registrar role per cross-account cluster. Every
 * child is keyed by cluster key and service name, so adding, removing or
 * re-weighting a cluster never touches the ALB or another cluster's
 * resources, and rule priorities never depend on the other services. Its
 * ARNs are built in the region given, or else in its AWS provider's.
 */
export class SharedAlb extends pulumi.ComponentResource {
    /** The ALB's ARN (the adopted one's with loadBalancer.existingArn). */
    readonly loadBalancerArn: pulumi.Output<string>;
    /** The ALB's DNS name: point the services' host names at it (CNAME, or a Route 53 alias with zoneId). */
    readonly dnsName: pulumi.Output<string>;
    /** The ALB's canonical hosted zone ID, for Route 53 alias records. */
    readonly zoneId: pulumi.Output<string>;
    /** The ALB's security group (created, or loadBalancer.existingSecurityGroupId), which the cluster stacks allow into their nodes and pods. */
    readonly securityGroupId: pulumi.Output<string>;
    /** Listener ARNs by role: http (port 80), https (port 443, when certificates are given), or existing (the adopted listener). */
    readonly listenerArns: pulumi.Output<Record<string, string>>;
    /** Target group ARNs by cluster key, then service name (the services each cluster runs). */
    readonly targetGroupArns: pulumi.Output<Record<string, Record<string, string>>>;
    /** Target group names by cluster key, then service name; a name changes when its target group is replaced (port, protocol, target type, VPC). */
    readonly targetGroupNames: pulumi.Output<Record<string, Record<string, string>>>;
    /**
     * The ARN of each service's listener rule, by service name. A default
     * service without hosts or paths has no rule. Preview rules are in outputs
     * (services.NAME.previewRuleArns and preview.defaultActionRuleArns).
     */
    readonly ruleArns: pulumi.Output<Record<string, string>>;
    /** Registrar role ARNs by cluster key: only the clusters in another account than accountId have one. */
    readonly registrarRoleArns: pulumi.Output<Record<string, string>>;
    /**
     * The contract's `clusters` (as in `outputs`) with each cross-account
     * cluster's `externalId`: a secret, since it holds the external IDs.
     */
    readonly clusters: pulumi.Output<Record<string, ClusterOutputs>>;
    /** The ARN of the AWS RAM resource share of the cluster subnets; undefined without vpcSharing. */
    readonly resourceShareArn: pulumi.Output<string | undefined>;
    /**
     * The network outputs contract, which the network stack exports and the
     * cluster stacks, shared-alb manifests and shared-alb doctor read: the
     * account, region, VPC, load balancer, and per service and per cluster
     * what a cluster stack needs to attach (docs/outputs.md), except the
     * clusters' external IDs, secrets that would make all of it a secret:
     * they are in `clusters`, and in `stackOutputs`, the contract to export.
     */
    readonly outputs: pulumi.Output<NetworkOutputs>;

    constructor(name: string, args: SharedAlbArgs, opts?: pulumi.ComponentResourceOptions) {
        const awsProvider = awsProviderOf(opts);
        // Everything known now is read and checked before anything, the component included, is registered: the plan, and its inputs when
        // every one is plain; inputs that are Outputs once they resolve, failing on this component with the message a plain value gets.
        const plan = planSharedAlbArgs(args, awsProvider !== undefined);
        const given = inputValuesOf(args);
        const regionFromProvider = given.region === undefined || given.region === null ? awsProvider : undefined;
        const inputsNow = regionFromProvider !== undefined || containsUnresolved(given) ? undefined : readSharedAlbInputs(plan, given);
        super("shared-alb:index:SharedAlb", name, {}, opts);
        const secrets = secretInputsOf({ ...args });
        const inputs = this.inputsChecked(plan, given, inputsNow, regionFromProvider);
        const account = this.accountChecked(plan, inputs);
        const balancer = this.balancer(name, plan, inputs, account);
        const targetGroups = this.targetGroupsOf(name, plan, inputs, account);
        const listenerArns = this.listeners(name, plan, inputs, balancer.lb, targetGroups);
        const rules = this.listenerRules(name, plan, inputs, listenerArns, targetGroups, this.previewToken(plan, secrets));
        const externalIds = this.externalIdsOf(name, plan, secrets);
        const registrarRoles = this.registrarRolesOf(name, plan, inputs, account, targetGroups, externalIds);
        const resourceShare = this.subnetShare(name, plan, inputs, account);

        this.loadBalancerArn = balancer.lb.arn;
        this.dnsName = balancer.lb.dnsName;
        this.zoneId = balancer.lb.zoneId;
        this.securityGroupId = balancer.securityGroupId;
        this.listenerArns = pulumi.all(listenerArns);
        this.targetGroupArns = pulumi.all(mapValues(targetGroups, tgs => pulumi.all(mapValues(tgs, tg => tg.arn))));
        this.targetGroupNames = pulumi.all(mapValues(targetGroups, tgs => pulumi.all(mapValues(tgs, tg => tg.name))));
        this.ruleArns = pulumi.all(serviceRuleArns(plan, rules));
        this.registrarRoleArns = pulumi.all(mapValues(registrarRoles, r => r.arn));
        this.resourceShareArn = resourceShare === undefined ? pulumi.output(undefined) : resourceShare.arn;
        this.outputs = networkOutputs(
            inputs.apply(i => fleetModel(plan, i)),
            {
                loadBalancer: balancer.lb,
                securityGroupId: balancer.securityGroupId,
                listenerArns: this.listenerArns,
                targetGroups: mapValues(targetGroups, tgs => mapValues(tgs, tg => ({ arn: tg.arn, name: tg.name }))),
                ruleArns: mapValues(rules, r => r.arn),
                registrarRoleArns: mapValues(registrarRoles, r => r.arn),
                resourceShareArn: resourceShare?.arn,
            },
        );
        this.clusters = clustersWithExternalIds(this.outputs, externalIds);
        stackOutputsOf.set(this, networkStackOutputs(plan, this.outputs, externalIds));
        this.registerOutputs({
            loadBalancerArn: this.loadBalancerArn,
            dnsName: this.dnsName,
            zoneId: this.zoneId,
            securityGroupId: this.securityGroupId,
            listenerArns: this.listenerArns,
            targetGroupArns: this.targetGroupArns,
            targetGroupNames: this.targetGroupNames,
            ruleArns: this.ruleArns,
            registrarRoleArns: this.registrarRoleArns,
            clusters: this.clusters,
            resourceShareArn: this.resourceShareArn,
            outputs: this.outputs,
        });
    }

    /**
     * The whole network outputs contract as a stack exports it (external IDs
     * included, each a secret of its own): `export const { accountId, ... } =
     * alb.stackOutputs`. A TypeScript getter, not an output of the
     * component's schema (its clusters' fields are Outputs each).
     */
    get stackOutputs(): NetworkStackOutputs {
        return stackOutputsOf.get(this)!;
    }

    /**
     * The inputs: as read before registration when every one is plain, else
     * read once they resolve (the region from the AWS provider when not
     * given), failing on this component with the message a plain value gets.
     */
    private inputsChecked(
        plan: FleetPlan,
        given: SharedAlbInputValues,
        inputsNow: FleetInputs | undefined,
        regionFromProvider: pulumi.ProviderResource | undefined,
    ): pulumi.Output<FleetInputs> {
        if (inputsNow !== undefined) {
            return pulumi.output(inputsNow);
        }
        const values: SharedAlbInputValues =
            regionFromProvider === undefined ? given : { ...given, region: providerRegion(regionFromProvider, this) };
        return pulumi.output(values).apply(v => configChecked(this, () => readSharedAlbInputs(plan, v as SharedAlbInputValues)));
    }

    /** A secret argument, checked once it resolves (a plain one was checked with the rest), and kept a secret. */
    private checkedSecret(reader: Reader<string>, path: string, value: unknown): pulumi.Output<string> {
        return pulumi.secret(
            pulumi.output(value as pulumi.Input<string>).apply((v: unknown) =>
                configChecked(this, () => {
                    const read = readOrThrow(reader, path, v);
                    if (read === undefined) {
                        throw new Error(`shared-alb: ${path} was refused, and no problem was recorded`);
                    }
                    return read;
                }),
            ),
        );
    }

    /** The preview token, a secret, when the header values carry one. */
    private previewToken(plan: FleetPlan, secrets: SecretInputs): pulumi.Output<string> | undefined {
        return plan.preview?.token ? this.checkedSecret(previewToken, join("preview", "token"), secrets.previewToken) : undefined;
    }

    /**
     * The external ID of each cross-account cluster, a secret: the one given,
     * or a random one kept in state, keyed by cluster (adding or removing a
     * cluster leaves every other's alone).
     */
    private externalIdsOf(name: string, plan: FleetPlan, secrets: SecretInputs): Record<string, pulumi.Output<string>> {
        // A data map: a same-account cluster named like an Object member (`constructor`) has no ID, not that member.
        const out = dataMap<pulumi.Output<string>>();
        for (const c of Object.values(plan.clusters).filter(x => x.crossAccount)) {
            out[c.key] =
                c.externalId === "given"
                    ? this.checkedSecret(externalId, join(join("clusters", c.key), "externalId"), own(secrets.externalIds, c.key))
                    : pulumi.secret(
                          new random.RandomPassword(`${name}-external-id-${c.key}`, { ...ExternalIdPassword }, { parent: this }).result,
                      );
        }
        return out;
    }

    /** The check that the deploying credentials are in the network account, which every child waits on. */
    private accountChecked(plan: FleetPlan, inputs: pulumi.Output<FleetInputs>): AccountChecked {
        const verified = aws.getCallerIdentityOutput({}, { parent: this }).accountId.apply(actual =>
            configChecked(this, () => {
                const problems = new Problems();
                checkCredentialsAccount(problems, "accountId", plan.accountId, actual, NetworkCredentialsFix);
                problems.throwIfAny();
                return actual;
            }),
        );
        return { ready: verified, vpcId: pulumi.all([verified, inputs]).apply(([, i]) => i.vpcId) };
    }

    /** The security group (created with its rules, or adopted) and the load balancer (created, or adopted read-only). */
    private balancer(name: string, plan: FleetPlan, inputs: pulumi.Output<FleetInputs>, account: AccountChecked): Balancer {
        const lbModel = plan.loadBalancer;
        const parent = { parent: this };
        if (lbModel.existingArn !== undefined) {
            return {
                securityGroupId: pulumi.output(required(lbModel.existingSecurityGroupId, "loadBalancer.existingSecurityGroupId")),
                lb: aws.lb.LoadBalancer.get(`${name}-alb`, lbModel.existingArn, undefined, parent),
            };
        }
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                name: `${lbModel.name}-alb`,
                description: `ALB ${lbModel.name}: listener ports in, target ports out to the VPC`,
                vpcId: account.vpcId,
                revokeRulesOnDelete: true,
                tags: tagged(plan, inputs, { Name: `${lbModel.name}-alb` }),
            },
            parent,
        );
        this.securityGroupRules(name, plan, inputs, sg.id);
        const lb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                name: lbModel.name,
                loadBalancerType: "application",
                internal: lbModel.internal,
                securityGroups: [sg.id],
                subnets: inputs.apply(i => i.subnetIds),
                enableDeletionProtection: true,
                dropInvalidHeaderFields: true,
                idleTimeout: lbModel.idleTimeout,
                accessLogs:
                    lbModel.accessLogs === undefined
                        ? undefined
                        : { bucket: lbModel.accessLogs.bucket, prefix: lbModel.accessLogs.prefix, enabled: lbModel.accessLogs.enabled },
                // Absent leaves AWS's default (defensive).
                desyncMitigationMode: lbModel.desyncMitigationMode,
                tags: tagged(plan, inputs, { Name: lbModel.name }),
            },
            { parent: this, protect: lbModel.protect },
        );
        this.webAclAssociation(name, plan, inputs, lb);
        return { lb, securityGroupId: sg.id };
    }

    /** The WAF web ACL in front of a created ALB (`loadBalancer.webAclArn`, which may be an Output). */
    private webAclAssociation(name: string, plan: FleetPlan, inputs: pulumi.Output<FleetInputs>, lb: aws.lb.LoadBalancer): void {
        if (!plan.loadBalancer.webAcl) {
            return;
        }
        new aws.wafv2.WebAclAssociation(
            `${name}-waf`,
            {
                resourceArn: lb.arn,
                webAclArn: inputs.apply(i => required(i.webAclArn, "loadBalancer.webAclArn")),
            },
            { parent: this },
        );
    }

    /**
     * Ingress on the listener ports from the allowed CIDRs and prefix lists (plain: they name the rules); egress to the
     * targets' ports in the VPC, each CIDR read from the resolved model (the primary may be an Output).
     */
    private securityGroupRules(
        name: string,
        plan: FleetPlan,
        inputs: pulumi.Output<FleetInputs>,
        securityGroupId: pulumi.Output<string>,
    ): void {
        const lbModel = plan.loadBalancer;
        const listenerPorts = lbModel.certificateCount > 0 ? [80, 443] : [80];
        for (const port of listenerPorts) {
            for (const cidr of lbModel.ingressCidrs) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-in-${port}-${nameKey(cidr)}`,
                    {
                        securityGroupId,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        cidrIpv4: cidr,
                        description: `listener ${port} from ${cidr}`,
                    },
                    { parent: this },
                );
            }
            for (const prefixListId of lbModel.ingressPrefixListIds) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-in-${port}-${prefixListId}`,
                    {
                        securityGroupId,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        prefixListId,
                        description: `listener ${port} from ${prefixListId}`,
                    },
                    { parent: this },
                );
            }
        }
        // Egress to the targets keeps its logical name for the primary CIDR (`<name>-out-<ports>`); other CIDRs (plain) add theirs.
        for (const range of targetPortRanges(plan)) {
            ["", ...plan.secondaryVpcCidrs].forEach((cidr, i) => {
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-out-${portsKey(range)}${i === 0 ? "" : `-${nameKey(cidr)}`}`,
                    {
                        securityGroupId,
                        ipProtocol: "tcp",
                        fromPort: range.fromPort,
                        toPort: range.toPort,
                        cidrIpv4: inputs.apply(v => v.vpcCidrs[i]),
                        description: egressDescription(range),
                    },
                    { parent: this },
                );
            });
        }
    }

    /** One target group per cluster and service it runs, with the cluster's own settings; its name covers what replaces it. */
    private targetGroupsOf(name: string, plan: FleetPlan, inputs: pulumi.Output<FleetInputs>, account: AccountChecked): TargetGroups {
        const out: TargetGroups = {};
        for (const cluster of Object.values(plan.clusters)) {
            out[cluster.key] = {};
            for (const service of Object.values(plan.services).filter(x => x.clusters.includes(cluster.key))) {
                out[cluster.key][service.name] = this.targetGroup(name, plan, inputs, account, cluster, service);
            }
        }
        return out;
    }

    private targetGroup(
        name: string,
        plan: FleetPlan,
        inputs: pulumi.Output<FleetInputs>,
        account: AccountChecked,
        cluster: ClusterPlan,
        service: ServicePlan,
    ): aws.lb.TargetGroup {
        const tg = service.targetGroups[cluster.key];
        const hc = tg.healthCheck;
        return new aws.lb.TargetGroup(
            `${name}-tg-${cluster.key}-${service.name}`,
            {
                // The name covers the VPC, which may be an Output.
                name: inputs.apply(i => i.targetGroupNames[cluster.key][service.name]),
                vpcId: account.vpcId,
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
                tags: tagged(plan, inputs, { [TagKeys.cluster]: cluster.key, [TagKeys.service]: service.name }),
            },
            { parent: this },
        );
    }

    /** The HTTP and HTTPS listeners (HTTP redirecting when certificates are given) and the extra certificates; or the adopted listener. */
    private listeners(
        name: string,
        plan: FleetPlan,
        inputs: pulumi.Output<FleetInputs>,
        lb: aws.lb.LoadBalancer,
        targetGroups: TargetGroups,
    ): Record<string, pulumi.Output<string>> {
        const lbModel = plan.loadBalancer;
        const layout = listenerPlan(plan);
        const parent = { parent: this };
        if (!layout.createListeners) {
            return { existing: pulumi.output(required(lbModel.existingListenerArn, "loadBalancer.existingListenerArn")) };
        }
        const http = new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: lb.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [
                    layout.https
                        ? { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }
                        : action(layout.defaultAction, targetGroups),
                ],
                tags: tagged(plan, inputs),
            },
            parent,
        );
        if (!layout.https) {
            return { http: http.arn };
        }
        const more = lbModel.extraCertificateArns;
        const https = new aws.lb.Listener(
            `${name}-https`,
            {
                loadBalancerArn: lb.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: lbModel.sslPolicy,
                // The default certificate may be an Output; the others are plain (they name their resources).
                certificateArn: inputs.apply(i => i.certificateArns[0]),
                defaultActions: [action(layout.defaultAction, targetGroups)],
                tags: tagged(plan, inputs),
            },
            parent,
        );
        for (const certificateArn of more) {
            new aws.lb.ListenerCertificate(
                `${name}-cert-${nameKey(certificateArn.split("/").pop() ?? certificateArn)}`,
                {
                    listenerArn: https.arn,
                    certificateArn,
                },
                parent,
            );
        }
        return { http: http.arn, https: https.arn };
    }

    /** One rule per service with conditions, and with preview routes one per cluster and service (and default action). */
    private listenerRules(
        name: string,
        plan: FleetPlan,
        inputs: pulumi.Output<FleetInputs>,
        listenerArns: Record<string, pulumi.Output<string>>,
        targetGroups: TargetGroups,
        token: pulumi.Output<string> | undefined,
    ): Record<string, aws.lb.ListenerRule> {
        const layout = listenerPlan(plan);
        const out: Record<string, aws.lb.ListenerRule> = {};
        // With a token, a preview header's value is a secret of its own: the rule's other conditions stay readable.
        const headerValue =
            token === undefined ? undefined : (h: { cluster: string }) => token.apply(t => previewHeaderValue(h.cluster, t));
        for (const rule of layout.rules) {
            out[ruleKey(rule)] = new aws.lb.ListenerRule(
                `${name}-${ruleKey(rule)}`,
                {
                    listenerArn: listenerArns[layout.rulesOn],
                    priority: rule.priority,
                    conditions: headerValue === undefined ? ruleConditions(rule) : ruleConditions(rule, headerValue),
                    actions: [action(rule.action, targetGroups)],
                    tags: tagged(plan, inputs, ruleTags(rule)),
                },
                { parent: this },
            );
        }
        return out;
    }

    /** A registrar role per cross-account cluster, trusted by its controller role only, registering into its own target groups only. */
    private registrarRolesOf(
        name: string,
        plan: FleetPlan,
        inputs: pulumi.Output<FleetInputs>,
        account: AccountChecked,
        targetGroups: TargetGroups,
        externalIds: Record<string, pulumi.Output<string>>,
    ): Record<string, aws.iam.Role> {
        const out: Record<string, aws.iam.Role> = {};
        for (const cluster of Object.values(plan.clusters).filter(c => c.crossAccount)) {
            const role = new aws.iam.Role(
                `${name}-registrar-${cluster.key}`,
                {
                    name: account.ready.apply(() =>
                        required(cluster.registrarRoleName, `the registrar role name of clusters.${cluster.key}`),
                    ),
                    description: `Lets the load balancer controller of cluster ${cluster.key} (account ${cluster.accountId}) register targets into its target groups of ALB ${plan.loadBalancer.name}`,
                    // In the region's partition, known once the region is; a secret, as it holds the external ID.
                    assumeRolePolicy: pulumi
                        .all([inputs, externalIds[cluster.key]])
                        .apply(([i, id]) =>
                            JSON.stringify(registrarTrustPolicy(i.partition, cluster.accountId, i.controllerRoleArns[cluster.key], id)),
                        ),
                    maxSessionDuration: 3600,
                    tags: tagged(plan, inputs, { [TagKeys.cluster]: cluster.key }),
                },
                { parent: this },
            );
            const arns = Object.values(targetGroups[cluster.key]).map(tg => tg.arn);
            new aws.iam.RolePolicy(
                `${name}-registrar-${cluster.key}`,
                {
                    role: role.name,
                    name: RegistrarPolicyName,
                    policy: pulumi.all(arns).apply(list => JSON.stringify(registrarPermissions(list))),
                },
                { parent: this },
            );
            out[cluster.key] = role;
        }
        return out;
    }

    /** The subnets shared with the cluster accounts, keyed by subnet ID and principal (`vpcSharing`). */
    private subnetShare(
        name: string,
        plan: FleetPlan,
        inputs: pulumi.Output<FleetInputs>,
        account: AccountChecked,
    ): aws.ram.ResourceShare | undefined {
        const sharing = plan.vpcSharing;
        if (sharing === undefined) {
            return undefined;
        }
        const share = new aws.ram.ResourceShare(
            `${name}-share`,
            {
                name: account.ready.apply(() => sharing.name),
                allowExternalPrincipals: false,
                tags: tagged(plan, inputs),
            },
            { parent: this },
        );
        for (const subnetId of sharing.subnetIds) {
            new aws.ram.ResourceAssociation(
                `${name}-share-${subnetId}`,
                {
                    resourceShareArn: share.arn,
                    resourceArn: inputs.apply(i => subnetArn(i.partition, i.region, plan.accountId, subnetId)),
                },
                { parent: this },
            );
        }
        for (const principal of sharing.principals) {
            new aws.ram.PrincipalAssociation(
                `${name}-share-${nameKey(principal)}`,
                {
                    resourceShareArn: share.arn,
                    principal,
                },
                { parent: this },
            );
        }
        return share;
    }
}

/** A listener or rule action: a forward to the clusters' target groups, or a fixed response. */
function action(act: ServiceAction | { kind: "not-found" }, targetGroups: TargetGroups): aws.types.input.lb.ListenerDefaultAction {
    switch (act.kind) {
        case "not-found":
            return { type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain", messageBody: "Not Found" } };
        case "fixed-response":
            return {
                type: "fixed-response",
                fixedResponse: { statusCode: act.statusCode, contentType: act.contentType, messageBody: act.messageBody },
            };
        case "forward":
            return {
                type: "forward",
                forward: {
                    targetGroups: act.targets.map(t => ({ arn: targetGroups[t.cluster][act.service].arn, weight: t.weight })),
                    stickiness: act.stickinessDuration === undefined ? undefined : { enabled: true, duration: act.stickinessDuration },
                },
            };
    }
}

/** The ARN of each service's own listener rule, by service name; a service without a rule of its own has none. */
function serviceRuleArns(plan: FleetPlan, rules: Record<string, aws.lb.ListenerRule>): Record<string, pulumi.Output<string>> {
    return Object.fromEntries(
        Object.values(plan.services)
            .filter(s => rules[`rule-${s.name}`] !== undefined)
            .map(s => [s.name, rules[`rule-${s.name}`].arn]),
    );
}

/** The tags of a resource: the configured ones (their values may be Outputs), the ALB's name, then the resource's own. */
function tagged(
    plan: FleetPlan,
    inputs: pulumi.Output<FleetInputs>,
    extra: Record<string, string> = {},
): pulumi.Output<Record<string, string>> {
    return inputs.apply((i): Record<string, string> => ({ ...i.tags, [TagKeys.loadBalancer]: plan.loadBalancer.name, ...extra }));
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

/**
 * A value the plan or its inputs hold in the case at hand (an adopted ALB's
 * listener, a cross-account cluster's registrar role, a web ACL the plan
 * says is given); its absence is a bug, named by `what`.
 */
function required<T>(value: T | undefined, what: string): T {
    if (value === undefined) {
        throw new Error(`shared-alb: ${what} is missing where the checked arguments hold it`);
    }
    return value;
}

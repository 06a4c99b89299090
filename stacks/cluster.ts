import { BindingOutput, ClusterAttachment, fromEksCluster, ClusterOutputs, NetworkOutputs } from "../components";
import {
    AdmissionPolicyNeeds,
    AllowedText,
    AttachmentPlan,
    ClusterInputArgs,
    Problems,
    RegionPattern,
    SecurityGroupIdPattern,
    VpcIdPattern,
    checkCredentialsAccount,
    requiredNamespaces,
    servesAdmissionPolicy,
} from "../components/internal";
import { aws, k8s, planAttachment } from "../components/internal/sdk";
import * as pulumi from "@pulumi/pulumi";
import {
    attachmentOptions,
    checkAgainstNetwork,
    ClusterConfigRoot,
    ClusterStackConfig,
    EksDefaults,
    execKubeconfig,
    nodeSecurityGroupsById,
    validateClusterConfigShape,
} from "./cluster-config";
import { configDocument } from "./config-document";
import { findOidcProvider, missingNamespaces, OidcProviderOwnerTag } from "./cluster-lookups";

/** The network outputs a cluster stack needs (it also reads `vpcSharing` when there is one). */
const RequiredNetworkOutputs = ["accountId", "region", "vpcId", "securityGroupId", "services", "clusters"] as const;

/** The network outputs the stack uses, or passes on, before the attachment reads them, and their forms. */
const NetworkOutputForms = {
    region: { pattern: RegionPattern, allowed: AllowedText.region },
    vpcId: { pattern: VpcIdPattern, allowed: AllowedText.vpcId },
    securityGroupId: { pattern: SecurityGroupIdPattern, allowed: AllowedText.securityGroupId },
} as const;

/**
/**
 * The parts of `@pulumi/eks` a stack uses to create a cluster. Kept out of
 * the components, whose published typings must not name `@pulumi/eks`.
 */
interface EksModule {
    Cluster: typeof import("@pulumi/eks/cluster").Cluster;
    AuthenticationMode: typeof import("@pulumi/eks/types/enums").AuthenticationMode;
}

/**
 * Loads `@pulumi/eks`'s `Cluster` and `AuthenticationMode` on demand, with a
 * message that says what to install when the package is absent (it is an
 * optional peer dependency). Loads their own modules, not the package index,
 * which loads every module of `@pulumi/aws` and `@pulumi/kubernetes` for
 * `Cluster` helpers this package never calls.
 */
async function loadEks(): Promise<EksModule> {
    try {
        const [cluster, enums] = await Promise.all([import("@pulumi/eks/cluster"), import("@pulumi/eks/types/enums")]);
        return { Cluster: cluster.Cluster, AuthenticationMode: enums.AuthenticationMode };
    } catch (e) {
        throw new Error(
            `creating an EKS cluster needs the optional peer dependency @pulumi/eks (npm install @pulumi/eks@4.3.0): ${(e as Error).message}`,
        );
    }
}

/**
 * Resolves an output's value (stack reference outputs are known, in preview
 * too). The callback returns nothing: a returned value would be copied and
 * searched for nested outputs, and the network outputs grow with the fleet.
 */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise<T>(resolve =>
        output.apply(v => {
            resolve(v);
        }),
    );
}

/**
 * The network stack's outputs, read at once (each `getOutput` would go through
 * all of them again), checked for the outputs a cluster stack needs, and
 * for the form of the VPC, region and ALB security group: the cluster is
 * created or looked up with them before the attachment reads them. They
 * hold the external IDs, secrets: the engine then marks `outputs` a secret as
 * a whole (and `clusters` among its secret output names, which
 * `getOutputDetails` answers as `secretValue`). The values are read here
 * because they decide which resources exist; the one secret among them, this
 * cluster's external ID, goes on as a secret (ClusterAttachment marks it).
 */
async function readNetworkOutputs(ref: pulumi.StackReference, stackName: string): Promise<NetworkOutputs> {
    const outputs = await valueOf(ref.outputs);
    const missing = RequiredNetworkOutputs.filter(name => outputs[name] === undefined);
    const problems = new Problems();
    problems.check(
        missing.length === 0,
        `${ClusterConfigRoot}.networkStack`,
        stackName,
        `the stack has no output ${missing.map(n => JSON.stringify(n)).join(", ")}; expected the outputs of a shared-alb network stack ` +
            `(${RequiredNetworkOutputs.join(", ")})`,
    );
    for (const [name, form] of Object.entries(NetworkOutputForms).filter(([n]) => outputs[n] !== undefined)) {
        const value: unknown = outputs[name];
        problems.check(
            typeof value === "string" && form.pattern.test(value),
            `${ClusterConfigRoot}.networkStack`,
            stackName,
            `its output ${name} is ${JSON.stringify(value)}; ${form.allowed}`,
        );
    }
    problems.throwIfAny();
    const network: Record<string, unknown> = Object.fromEntries(RequiredNetworkOutputs.map(name => [name, outputs[name]]));
    if (outputs.vpcSharing !== undefined) {
        network.vpcSharing = outputs.vpcSharing;
    }
    return network as unknown as NetworkOutputs;
}

/** The attachment's inputs a cluster stack learns from its EKS cluster, created or existing. */
type ClusterInputsFromEks = Pick<ClusterInputArgs, "clusterName" | "oidcProviderArn" | "oidcIssuer" | "nodeSecurityGroupIds">;

/**
 * The key of the node security group the stack attaches when the config
 * names none: `@pulumi/eks`'s node security group of a created cluster
 * (`fromEksCluster`), the EKS cluster security group of an existing one.
 */
const EksNodeSecurityGroupKey = { created: "nodes", existing: "cluster" } as const;

/** The EKS cluster a cluster stack attaches: its inputs, the Kubernetes provider for it, and the stack outputs it adds. */
interface ClusterTarget {
    inputs: ClusterInputsFromEks;
    provider: k8s.Provider;
    outputs: Record<string, unknown>;
}

/**
 * A cluster stack (`alb-fleet:role: cluster`): attaches one EKS cluster, in
 * its own account, to the pet ALB of the network stack it references. Reads
 * `alb-fleet:cluster`; every check (config shape, cluster key, account,
 * services, credentials) and the attachment's plan, read once from the config
 * and the network's entry, come before anything but the stack reference is
 * registered. The attachment then reads only the cluster's inputs.
 */
export async function clusterProgram(): Promise<Record<string, unknown>> {
    const config = validateClusterConfigShape(configDocument(new pulumi.Config("alb-fleet").require("cluster"), ClusterConfigRoot));

    const network = await readNetworkOutputs(new pulumi.StackReference(config.networkStack), config.networkStack);
    const entry = checkAgainstNetwork(config, network);
    await checkCredentials(config, network);

    const configuredSgs = config.nodeSecurityGroupIds !== undefined ? nodeSecurityGroupsById(config.nodeSecurityGroupIds) : undefined;
    const nodeSecurityGroupKeys =
        configuredSgs !== undefined
            ? Object.keys(configuredSgs)
            : [config.eks.create === true ? EksNodeSecurityGroupKey.created : EksNodeSecurityGroupKey.existing];
    const planned = planAttachment({ cluster: entry, ...attachmentOptions(config) }, nodeSecurityGroupKeys, ClusterConfigRoot);

    const target =
        config.eks.create === true
            ? await createCluster(config, network, planned.plan, configuredSgs)
            : await existingCluster(config, network, planned.plan, configuredSgs);

    const args = planned.withInputs({
        region: network.region,
        vpcId: network.vpcId,
        albSecurityGroupId: network.securityGroupId,
        ...target.inputs,
    });
    const attachment = new ClusterAttachment(config.key, args, { providers: { kubernetes: target.provider } });
    return stackOutputs(config, entry, target.outputs, attachment);
}

/**
 * The credentials must be the cluster account's: its role, SG rules and
 * cluster live there. The `aws:region`, when set, must be the network's.
 */
async function checkCredentials(config: ClusterStackConfig, network: NetworkOutputs): Promise<void> {
    const caller = await aws.getCallerIdentity();
    const awsRegion = new pulumi.Config("aws").get("region");
    const problems = new Problems();
    checkCredentialsAccount(
        problems,
        `${ClusterConfigRoot}.accountId`,
        config.accountId,
        caller.accountId,
        `run this cluster stack with credentials of account ${config.accountId}`,
    );
    if (awsRegion !== undefined) {
        problems.check(
            awsRegion === network.region,
            "aws:region",
            awsRegion,
            `expected the network's region ${network.region}: the cluster sits in the ALB's VPC`,
        );
    }
    problems.throwIfAny();
}

/**
 * Creates the EKS cluster (`eks.create: true`) in the network's VPC, then
 * checks, once it exists, that the namespaces this stack does not create do.
 */
async function createCluster(
    config: ClusterStackConfig,
    network: NetworkOutputs,
    plan: AttachmentPlan,
    configuredSgs: Record<string, string> | undefined,
): Promise<ClusterTarget> {
    const clusterName = config.eks.name ?? config.key;
    const eks = await loadEks();
    const cluster = new eks.Cluster(config.key, {
        name: clusterName,
        vpcId: network.vpcId,
        privateSubnetIds: config.eks.subnetIds ?? network.vpcSharing!.subnetIds,
        nodeAssociatePublicIpAddress: false,
        // The public endpoint only from the configured CIDRs (never EKS's default 0.0.0.0/0), or none.
        endpointPrivateAccess: config.eks.endpointPrivateAccess ?? EksDefaults.endpointPrivateAccess,
        endpointPublicAccess: config.eks.endpointPublicAccess ?? EksDefaults.endpointPublicAccess,
        ...(config.eks.publicAccessCidrs !== undefined ? { publicAccessCidrs: config.eks.publicAccessCidrs } : {}),
        createOidcProvider: true,
        authenticationMode: eks.AuthenticationMode.Api,
        instanceType: config.eks.instanceType ?? EksDefaults.instanceType,
        desiredCapacity: config.eks.desiredCapacity ?? EksDefaults.desiredCapacity,
        minSize: config.eks.minSize ?? EksDefaults.minSize,
        maxSize: config.eks.maxSize ?? EksDefaults.maxSize,
        ...(config.eks.version !== undefined ? { version: config.eks.version } : {}),
    });
    const eksInputs = fromEksCluster(config.key, cluster);
    // Read once the new cluster exists (the reads wait for its provider).
    const lookup = new Problems();
    await checkNamespaces(lookup, config.key, clusterName, plan, eksInputs.provider);
    lookup.throwIfAny();
    return {
        inputs: {
            clusterName,
            oidcProviderArn: eksInputs.oidcProviderArn,
            oidcIssuer: eksInputs.oidcIssuer,
            nodeSecurityGroupIds: configuredSgs ?? eksInputs.nodeSecurityGroupIds,
        },
        provider: eksInputs.provider,
        outputs: { clusterName, kubeconfig: pulumi.secret(cluster.kubeconfigJson) },
    };
}

/**
 * Attaches an existing EKS cluster (`eks.name`): looks it up, checks its
 * issuer, VPC, the account's OIDC provider and the namespaces, then creates
 * the Kubernetes provider and, when missing, the OIDC provider.
 */
async function existingCluster(
    config: ClusterStackConfig,
    network: NetworkOutputs,
    plan: AttachmentPlan,
    configuredSgs: Record<string, string> | undefined,
): Promise<ClusterTarget> {
    const name = config.eks.name!;
    const lookup = new Problems();
    const { found, issuer, issuerUrl } = await lookUpCluster(lookup, name, network, plan);

    // IRSA needs the account's OIDC provider for the issuer: CreateRole refuses a trust naming a missing one.
    const oidc = await findOidcProvider(issuerUrl);
    const createOidc = config.eks.createOidcProvider === true;
    lookup.check(
        oidc !== undefined || createOidc,
        `${ClusterConfigRoot}.eks.name`,
        name,
        `account ${config.accountId} has no IAM OIDC provider for the cluster's issuer ${issuerUrl}, and IRSA (the controller's role) ` +
            `needs one; create it (eksctl utils associate-iam-oidc-provider --cluster ${name} --region ${network.region} --approve), ` +
            "or set eks.createOidcProvider: true to let this stack create it",
    );

    const provider = new k8s.Provider(config.key, {
        kubeconfig: execKubeconfig({
            name,
            endpoint: found.endpoint,
            certificateAuthority: found.certificateAuthorities[0]?.data ?? "",
            region: network.region,
        }),
        enableServerSideApply: true,
    });
    // Namespaces this stack does not create must exist before anything is installed.
    await checkNamespaces(lookup, config.key, name, plan, provider);
    lookup.throwIfAny();

    return {
        inputs: {
            clusterName: name,
            oidcProviderArn: ensureOidcProvider(config, issuerUrl, oidc, createOidc),
            oidcIssuer: issuer,
            // EKS puts its cluster security group on managed nodes (and so on ip-target pods).
            nodeSecurityGroupIds: configuredSgs ?? { [EksNodeSecurityGroupKey.existing]: found.vpcConfig.clusterSecurityGroupId },
        },
        provider,
        outputs: { clusterName: name },
    };
}

/**
 * Reads an existing EKS cluster and checks that it has an OIDC issuer, sits
 * in the network's VPC and, with the binding admission policy, runs
 * Kubernetes 1.30 or later (throwing the problems found so far if not).
 * Returns the cluster, its issuer and the issuer as an `https://` URL.
 */
async function lookUpCluster(
    lookup: Problems,
    name: string,
    network: NetworkOutputs,
    plan: AttachmentPlan,
): Promise<{ found: aws.eks.GetClusterResult; issuer: string; issuerUrl: string }> {
    const found = await aws.eks.getCluster({ name });
    lookup.check(
        !plan.bindingAdmissionPolicy || servesAdmissionPolicy(found.version) !== false,
        `${ClusterConfigRoot}.eks.name`,
        name,
        `the cluster runs Kubernetes ${found.version}; ${AdmissionPolicyNeeds}; upgrade the cluster, or set bindingAdmissionPolicy: false`,
    );
    const issuer = found.identities?.[0]?.oidcs?.[0]?.issuer;
    lookup.check(
        typeof issuer === "string" && issuer.length > 0,
        `${ClusterConfigRoot}.eks.name`,
        name,
        "the cluster has no OIDC issuer; IRSA needs one (EKS clusters have it unless disabled)",
    );
    lookup.check(
        found.vpcConfig.vpcId === network.vpcId,
        `${ClusterConfigRoot}.eks.name`,
        name,
        `the cluster is in ${found.vpcConfig.vpcId}, not in the network's VPC ${network.vpcId}`,
    );
    lookup.throwIfAny();
    const issuerUrl = issuer!.startsWith("https://") ? issuer! : `https://${issuer!}`;
    return { found, issuer: issuer!, issuerUrl };
}

/**
 * The ARN of the account's OIDC provider for the cluster's issuer. Created
 * when missing, and kept while this stack tags it as its own; retained on
 * delete, since other roles of the cluster may trust it by then.
 */
function ensureOidcProvider(
    config: ClusterStackConfig,
    issuerUrl: string,
    oidc: Awaited<ReturnType<typeof findOidcProvider>>,
    createOidc: boolean,
): pulumi.Input<string> {
    const owner = `${pulumi.getProject()}/${pulumi.getStack()}`;
    return oidc === undefined || (createOidc && oidc.tags[OidcProviderOwnerTag] === owner)
        ? new aws.iam.OpenIdConnectProvider(
              `${config.key}-oidc`,
              {
                  url: issuerUrl,
                  clientIdLists: ["sts.amazonaws.com"],
                  // No thumbprint: IAM validates the issuer's TLS certificate against its trusted CAs.
                  tags: { ...(config.tags ?? {}), [OidcProviderOwnerTag]: owner },
              },
              { retainOnDelete: true },
          ).arn
        : oidc.arn;
}

/** The cluster stack's outputs (a public contract, docs/outputs.md). */
function stackOutputs(
    config: ClusterStackConfig,
    entry: ClusterOutputs,
    clusterOutputs: Record<string, unknown>,
    attachment: ClusterAttachment,
): Record<string, unknown> {
    return {
        clusterKey: config.key,
        accountId: config.accountId,
        crossAccount: entry.registrarRoleArn !== undefined,
        ...clusterOutputs,
        controllerRoleArn: attachment.controllerRoleArn,
        serviceAccount: attachment.serviceAccount,
        releaseName: attachment.releaseName,
        releaseNamespace: attachment.releaseNamespace,
        bindings: attachment.bindings.apply(bindings =>
            Object.fromEntries(Object.entries(bindings).map(([key, b]) => [key, stackBinding(b)])),
        ),
        securityGroupRuleIds: attachment.securityGroupRuleIds,
        manifests: attachment.manifests,
    };
}

/**
 * A binding as the cluster stack's `bindings` output gives it (a public
 * contract, docs/outputs.md): the Service port by number or name in one
 * `servicePort`.
 */
function stackBinding(b: BindingOutput): Record<string, unknown> {
    return {
        namespace: b.namespace,
        name: b.name,
        service: b.service,
        servicePort: b.port ?? b.portName,
        targetGroupArn: b.targetGroupArn,
        targetType: b.targetType,
    };
}

/**
 * Namespaces the attachment does not create must exist before anything is
 * installed: reads each one and adds a problem, naming the config path, per
 * missing namespace.
 */
async function checkNamespaces(
    problems: Problems,
    key: string,
    clusterName: string,
    plan: AttachmentPlan,
    provider: k8s.Provider,
): Promise<void> {
    if (!plan.applyToCluster || plan.createNamespaces) {
        return;
    }
    const needed = requiredNamespaces({
        bindings: Object.values(plan.bindings),
        controllerNamespace: plan.controller.install ? plan.controller.namespace : undefined,
    });
    for (const ns of await missingNamespaces(key, needed, provider)) {
        const binding = Object.values(plan.bindings).find(b => b.namespace === ns);
        problems.add(
            binding ? `${ClusterConfigRoot}.bindings.${binding.key}.namespace` : `${ClusterConfigRoot}.controller.namespace`,
            ns,
            `namespace ${JSON.stringify(ns)} does not exist in cluster ${JSON.stringify(clusterName)}; create it (kubectl create namespace ${ns}), ` +
                "or set createNamespaces: true to let this stack create it",
        );
    }
}

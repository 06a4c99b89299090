import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { NetworkOutputs, TargetGroupOutputs } from "../../components/internal/contract";
import { ClusterAttachment, ClusterAttachmentArgs } from "../../components";

export const NetworkAccount = "111111111111";
export const BlueAccount = "222222222222";
export const Region = "eu-west-1";
export const VpcId = "vpc-0a1b2c3d4e5f60718";
export const AlbSecurityGroupId = "sg-0a1b2c3d4e5f60aaa";
export const BlueNodesSg = "sg-0b0b0b0b0b0b0b0b0";
export const GreenNodesSg = "sg-0c0c0c0c0c0c0c0c0";
export const BlueIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/B1B2B3B4B5B6B7B8B9B0B1B2B3B4B5B6";
export const GreenIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/C1C2C3C4C5C6C7C8C9C0C1C2C3C4C5C6";

export const tgArn = (cluster: string, service: string): string =>
    `arn:aws:elasticloadbalancing:${Region}:${NetworkAccount}:targetgroup/sa-${cluster}-${service}/0123456789abcdef`;

/** The example fleet's network outputs (network 111111111111, blue cross-account, green same-account). */
export function exampleNetworkOutputs(): NetworkOutputs {
    const tgs = (cluster: string): Record<string, TargetGroupOutputs> => ({
        web: { arn: tgArn(cluster, "web"), name: `sa-${cluster}-web`, port: 8080, protocol: "HTTP", targetType: "ip" },
        api: { arn: tgArn(cluster, "api"), name: `sa-${cluster}-api`, port: 9000, protocol: "HTTP", targetType: "ip" },
    });
    return {
        accountId: NetworkAccount,
        region: Region,
        vpcId: VpcId,
        securityGroupId: AlbSecurityGroupId,
        loadBalancer: {
            arn: `arn:aws:elasticloadbalancing:${Region}:${NetworkAccount}:loadbalancer/app/shop-edge/0123456789abcdef`,
            name: "shop-edge",
            dnsName: "shop-edge-123456789.eu-west-1.elb.amazonaws.com",
            zoneId: "Z32O12XQLNTSW2",
            securityGroupId: AlbSecurityGroupId,
            listenerArns: {
                http: `arn:aws:elasticloadbalancing:${Region}:${NetworkAccount}:listener/app/shop-edge/0123456789abcdef/0a0a0a0a0a0a0a0a`,
            },
        },
        services: {
            web: { port: 8080, protocol: "HTTP", targetType: "ip", weights: { blue: 100, green: 0 } },
            api: { port: 9000, protocol: "HTTP", targetType: "ip", weights: { blue: 100, green: 0 } },
        },
        clusters: {
            blue: {
                accountId: BlueAccount,
                weight: 100,
                controllerRoleArn: `arn:aws:iam::${BlueAccount}:role/shared-alb-lbc-blue`,
                registrarRoleArn: `arn:aws:iam::${NetworkAccount}:role/shared-alb-registrar-blue`,
                externalId: "shared-alb-blue-5e0c1d2f",
                targetGroups: tgs("blue"),
            },
            green: {
                accountId: NetworkAccount,
                weight: 0,
                controllerRoleArn: `arn:aws:iam::${NetworkAccount}:role/shared-alb-lbc-green`,
                targetGroups: tgs("green"),
            },
        },
        vpcSharing: {
            resourceShareArn: `arn:aws:ram:${Region}:${NetworkAccount}:resource-share/0a1b2c3d-0000-1111-2222-333344445555`,
            subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            principals: [BlueAccount],
        },
    };
}

/** ClusterAttachment args for blue (cross-account) or green (same account), bindings web + api in `shop`. */
export function attachmentArgs(key: "blue" | "green", overrides: Partial<ClusterAttachmentArgs> = {}): ClusterAttachmentArgs {
    const net = exampleNetworkOutputs();
    const account = key === "blue" ? BlueAccount : NetworkAccount;
    const issuer = key === "blue" ? BlueIssuer : GreenIssuer;
    return {
        clusterName: key,
        oidcProviderArn: `arn:aws:iam::${account}:oidc-provider/${issuer}`,
        oidcIssuer: `https://${issuer}`,
        vpcId: VpcId,
        region: Region,
        cluster: net.clusters[key],
        albSecurityGroupId: AlbSecurityGroupId,
        bindings: {
            web: { namespace: "shop", service: "web", port: 80 },
            api: { namespace: "shop", service: "api", portName: "http" },
        },
        nodeSecurityGroupIds: { nodes: key === "blue" ? BlueNodesSg : GreenNodesSg },
        ...overrides,
    };
}

/** A program creating one attachment with a Kubernetes provider for its cluster. */
export function attachmentProgram(key: "blue" | "green", overrides: Partial<ClusterAttachmentArgs> = {}) {
    return () => {
        const provider = new k8s.Provider(`${key}-k8s`, { kubeconfig: "{}" });
        const a = new ClusterAttachment(key, attachmentArgs(key, overrides), { providers: { kubernetes: provider } });
        return {
            controllerRoleArn: a.controllerRoleArn,
            releaseName: a.releaseName,
            releaseNamespace: a.releaseNamespace,
            bindings: a.bindings,
            manifests: a.manifests,
            helmValues: a.helmValues,
            securityGroupRuleIds: a.securityGroupRuleIds,
            serviceAccount: a.serviceAccount,
        } as Record<string, pulumi.Output<unknown>>;
    };
}

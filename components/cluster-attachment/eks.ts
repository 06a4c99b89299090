import * as pulumi from "@pulumi/pulumi";
import * as k8s from "../internal/kubernetes";

/**
 * The parts of an `@pulumi/eks` `Cluster` this package reads. Structural, so
 * that `@pulumi/eks` stays an optional peer dependency: nothing here loads it.
 */
export interface EksClusterLike {
    eksCluster: pulumi.Output<{ name: pulumi.Input<string> }>;
    oidcProviderArn: pulumi.Output<string>;
    oidcIssuer: pulumi.Output<string>;
    nodeSecurityGroupId: pulumi.Output<string>;
    kubeconfigJson: pulumi.Output<string>;
    core: pulumi.Output<{ vpcId: string }>;
}

/** What `ClusterAttachment` needs from a cluster, plus its Kubernetes provider. */
export interface EksClusterInputs {
    clusterName: pulumi.Output<string>;
    oidcProviderArn: pulumi.Output<string>;
    oidcIssuer: pulumi.Output<string>;
    vpcId: pulumi.Output<string>;
    /** `{ nodes: <the cluster's node security group> }`. */
    nodeSecurityGroupIds: Record<string, pulumi.Output<string>>;
    /** A Kubernetes provider for the cluster (server-side apply on). */
    provider: k8s.Provider;
}

/**
 * Reads the cluster inputs of a `ClusterAttachment` from an `@pulumi/eks`
 * `Cluster` (created with `createOidcProvider: true`), and creates a
 * Kubernetes provider from its kubeconfig. Pass `opts.parent` to keep the
 * provider under your component.
 */
export function fromEksCluster(name: string, cluster: EksClusterLike, opts?: pulumi.CustomResourceOptions): EksClusterInputs {
    const provider = new k8s.Provider(
        `${name}-k8s`,
        {
            kubeconfig: cluster.kubeconfigJson,
            enableServerSideApply: true,
        },
        opts,
    );
    return {
        clusterName: cluster.eksCluster.apply(c => pulumi.output(c.name)),
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        vpcId: cluster.core.apply(c => c.vpcId),
        nodeSecurityGroupIds: { nodes: cluster.nodeSecurityGroupId },
        provider,
    };
}

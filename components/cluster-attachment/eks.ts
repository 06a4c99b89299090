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
    const provider = new k8s.Provider(`${name}-k8s`, {
        kubeconfig: cluster.kubeconfigJson,
        enableServerSideApply: true,
    }, opts);
    return {
        clusterName: cluster.eksCluster.apply(c => pulumi.output(c.name)),
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        vpcId: cluster.core.apply(c => c.vpcId),
        nodeSecurityGroupIds: { nodes: cluster.nodeSecurityGroupId },
        provider,
    };
}

/** The parts of `@pulumi/eks` a stack uses to create a cluster. */
export interface EksModule {
    Cluster: typeof import("@pulumi/eks/cluster").Cluster;
    AuthenticationMode: typeof import("@pulumi/eks/types/enums").AuthenticationMode;
}

/**
 * Loads `@pulumi/eks`'s `Cluster` and `AuthenticationMode` on demand, with a
 * message that says what to install when the package is absent (it is an
 * optional peer dependency). Loads their own modules, not the package
 * index, which loads every module of `@pulumi/aws` and `@pulumi/kubernetes`
 * for the `Cluster` helpers (`cluster.provider`, `createNodeGroup`) this
 * package never calls.
 */
export async function loadEks(): Promise<EksModule> {
    try {
        const [cluster, enums] = await Promise.all([import("@pulumi/eks/cluster"), import("@pulumi/eks/types/enums")]);
        return { Cluster: cluster.Cluster, AuthenticationMode: enums.AuthenticationMode };
    } catch (e) {
        throw new Error(`creating an EKS cluster needs the optional peer dependency @pulumi/eks (npm install @pulumi/eks@4.3.0): ${(e as Error).message}`);
    }
}

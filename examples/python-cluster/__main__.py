"""The example fleet's cluster-green stack (stacks/config/Pulumi.cluster-green.yaml)
as a Python program that uses ClusterAttachment through the SDK that
`pulumi package add` generates (module pulumi_shared_alb). The network's entry
for the cluster and the network facts come from the network stack's outputs
through a stack reference, as outputs: they are known at preview and at
update, so the plugin resolves `cluster` (it decides which resources exist)
before it builds the component."""
import pulumi
import pulumi_kubernetes as k8s
import pulumi_shared_alb as shared_alb

config = pulumi.Config()
network = pulumi.StackReference(f"{pulumi.get_organization()}/alb-fleet/network")
k8s_provider = k8s.Provider("green-k8s", kubeconfig=config.require_secret("kubeconfig"))

attachment = shared_alb.ClusterAttachment(
    # Named as in the TypeScript cluster stack, so every child keeps the name
    # the plan of the example fleet shows (green-lbc, green-tgb-web, ...).
    "green",
    cluster_name="green",
    oidc_provider_arn=config.require("oidcProviderArn"),
    oidc_issuer=config.require("oidcIssuer"),
    vpc_id=network.get_output("vpcId"),
    region=network.get_output("region"),
    alb_security_group_id=network.get_output("securityGroupId"),
    cluster=network.get_output("clusters").apply(lambda clusters: clusters["green"]),
    node_security_group_ids={"sg-0c0c0c0c0c0c0c0c0": "sg-0c0c0c0c0c0c0c0c0"},
    security_group_mode="rules",
    bindings={
        "web": {"namespace": "shop", "service": "web", "port": 80},
        "api": {"namespace": "shop", "service": "api", "port": 80},
    },
    tags={"team": "platform"},
    opts=pulumi.ResourceOptions(providers=[k8s_provider]),
)

pulumi.export("controllerRoleArn", attachment.controller_role_arn)
pulumi.export("bindings", attachment.bindings)

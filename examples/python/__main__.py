"""The example fleet's network stack (stacks/config/Pulumi.network.yaml) as a
Python program that uses SharedAlb through the SDK that `pulumi package add`
generates (module pulumi_shared_alb). Arguments are the TypeScript ones in
snake_case; nested objects may be given as dicts."""
import pulumi
import pulumi_shared_alb as shared_alb

alb = shared_alb.SharedAlb(
    # Named as in the TypeScript network stack, so every child keeps the name
    # the plan of the example fleet shows (shared-alb-tg-blue-web, ...).
    "shared-alb",
    account_id="111111111111",
    region="eu-west-1",
    vpc_id="vpc-0a1b2c3d4e5f60718",
    vpc_cidr="10.0.0.0/16",
    subnet_ids=["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    load_balancer={
        "name": "shop-edge",
        "certificate_arns": ["arn:aws:acm:eu-west-1:111111111111:certificate/5f1c2d3e-0a1b-4c5d-8e9f-0123456789ab"],
    },
    clusters={
        "blue": {"account_id": "222222222222", "weight": 100},
        "green": {"account_id": "111111111111", "weight": 0},
    },
    services={
        "web": {"port": 8080, "hosts": ["shop.example.com"], "health_check": {"path": "/healthz"}},
        "api": {"port": 9000, "paths": ["/api/*"], "health_check": {"path": "/healthz"}},
    },
    # Preview routes, from the testers' network only (a documentation range here).
    preview={"source_cidrs": ["203.0.113.0/24"]},
    vpc_sharing={"subnet_ids": ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]},
    tags={"team": "platform"},
)

# The network outputs contract, key by key, as the cluster stacks read it.
# `clusters` comes from the component's `clusters` output: the entries with
# each cross-account cluster's external ID, which makes it a secret.
pulumi.export("accountId", alb.outputs.account_id)
pulumi.export("region", alb.outputs.region)
pulumi.export("vpcId", alb.outputs.vpc_id)
pulumi.export("securityGroupId", alb.outputs.security_group_id)
pulumi.export("loadBalancer", alb.outputs.load_balancer)
pulumi.export("services", alb.outputs.services)
pulumi.export("clusters", alb.clusters)
pulumi.export("vpcSharing", alb.outputs.vpc_sharing)
pulumi.export("preview", alb.outputs.preview)

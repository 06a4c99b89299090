import { expect } from "chai";
import { SharedAlb } from "../../components";
import { Run, run } from "../harness";
import { exampleNetworkArgs } from "../fixtures/network";

const T = {
    share: "aws:ram/resourceShare:ResourceShare",
    resource: "aws:ram/resourceAssociation:ResourceAssociation",
    principal: "aws:ram/principalAssociation:PrincipalAssociation",
} as const;

function sharedArgs(): Record<string, any> {
    const args = exampleNetworkArgs();
    args.vpcSharing = { subnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"] };
    return args;
}

function build(args: Record<string, any>): Promise<Run> {
    return run(() => ({ outputs: new SharedAlb("edge", args as any).outputs }));
}

describe("SharedAlb VPC sharing", () => {
    let r: Run;
    before(async () => {
        r = await build(sharedArgs());
    });

    it("registers nothing for RAM without vpcSharing", async () => {
        const plain = await build(exampleNetworkArgs());
        expect(plain.resources.filter(x => x.type.startsWith("aws:ram/"))).to.deep.equal([]);
        expect(plain.outputs.outputs.vpcSharing).to.equal(undefined);
    });

    it("shares the subnets inside the organization only, keyed by subnet and principal", () => {
        const share = r.get(T.share, "edge-share");
        expect(share.inputs).to.deep.equal({
            name: "shop-edge-subnets",
            allowExternalPrincipals: false,
            tags: { team: "platform", "shared-alb:load-balancer": "shop-edge" },
        });
        expect(r.ofType(T.resource).map(x => [x.name, x.inputs])).to.deep.equal([
            [
                "edge-share-subnet-0a1b2c3d4e5f60011",
                { resourceShareArn: share.outputs.arn, resourceArn: "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0a1b2c3d4e5f60011" },
            ],
            [
                "edge-share-subnet-0a1b2c3d4e5f60012",
                { resourceShareArn: share.outputs.arn, resourceArn: "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0a1b2c3d4e5f60012" },
            ],
        ]);
        expect(r.ofType(T.principal).map(x => [x.name, x.inputs])).to.deep.equal([
            ["edge-share-222222222222", { resourceShareArn: share.outputs.arn, principal: "222222222222" }],
        ]);
        expect(r.outputs.outputs.vpcSharing).to.deep.equal({
            resourceShareArn: share.outputs.arn,
            subnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"],
            principals: ["222222222222"],
        });
    });

    it("adds exactly one principal association for a cluster in a new account, and none in a known one", async () => {
        const newAccount = sharedArgs();
        newAccount.clusters.red = { accountId: "333333333333", weight: 0 };
        const a = await build(newAccount);
        const sameAccount = sharedArgs();
        sameAccount.clusters.teal = { accountId: "222222222222", weight: 0 };
        const b = await build(sameAccount);
        const ram = (x: Run) => x.resources.filter(res => res.type.startsWith("aws:ram/"));
        const added = ram(a).filter(res => !ram(r).some(old => old.urn === res.urn));
        expect(added.map(x => [x.name, x.inputs.principal])).to.deep.equal([["edge-share-333333333333", "333333333333"]]);
        expect(ram(b).map(x => x.urn)).to.deep.equal(ram(r).map(x => x.urn));
        for (const res of ram(r)) {
            expect(a.byUrn(res.urn).inputs).to.deep.equal(res.inputs);
            expect(b.byUrn(res.urn).inputs).to.deep.equal(res.inputs);
        }
    });

    it("keys organization principals by their ARN", async () => {
        const args = sharedArgs();
        args.vpcSharing.principals = ["arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56"];
        args.vpcSharing.allowOrganizationPrincipals = true;
        const org = await build(args);
        expect(org.ofType(T.principal).map(x => x.name)).to.deep.equal([
            "edge-share-222222222222",
            "edge-share-arn-aws-organizations-999999999999-ou-o-a1b2c3d4e5-ou-ab12-cd34ef56",
        ]);
    });
});

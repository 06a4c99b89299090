import { expect } from "chai";
import { ConfigErrors } from "../../components/internal/errors";
import { validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs } from "../fixtures/network";

const org = "arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5";
const ou = "arn:aws:organizations::999999999999:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56";
const WholeOrganization =
    "an organization or OU principal shares the subnets and the VPC with every account in it, today's and future ones: " +
    "list the cluster accounts instead, or set vpcSharing.allowOrganizationPrincipals: true to accept that";
const AlbSubnet = (i: number) =>
    `is the ALB's own subnet (subnetIds[${i}]): sharing it lets the cluster accounts run instances beside the ALB; ` +
    "share the private subnets the clusters' nodes and pods use instead";

function withSharing(vpcSharing: unknown): Record<string, any> {
    const args = exampleNetworkArgs();
    args.vpcSharing = vpcSharing;
    return args;
}

function errorsOf(vpcSharing: unknown): string[] {
    try {
        validateSharedAlbArgs(withSharing(vpcSharing));
    } catch (e) {
        return (e as ConfigErrors).errors.map(x => x.message);
    }
    throw new Error("expected validation to fail");
}

describe("vpcSharing validation", () => {
    it("is absent unless configured", () => {
        expect(validateSharedAlbArgs(exampleNetworkArgs()).vpcSharing).to.equal(undefined);
    });

    it("shares with every cluster account but the network's by default", () => {
        expect(validateSharedAlbArgs(withSharing({ subnetIds: ["subnet-0a1b2c3d4e5f60011"] })).vpcSharing).to.deep.equal({
            name: "shop-edge-subnets",
            subnetIds: ["subnet-0a1b2c3d4e5f60011"],
            principals: ["222222222222"],
            accountsOnly: true,
        });
    });

    it("adds extra principals after the cluster accounts, without repeating one (organizations acknowledged)", () => {
        const model = validateSharedAlbArgs(
            withSharing({
                subnetIds: ["subnet-0a1b2c3d4e5f60011"],
                principals: [ou, "222222222222", org],
                allowOrganizationPrincipals: true,
                name: "cells",
            }),
        );
        expect(model.vpcSharing).to.deep.equal({
            name: "cells",
            subnetIds: ["subnet-0a1b2c3d4e5f60011"],
            principals: ["222222222222", org, ou],
            accountsOnly: false,
        });
    });

    const table: [string, unknown, string[]][] = [
        [
            "a list instead of an object",
            [],
            ["vpcSharing: got []; expected { subnetIds, principals?, allowOrganizationPrincipals?, name? }"],
        ],
        [
            "empty subnetIds",
            { subnetIds: [] },
            ["vpcSharing.subnetIds: got []; expected a non-empty list of the subnets the clusters' nodes and pods use"],
        ],
        [
            "a badly shaped subnet",
            { subnetIds: ["subnet-xyz"] },
            ['vpcSharing.subnetIds[0]: got "subnet-xyz"; expected a subnet ID such as "subnet-0123456789abcdef0"'],
        ],
        [
            "a duplicate subnet",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60011"] },
            ['vpcSharing.subnetIds[1]: got "subnet-0a1b2c3d4e5f60011"; expected no duplicates'],
        ],
        [
            "a principal of 11 digits",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: ["22222222222"] },
            [
                'vpcSharing.principals[0]: got "22222222222"; expected a 12-digit account ID, an organization ARN (arn:aws:organizations::<account>:organization/o-...) or an OU ARN (...:ou/o-.../ou-...)',
            ],
        ],
        [
            "a principal YAML read as a number",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: [22222222222] },
            [
                "vpcSharing.principals[0]: got 22222222222; expected a 12-digit account ID, an organization ARN (arn:aws:organizations::<account>:organization/o-...) " +
                    'or an OU ARN (...:ou/o-.../ou-...); quote it in YAML: "022222222222" (unquoted, YAML reads it as the number 22222222222)',
            ],
        ],
        [
            "a role ARN as principal",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: ["arn:aws:iam::222222222222:root"] },
            [
                'vpcSharing.principals[0]: got "arn:aws:iam::222222222222:root"; expected a 12-digit account ID, an organization ARN (arn:aws:organizations::<account>:organization/o-...) or an OU ARN (...:ou/o-.../ou-...)',
            ],
        ],
        [
            "the network's own account",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: ["111111111111"] },
            [
                'vpcSharing.principals[0]: got "111111111111"; expected another account than the network\'s own (accountId), which owns the subnets',
            ],
        ],
        [
            "a misspelt key",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principal: [] },
            ["vpcSharing.principal: got []; unknown key; expected one of subnetIds, principals, allowOrganizationPrincipals, name"],
        ],
        [
            "the ALB's own subnets",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60001"] },
            [
                `vpcSharing.subnetIds[1]: got "subnet-0a1b2c3d4e5f60002"; ${AlbSubnet(1)}`,
                `vpcSharing.subnetIds[2]: got "subnet-0a1b2c3d4e5f60001"; ${AlbSubnet(0)}`,
            ],
        ],
        [
            "an organization without the acknowledgement",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: [org] },
            [`vpcSharing.principals[0]: got "${org}"; ${WholeOrganization}`],
        ],
        [
            "an OU with the acknowledgement false",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: ["333333333333", ou], allowOrganizationPrincipals: false },
            [`vpcSharing.principals[1]: got "${ou}"; ${WholeOrganization}`],
        ],
        [
            "the acknowledgement without an organization",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: ["333333333333"], allowOrganizationPrincipals: true },
            [
                "vpcSharing.allowOrganizationPrincipals: got true; allowed only with an organization or OU ARN in vpcSharing.principals; leave it out",
            ],
        ],
        [
            "the acknowledgement as text",
            { subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: [org], allowOrganizationPrincipals: "yes" },
            ['vpcSharing.allowOrganizationPrincipals: got "yes"; expected true or false'],
        ],
    ];
    it("accepts an OU with the acknowledgement, and another account without it", () => {
        expect(
            validateSharedAlbArgs(
                withSharing({ subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: [ou], allowOrganizationPrincipals: true }),
            ).vpcSharing?.principals,
        ).to.deep.equal(["222222222222", ou]);
        expect(
            validateSharedAlbArgs(withSharing({ subnetIds: ["subnet-0a1b2c3d4e5f60011"], principals: ["333333333333"] })).vpcSharing
                ?.principals,
        ).to.deep.equal(["222222222222", "333333333333"]);
    });

    for (const [what, value, expected] of table) {
        it(`refuses ${what}`, () => {
            expect(errorsOf(value)).to.deep.equal(expected);
        });
    }
});

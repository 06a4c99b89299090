import { expect } from "chai";
import { Problems } from "../../components/internal/errors";
import {
    AccountIdPattern,
    CertificateArnPattern,
    ListenerArnPattern,
    LoadBalancerArnPattern,
    OidcProviderArnPattern,
    OrganizationArnPattern,
    RoleArnPattern,
    TargetGroupArnPattern,
    accountId,
    accountRootArn,
    arnAccount,
    arnPartition,
    externalId,
    oidcProviderArn,
    parseRoleArn,
    partitionOf,
    roleArn,
    securityGroupArn,
    subnetArn,
    tags,
    tagsUpTo,
    targetGroupArn,
} from "../../components/internal/arn";
import { Reader } from "../../components/internal/read";

/** `n` distinct tags. */
function manyTags(n: number): Record<string, string> {
    return Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag-${i}`, "x"]));
}

function messages<T>(reader: Reader<T>, value: unknown, path = "x"): string[] {
    const p = new Problems();
    reader(p, path, value);
    return p.errors.map(e => e.message);
}

describe("internal/arn: partitions, ARNs, account IDs, external IDs and tags", () => {
    it("gives each region its partition", () => {
        const table: [string, string][] = [
            ["eu-west-1", "aws"],
            ["us-east-1", "aws"],
            ["ap-southeast-5", "aws"],
            ["cn-north-1", "aws-cn"],
            ["cn-northwest-1", "aws-cn"],
            ["us-gov-west-1", "aws-us-gov"],
            ["us-gov-east-1", "aws-us-gov"],
            ["us-iso-east-1", "aws-iso"],
            ["us-isob-east-1", "aws-iso-b"],
            ["eu-isoe-west-1", "aws-iso-e"],
        ];
        expect(table.map(([region]) => [region, partitionOf(region)])).to.deep.equal(table);
    });

    describe("builds ARNs in the partition given, and reads the partition back", () => {
        const table: [string, string, string, string][] = [
            // partition, region, what, expected
            ["aws-cn", "cn-north-1", "role", "arn:aws-cn:iam::222222222222:role/shared-alb-lbc-blue"],
            ["aws-us-gov", "us-gov-west-1", "role", "arn:aws-us-gov:iam::222222222222:role/shared-alb-lbc-blue"],
            ["aws-cn", "cn-north-1", "role with path", "arn:aws-cn:iam::222222222222:role/platform/lbc/blue"],
            [
                "aws-cn",
                "cn-north-1",
                "target group",
                "arn:aws-cn:elasticloadbalancing:cn-north-1:111111111111:targetgroup/blue-web-17b62d5a/0123456789abcdef",
            ],
            [
                "aws-us-gov",
                "us-gov-west-1",
                "target group",
                "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:111111111111:targetgroup/blue-web-17b62d5a/0123456789abcdef",
            ],
            [
                "aws-cn",
                "cn-north-1",
                "OIDC provider",
                "arn:aws-cn:iam::222222222222:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC",
            ],
            [
                "aws-us-gov",
                "us-gov-west-1",
                "OIDC provider",
                "arn:aws-us-gov:iam::222222222222:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC",
            ],
            ["aws-cn", "cn-north-1", "account root", "arn:aws-cn:iam::222222222222:root"],
            [
                "aws-us-gov",
                "us-gov-west-1",
                "security group",
                "arn:aws-us-gov:ec2:us-gov-west-1:222222222222:security-group/sg-0b0b0b0b0b0b0b0b0",
            ],
            ["aws-cn", "cn-north-1", "subnet", "arn:aws-cn:ec2:cn-north-1:111111111111:subnet/subnet-0a1b2c3d4e5f60001"],
        ];
        const build = (partition: string, region: string, what: string): string => {
            switch (what) {
                case "role":
                    return roleArn(partition, "222222222222", "shared-alb-lbc-blue");
                case "role with path":
                    return roleArn(partition, "222222222222", "blue", "/platform/lbc/");
                case "target group":
                    return targetGroupArn(partition, region, "111111111111", "blue-web-17b62d5a", "0123456789abcdef");
                case "OIDC provider":
                    return oidcProviderArn(
                        partition,
                        "222222222222",
                        `https://oidc.eks.${region}.amazonaws.com${partition === "aws-cn" ? ".cn" : ""}/id/ABC`,
                    );
                case "account root":
                    return accountRootArn(partition, "222222222222");
                case "security group":
                    return securityGroupArn(partition, region, "222222222222", "sg-0b0b0b0b0b0b0b0b0");
                default:
                    return subnetArn(partition, region, "111111111111", "subnet-0a1b2c3d4e5f60001");
            }
        };
        for (const [partition, region, what, want] of table) {
            it(`${what} in ${partition}`, () => {
                expect(build(partition, region, what)).to.equal(want);
                expect(arnPartition(want)).to.equal(partition);
            });
        }
        it("reads aws for what has no partition", () => expect(arnPartition("not an arn")).to.equal("aws"));
        it("reads the account of an ARN in any partition", () => {
            expect(
                [
                    "arn:aws-cn:iam::222222222222:oidc-provider/x",
                    "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/a/b",
                    "x:y",
                ].map(arnAccount),
            ).to.deep.equal(["222222222222", "111111111111", ""]);
        });
    });

    it("the patterns accept the ARNs of every partition, and refuse another kind of resource", () => {
        for (const partition of ["aws", "aws-cn", "aws-us-gov"]) {
            expect(RoleArnPattern.test(`arn:${partition}:iam::222222222222:role/x`), partition).to.equal(true);
            expect(
                TargetGroupArnPattern.test(`arn:${partition}:elasticloadbalancing:r-1:111111111111:targetgroup/tg/0123abcd`),
                partition,
            ).to.equal(true);
            expect(
                OidcProviderArnPattern.test(`arn:${partition}:iam::222222222222:oidc-provider/oidc.eks.r.amazonaws.com/id/A`),
                partition,
            ).to.equal(true);
            expect(
                LoadBalancerArnPattern.test(`arn:${partition}:elasticloadbalancing:r-1:111111111111:loadbalancer/app/edge/0123abcd`),
                partition,
            ).to.equal(true);
            expect(
                ListenerArnPattern.test(`arn:${partition}:elasticloadbalancing:r-1:111111111111:listener/app/edge/0123abcd/4567ef`),
                partition,
            ).to.equal(true);
            expect(CertificateArnPattern.test(`arn:${partition}:acm:r-1:111111111111:certificate/abc`), partition).to.equal(true);
            expect(
                OrganizationArnPattern.test(`arn:${partition}:organizations::111111111111:organization/o-abcdefghij`),
                partition,
            ).to.equal(true);
        }
        expect(RoleArnPattern.test("arn:aws:iam::222222222222:user/x")).to.equal(false);
        expect(TargetGroupArnPattern.test("arn:aws:elasticloadbalancing:r-1:111111111111:loadbalancer/app/edge/0123abcd")).to.equal(false);
        expect(RoleArnPattern.test("arn:gcp:iam::222222222222:role/x")).to.equal(false);
    });

    it("parses a role ARN into partition, account, path and name", () => {
        expect(parseRoleArn("arn:aws-us-gov:iam::222222222222:role/platform/lbc/blue")).to.deep.equal({
            partition: "aws-us-gov",
            accountId: "222222222222",
            path: "/platform/lbc/",
            name: "blue",
        });
        expect(parseRoleArn("arn:aws-cn:iam::2222:role/blue")).to.equal(undefined);
    });

    describe("readers", () => {
        const table: [string, Reader<unknown>, unknown, string[]][] = [
            ["an account ID", accountId, "111111111111", []],
            [
                "an account ID of 11 digits",
                accountId,
                "11111111111",
                ['x: got "11111111111"; expected a 12-digit AWS account ID such as "111111111111"'],
            ],
            [
                "an account ID YAML read as a number",
                accountId,
                12345678901,
                [
                    'x: got 12345678901; expected a 12-digit AWS account ID such as "111111111111"; quote it in YAML: "012345678901" (unquoted, YAML reads it as the number 12345678901)',
                ],
            ],
            ["an external ID", externalId, "shared-alb-blue-5e0c1d2f", []],
            [
                "an external ID of one character",
                externalId,
                "x",
                ["x: got a secret of 1 character; expected 2 to 1224 characters of letters, digits and +=,.@:/_-"],
            ],
            ["tags", tags, { team: "platform", "cost-center": "" }, []],
            ["tags that are not a map", tags, ["team"], ['x: got ["team"]; expected { <key>: <value> } of strings']],
            [
                "a tag key AWS reserves",
                tags,
                { "aws:owner": "me" },
                [
                    'x["aws:owner"]: got "aws:owner"; expected a tag key of 1..128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"',
                ],
            ],
            [
                "a tag value that is not a string",
                tags,
                { team: 1 },
                ["x.team: got 1; expected a string of at most 256 letters, digits, spaces and _.:/=+-@"],
            ],
            [
                "tags of every allowed character, letters of any script included",
                tags,
                { "team name_.:/=+-@": "Équipe plateforme 2 _.:/=+-@" },
                [],
            ],
            [
                "a tag key with a character ELB and IAM refuse",
                tags,
                { "team,name": "x" },
                [
                    'x["team,name"]: got "team,name"; expected a tag key of 1..128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"',
                ],
            ],
            [
                "a tag value with a character ELB and IAM refuse",
                tags,
                { team: "a;b" },
                ['x.team: got "a;b"; expected a string of at most 256 letters, digits, spaces and _.:/=+-@'],
            ],
            [
                "a tag value of 257 characters",
                tags,
                { team: "v".repeat(257) },
                [`x.team: got "${"v".repeat(257)}"; expected a string of at most 256 letters, digits, spaces and _.:/=+-@`],
            ],
            ["50 tags", tags, manyTags(50), []],
            [
                "51 tags: AWS allows 50 per resource",
                tags,
                manyTags(51),
                ['x: got "51 tags"; expected at most 50 tags: AWS allows 50 per resource'],
            ],
            [
                "a smaller limit says why",
                tagsUpTo(2, "two are left"),
                manyTags(3),
                ['x: got "3 tags"; expected at most 2 tags: two are left'],
            ],
        ];
        for (const [what, reader, value, want] of table) {
            it(what, () => expect(messages(reader, value)).to.deep.equal(want));
        }
        it("an account ID is 12 digits", () => expect(AccountIdPattern.test("012345678901")).to.equal(true));
    });
});

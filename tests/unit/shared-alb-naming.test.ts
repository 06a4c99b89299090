import { expect } from "chai";
import fc from "fast-check";
import { ExternalIdPattern, partitionOf } from "../../components/internal/arn";
import { ExternalIdPassword, nameKey, registrarRoleName, targetGroupName } from "../../components/shared-alb/naming";

const base = {
    loadBalancerName: "shop-edge",
    cluster: "blue",
    service: "web",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    port: 8080,
    protocol: "HTTP",
    targetType: "ip",
};
const key = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/);

describe("targetGroupName", () => {
    it("is readable and digest-suffixed", () => {
        expect(targetGroupName(base)).to.equal("blue-web-17b62d5a");
    });

    it("shortens long keys to 32 characters without a trailing hyphen", () => {
        const name = targetGroupName({ ...base, cluster: "production-eu-west", service: "checkout-frontend" });
        expect(name).to.equal("production-eu-west-chec-" + name.slice(-8));
        expect(name).to.have.length(32);
    });

    it("never starts with internal-", () => {
        expect(targetGroupName({ ...base, cluster: "internal", service: "web" })).to.match(/^tg-internal-web-[0-9a-f]{8}$/);
    });

    it("is always a valid target group name (property)", () => {
        fc.assert(
            fc.property(key, key, fc.integer({ min: 1, max: 65535 }), (cluster, service, port) => {
                const name = targetGroupName({ ...base, cluster, service, port });
                expect(name.length).to.be.at.most(32);
                expect(name).to.match(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/);
                expect(name.startsWith("internal-")).to.equal(false);
            }),
        );
    });

    it("changes with every replacement-forcing property and with nothing else (property)", () => {
        fc.assert(
            fc.property(key, key, (cluster, service) => {
                const id = { ...base, cluster, service };
                const name = targetGroupName(id);
                for (const changed of [
                    { port: 8081 },
                    { protocol: "HTTPS" },
                    { targetType: "instance" },
                    { vpcId: "vpc-0fffffffffffffff0" },
                ]) {
                    expect(targetGroupName({ ...id, ...changed })).to.not.equal(name);
                }
                expect(targetGroupName({ ...id })).to.equal(name);
            }),
        );
    });

    it("differs between distinct cluster/service pairs even when shortened alike (property)", () => {
        fc.assert(
            fc.property(key, key, key, (a, b, service) => {
                fc.pre(a !== b);
                expect(targetGroupName({ ...base, cluster: a, service })).to.not.equal(targetGroupName({ ...base, cluster: b, service }));
            }),
        );
    });
});

describe("registrarRoleName", () => {
    it("names the ALB and the cluster", () => {
        expect(registrarRoleName("shop-edge", "blue")).to.equal("shop-edge-registrar-blue");
    });
    it("stays within 64 characters with a digest when long", () => {
        const name = registrarRoleName("a".repeat(32), "b".repeat(40));
        expect(name).to.have.length(64);
        expect(name).to.match(/^a{32}-registrar-b{12}-[0-9a-f]{8}$/);
    });
});

describe("ExternalIdPassword", () => {
    it("asks random.RandomPassword for 32 letters and digits, no special characters", () => {
        expect(ExternalIdPassword).to.deep.equal({ length: 32, special: false, upper: true, lower: true, numeric: true });
    });

    it("gives only IDs sts:ExternalId accepts", () => {
        fc.assert(
            fc.property(fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${ExternalIdPassword.length}}$`)), id => {
                expect(ExternalIdPattern.test(id), id).to.equal(true);
            }),
        );
    });
});

describe("small helpers", () => {
    it("derives partitions and logical-name keys", () => {
        expect([partitionOf("eu-west-1"), partitionOf("cn-north-1"), partitionOf("us-gov-east-1")]).to.deep.equal([
            "aws",
            "aws-cn",
            "aws-us-gov",
        ]);
        expect(nameKey("0.0.0.0/0")).to.equal("0-0-0-0-0");
    });
});

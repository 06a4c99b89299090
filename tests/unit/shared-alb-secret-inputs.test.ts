import { expect } from "chai";
import fc from "fast-check";
import { withSecretInputs, withoutSecretInputs } from "../../components/shared-alb/secret-inputs";

describe("secret inputs: the preview token and external IDs read apart from the other arguments", () => {
    it("takes the token and each given external ID out, and leaves everything else as it was", () => {
        const args = {
            accountId: "111111111111",
            preview: { header: "x-preview", sourceCidrs: ["203.0.113.0/24"], token: "0123456789abcdef0123" },
            clusters: { blue: { accountId: "222222222222", externalId: "ext-blue" }, green: { accountId: "111111111111" }, red: "not an object" },
        };
        const { rest, secrets } = withoutSecretInputs(args);
        expect(rest).to.deep.equal({
            accountId: "111111111111",
            preview: { header: "x-preview", sourceCidrs: ["203.0.113.0/24"] },
            clusters: { blue: { accountId: "222222222222" }, green: { accountId: "111111111111" }, red: "not an object" },
        });
        expect(secrets).to.deep.equal({ previewToken: "0123456789abcdef0123", externalIds: { blue: "ext-blue" } });
        expect(JSON.stringify(rest)).to.not.include("0123456789abcdef0123");
        // The arguments given are not changed.
        expect(args.clusters.blue.externalId).to.equal("ext-blue");
    });

    it("reads a cluster keyed like an Object member as data, not as the prototype's", () => {
        const { rest, secrets } = withoutSecretInputs({ clusters: { constructor: { accountId: "222222222222" } } });
        expect(secrets.externalIds).to.deep.equal({});
        expect(withSecretInputs(rest, secrets)).to.deep.equal({ clusters: { constructor: { accountId: "222222222222" } } });
    });

    it("puts back exactly what it took out, whatever the arguments", () => {
        const id = fc.stringMatching(/^[A-Za-z0-9]{2,12}$/);
        const cluster = fc.record({ accountId: fc.constant("222222222222"), externalId: id }, { requiredKeys: ["accountId"] });
        const args = fc.record({
            clusters: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), cluster),
            preview: fc.option(fc.record({ header: fc.constant("x-h"), token: id }, { requiredKeys: ["header"] }), { nil: undefined }),
        }, { requiredKeys: ["clusters"] });
        fc.assert(fc.property(args, a => {
            const { rest, secrets } = withoutSecretInputs(a);
            expect(JSON.stringify(rest)).to.not.match(/externalId|token/);
            expect(withSecretInputs(rest, secrets)).to.deep.equal(a);
        }));
    });
});

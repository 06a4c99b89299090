import { expect } from "chai";
import fc from "fast-check";
import { secretInputsOf } from "../../components/shared-alb/secret-inputs";

describe("secret inputs: the preview token and external IDs read apart from the other arguments", () => {
    it("takes the token and each given external ID, and leaves the arguments as they were", () => {
        const args = {
            accountId: "111111111111",
            preview: { header: "x-preview", sourceCidrs: ["203.0.113.0/24"], token: "0123456789abcdef0123" },
            clusters: {
                blue: { accountId: "222222222222", externalId: "ext-blue" },
                green: { accountId: "111111111111" },
                red: "not an object",
            },
        };
        const before = JSON.stringify(args);
        expect(secretInputsOf(args)).to.deep.equal({ previewToken: "0123456789abcdef0123", externalIds: { blue: "ext-blue" } });
        expect(JSON.stringify(args)).to.equal(before);
    });

    it("reads a cluster keyed like an Object member as data, not as the prototype's", () => {
        expect(secretInputsOf({ clusters: { constructor: { accountId: "222222222222" } } }).externalIds).to.deep.equal({});
        expect(secretInputsOf({ clusters: { constructor: { accountId: "222222222222", externalId: "ext" } } }).externalIds).to.deep.equal({
            constructor: "ext",
        });
    });

    it("finds exactly the secrets given, whatever the arguments", () => {
        const id = fc.stringMatching(/^[A-Za-z0-9]{2,12}$/);
        const cluster = fc.record({ accountId: fc.constant("222222222222"), externalId: id }, { requiredKeys: ["accountId"] });
        const args = fc.record(
            {
                clusters: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), cluster),
                preview: fc.option(fc.record({ header: fc.constant("x-h"), token: id }, { requiredKeys: ["header"] }), { nil: undefined }),
            },
            { requiredKeys: ["clusters"] },
        );
        fc.assert(
            fc.property(args, a => {
                const secrets = secretInputsOf(a);
                expect(secrets.previewToken).to.equal(a.preview?.token);
                expect(secrets.externalIds).to.deep.equal(
                    Object.fromEntries(
                        Object.entries(a.clusters)
                            .filter(([, c]) => c.externalId !== undefined)
                            .map(([k, c]) => [k, c.externalId]),
                    ),
                );
            }),
        );
    });
});

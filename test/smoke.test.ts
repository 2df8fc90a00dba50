import assert from "node:assert"; describe("smoke", () => it("works", () => assert.equal(1,1)));

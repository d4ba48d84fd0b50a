// Every App without an outdir synthesizes into a new directory under os.tmpdir(); a full run leaves
// about 3.5 GB of them. Jest's workers inherit this process's environment, so pointing TMPDIR at one
// directory per run lets the teardown remove them all.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-container-platform-jest-'));
  process.env.CDK_CONTAINER_PLATFORM_JEST_TMP = dir;
  process.env.TMPDIR = dir;
};

// Removes the run's synthesis directories (see global-setup.js).
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.CDK_CONTAINER_PLATFORM_JEST_TMP;
  if (dir) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

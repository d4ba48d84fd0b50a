module.exports = require('./esm-packages').resolve;

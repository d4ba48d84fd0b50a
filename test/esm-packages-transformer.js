module.exports = require('./esm-packages').transformer;

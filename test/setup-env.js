// Unit tests read one resource at a time: AWS's CloudFormation validator adds ~0.25 s per template
// and checks nothing they assert. The example snapshot tests turn it back on (test/examples/).
process.env.CDK_VALIDATION = 'false';

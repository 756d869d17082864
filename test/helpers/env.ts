// Loaded before every test file (see .mocharc.json): no real AWS account, no colour, no terminal.
process.env.AWS_ACCESS_KEY_ID = 'testing'
process.env.AWS_SECRET_ACCESS_KEY = 'testing'
process.env.AWS_REGION = 'us-east-1'
process.env.NO_COLOR = '1'
delete process.env.AWS_PROFILE
delete process.env.AWS_ENDPOINT_URL
delete process.env.AWS_ENDPOINT_URL_API_GATEWAY
// Clients built by the tests themselves run in this process; runCli drops this again,
// so the CLI's own silencing of the warning stays under test.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

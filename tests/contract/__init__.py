"""Contract tests: real vendor SDKs over HTTP against signature-checking stubs; boto3 on moto."""

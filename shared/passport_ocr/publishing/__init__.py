"""Topics: publish each outcome as a CloudEvents 1.0 JSON message.

- `envelope`: the CloudEvent (`recognized_event`, `rejected_event`), deterministic ids;
- `payload`: `full` / `masked` / `reference` data and the size-limit fallback;
- `base`: the `Topic` protocol and each service's size limit;
- `sns` (boto3), `smn` (huaweicloudsdksmn), `tdmq` (tencentcloud-sdk-python-tdmq),
  `sinks` (stdout, JSONL file). Import the one you need: each pulls in its own SDK, and a
  function bundle ships only its platform's.
"""

"""slens-lint: the AWS Well-Architected Serverless Lens as a linter for SAM and CloudFormation."""

__version__ = "0.2.0"

# Where each rule's page lives; SARIF helpUri, LSP codeDescription and `explain` all point here.
DOCS_BASE_URL = "https://github.com/slens-lint/slens-lint/blob/main/rules"

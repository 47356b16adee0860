"""The Serverless Lens review: the Lens map (`lens`: questions, choices, the rules that give evidence
for each choice, risk rules) and the review builder (`build`: verdicts and findings -> a status per
choice, a risk per question, counts per pillar; `compare`: what changed since a previous review).

The package reads verdicts, findings and rule metadata only: it imports neither the engine, the CLI
nor cfn-lint (an import contract in pyproject.toml keeps it so). Output formats live in
`slens_lint.output.review_*`, `wa_lens` and `wa_answers` and read the review object only.
"""

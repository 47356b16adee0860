"""The one door to cfn-lint (`cfnlint`) and the code that drives it: decoder, runner, built-ins, rule adapter."""

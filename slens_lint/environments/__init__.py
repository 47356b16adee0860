"""Per-environment parameter values: `--parameter-overrides`, parameter files, SAM CLI's samconfig.

- `overrides`: `sam deploy --parameter-overrides` strings and parameter files to {name: value};
- `samconfig`: `samconfig.toml|yaml|yml|json`, its environments and their `parameter_overrides`;
- `options`: the command-line options read once (`read_options`), and the environments each template
  is linted in (`environments_for`);
- `labels`: the results of one template in several environments merged, each finding labelled with
  the environments it holds in.

The values reach the model through `template.environment.Environment` (parameters resolved,
conditions decided); nothing in this package prints a value (a parameter may be secret).
"""

from slens_lint.environments.options import EnvironmentOptions, EnvSpec, Plan, environments_for, read_options
from slens_lint.environments.overrides import ParameterError

__all__ = ["EnvSpec", "EnvironmentOptions", "ParameterError", "Plan", "environments_for", "read_options"]

"""What `cfn-lint --append-rules slens_lint.cfn_rules` loads.

cfn-lint instantiates every `CloudFormationLintRule` subclass it finds in this module's namespace, so
the namespace holds the generated rule classes and nothing else that subclasses it (no base class,
no built-in cfn-lint rule).
"""

from slens_lint.compat.adapter import cfn_rule_class as _cfn_rule_class
from slens_lint.rules.registry import rule_classes as _rule_classes

globals().update({_cls.__name__: _cfn_rule_class(_cls) for _cls in _rule_classes()})

__all__ = [_cls.__name__ for _cls in _rule_classes()]

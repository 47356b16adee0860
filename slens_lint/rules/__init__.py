"""Rules: the base class, the registry, the cfn-lint adapter, and the rules by pillar."""

"""Reading a template: decoding, the value type, typed resource models, SAM semantics, and the domain readers (the model's vocabulary). Nothing here judges."""

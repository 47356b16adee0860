"""The template model before the value type (issue 11): kept only while rules move to the new model."""
